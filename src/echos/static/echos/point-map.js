/* Place a point by clicking a country's outline (core/outline.py): the click becomes latitude and
   longitude in the two visible number fields, which stay the way to type them. */
(function () {
  "use strict";
  function round(value) { return Math.round(value * 100000) / 100000; }

  function setUp(box) {
    if (box.dataset.ready) { return; }
    box.dataset.ready = "1";
    var west = parseFloat(box.dataset.west), north = parseFloat(box.dataset.north);
    var k = parseFloat(box.dataset.k), scale = parseFloat(box.dataset.scale);
    var lat = document.getElementById(box.dataset.lat), lon = document.getElementById(box.dataset.lon);
    var svg = box.querySelector("svg"), marker = box.querySelector(".point-map-marker");
    var centre = box.querySelector(".point-map-centre");
    if (!lat || !lon || !svg) { return; }

    function showMarker() {
      var la = parseFloat(lat.value), lo = parseFloat(lon.value);
      if (isNaN(la) || isNaN(lo)) { marker.setAttribute("visibility", "hidden"); return; }
      marker.setAttribute("cx", ((lo - west) * k * scale).toFixed(1));
      marker.setAttribute("cy", ((north - la) * scale).toFixed(1));
      marker.setAttribute("visibility", "visible");
    }
    function place(la, lo) {
      lat.value = round(la);
      lon.value = round(lo);
      [lat, lon].forEach(function (input) { input.dispatchEvent(new Event("change", { bubbles: true })); });
      showMarker();
    }
    svg.addEventListener("click", function (event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var inside = point.matrixTransform(svg.getScreenCTM().inverse());
      place(north - inside.y / scale, west + inside.x / (k * scale));
    });
    if (centre) {
      centre.hidden = false;
      centre.addEventListener("click", function () {
        place(parseFloat(centre.dataset.lat), parseFloat(centre.dataset.lon));
      });
    }
    lat.addEventListener("input", showMarker);
    lon.addEventListener("input", showMarker);
    showMarker();
  }

  function setUpAll() { document.querySelectorAll(".point-map").forEach(setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUpAll); } else { setUpAll(); }
})();
