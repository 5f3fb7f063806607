/* A select whose choices depend on another (regions of the chosen country): changing the first
   empties the second before anything reads the form (capture phase), so a live filter never
   sends a region of the previous country. The new choices come from the server (htmx). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var source = event.target.closest && event.target.closest("[data-clears]");
    if (!source) { return; }
    var target = document.querySelector(source.getAttribute("data-clears"));
    if (target) { target.value = ""; }
  }, true);
})();
