// Render every Vega-Lite chart whose spec sits in a JSON <script> block (no inline code, CSP-safe).
(function () {
  "use strict";
  // The page's language: the message comes translated on the script tag (templates/_charts_js.html).
  var script = document.currentScript;
  var FAILED = (script && script.dataset.failed) || "The chart could not be drawn; the table on this page has the same data.";

  function render(root) {
    root.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      if (el.dataset.rendered) return;
      var source = document.getElementById(el.dataset.vegaSpec);
      if (!source || typeof vegaEmbed === "undefined") return;
      el.dataset.rendered = "1";
      var spec = JSON.parse(source.textContent);
      // The container is the described image (role=img, its translated aria-label): Vega adds no
      // ARIA of its own ("Title text …", "Vega visualization", in English) to the hidden drawing.
      spec.config = Object.assign({ aria: false }, spec.config || {});
      if (!spec.description && el.getAttribute("aria-label")) spec.description = el.getAttribute("aria-label");
      // On a narrow screen a fixed-width chart shrinks to its box (room left for the axis labels);
      // a chart made of several panels keeps its size and scrolls inside its box (CSS).
      var room = el.clientWidth - 60;
      if (typeof spec.width === "number" && room > 160 && spec.width > room) spec.width = room;
      vegaEmbed(el, spec, {
        actions: false,
        renderer: "svg",
        ast: true,
        expr: vegaInterpreter.expressionInterpreter,
        defaultStyle: false,
      })
        .then(function (result) {
          el.classList.add("vega-ready");
          // The container is the image (role=img, aria-label) and a table beside it holds the data,
          // so the drawing itself stays out of the accessibility tree.
          var svg = el.querySelector("svg");
          if (svg) {
            svg.setAttribute("aria-hidden", "true");
            // Vega still labels some parts itself, in English ("Title text …"): not for a hidden drawing.
            svg.querySelectorAll("[aria-label], [aria-roledescription]").forEach(function (node) {
              node.removeAttribute("aria-label");
              node.removeAttribute("aria-roledescription");
            });
          }
          result.view.addEventListener("click", function (event, item) {
            var url = item && item.datum && item.datum.url;
            if (url && url.charAt(0) === "/") window.location.assign(url);
          });
        })
        .catch(function (error) {
          el.classList.add("vega-failed");
          el.textContent = FAILED;
          if (window.console) console.error(error);
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.addEventListener("htmx:afterSwap", function (event) { render(event.target); });
})();
