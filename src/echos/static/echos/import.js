// Show an indeterminate progress bar while a long file uploads and is checked.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("import-form");
    var bar = document.getElementById("import-progress");
    if (!form || !bar) return;
    form.addEventListener("submit", function () {
      bar.hidden = false;
      form.setAttribute("aria-busy", "true");
    });
  });
})();
