// The engagement network map: a small force layout drawn in SVG, with pan, zoom, keyboard access
// and a sortable table. No library and no network access; without JavaScript the table remains.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var KIND = { hub: "#d94801", organisation: "#0b4f8a", record: "#74c476" };
  var PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
    "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6"];

  function el(name, attrs) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // Deterministic layout: nodes start on a spiral, then springs pull tied nodes together and every
  // pair pushes apart (n is at most a few hundred, so the O(n^2) step is cheap).
  function layout(nodes, edges, size) {
    var n = nodes.length, i, j, step;
    nodes.forEach(function (d, k) {
      var a = k * 2.399963, r = 12 * Math.sqrt(k + 1);
      d.x = size / 2 + r * Math.cos(a); d.y = size / 2 + r * Math.sin(a);
    });
    var ideal = Math.max(18, Math.min(60, size / Math.sqrt(n + 1)));
    for (step = 0; step < 300; step++) {
      var t = 1 - step / 300, fx = new Float64Array(n), fy = new Float64Array(n);
      for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
          var dx = nodes[i].x - nodes[j].x, dy = nodes[i].y - nodes[j].y;
          var d2 = dx * dx + dy * dy + 0.01, f = ideal * ideal / d2;
          fx[i] += dx * f; fy[i] += dy * f; fx[j] -= dx * f; fy[j] -= dy * f;
        }
      }
      edges.forEach(function (e) {
        var a = nodes[e[0]], b = nodes[e[1]];
        var dx = a.x - b.x, dy = a.y - b.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        var f = (d - ideal) / d * 0.5;
        fx[e[0]] -= dx * f; fy[e[0]] -= dy * f; fx[e[1]] += dx * f; fy[e[1]] += dy * f;
      });
      for (i = 0; i < n; i++) {
        fx[i] += (size / 2 - nodes[i].x) * 0.01; fy[i] += (size / 2 - nodes[i].y) * 0.01;
        var m = Math.sqrt(fx[i] * fx[i] + fy[i] * fy[i]) || 1, cap = Math.min(m, 10 * t + 0.5);
        nodes[i].x += fx[i] / m * cap; nodes[i].y += fy[i] / m * cap;
      }
    }
  }

  // The node's kind in the page's language (data-kind-hub… on the graph box), the code otherwise.
  function kindName(kind) {
    var box = document.getElementById("network-graph");
    var key = "kind" + kind.charAt(0).toUpperCase() + kind.slice(1);
    return (box && box.dataset[key]) || kind;
  }

  function draw(box, data) {
    var nodes = data.nodes, edges = data.edges, size = 800;
    layout(nodes, edges, size);
    var svg = el("svg", { viewBox: "0 0 " + size + " " + size, role: "group", tabindex: "0",
      "aria-label": box.dataset.label });
    var view = { x: 0, y: 0, k: 1 };
    var scene = el("g");
    svg.appendChild(scene);
    edges.forEach(function (e) {
      var a = nodes[e[0]], b = nodes[e[1]];
      scene.appendChild(el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y,
        "class": e[2].indexOf("relationship") === 0 ? "rel" : "" }));
    });
    var maxB = Math.max.apply(null, nodes.map(function (d) { return d.betweenness; }).concat([1e-9]));
    var details = document.getElementById("network-details");
    var shapes = nodes.map(function (d) {
      var g = el("g", { "class": "node", tabindex: "0", role: "button",
        "aria-label": d.label + " (" + kindName(d.kind) + "), " + box.dataset.degree + " " + d.degree });
      var r = d.kind === "hub" ? 9 : 4 + 8 * Math.sqrt(d.betweenness / maxB);
      g.appendChild(el("circle", { cx: d.x, cy: d.y, r: r }));
      if (d.kind !== "record") {
        var label = el("text", { x: d.x + r + 2, y: d.y + 3 });
        label.textContent = d.label.length > 28 ? d.label.slice(0, 27) + "…" : d.label;
        g.appendChild(label);
      }
      function show() {
        shapes.forEach(function (s) { s.classList.remove("selected"); });
        g.classList.add("selected");
        details.textContent = "";
        var h = document.createElement("p"), s = document.createElement("strong");
        s.textContent = d.label; h.appendChild(s);
        h.appendChild(document.createTextNode(" · " + [kindName(d.kind), d.country, d.date].filter(Boolean).join(" · ")));
        var f = document.createElement("p");
        f.textContent = box.dataset.degree + ": " + d.degree + " · " + box.dataset.betweenness + ": " +
          d.betweenness.toFixed(4) + " · " + box.dataset.community + ": " + (d.community + 1);
        details.appendChild(h); details.appendChild(f);
      }
      g.addEventListener("click", show);
      g.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); show(); }
      });
      scene.appendChild(g);
      return g;
    });
    function colour(by) {
      shapes.forEach(function (g, k) {
        var d = nodes[k];
        g.firstChild.setAttribute("fill", by === "community" ? PALETTE[d.community % PALETTE.length] : KIND[d.kind]);
      });
    }
    function apply() { scene.setAttribute("transform", "translate(" + view.x + " " + view.y + ") scale(" + view.k + ")"); }
    function zoom(f, cx, cy) {
      cx = cx === undefined ? size / 2 : cx; cy = cy === undefined ? size / 2 : cy;
      var k = Math.max(0.2, Math.min(8, view.k * f));
      view.x = cx - (cx - view.x) * k / view.k; view.y = cy - (cy - view.y) * k / view.k; view.k = k; apply();
    }
    colour("kind");
    box.appendChild(svg);
    var select = document.getElementById("network-colour");
    if (select) select.addEventListener("change", function () { colour(select.value); });
    document.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        if (b.dataset.zoom === "in") zoom(1.25); else if (b.dataset.zoom === "out") zoom(0.8);
        else { view = { x: 0, y: 0, k: 1 }; apply(); }
      });
    });
    function point(ev) {
      var r = svg.getBoundingClientRect();
      return [(ev.clientX - r.left) * size / r.width, (ev.clientY - r.top) * size / r.height];
    }
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault(); var p = point(ev); zoom(ev.deltaY < 0 ? 1.1 : 0.9, p[0], p[1]);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (ev) {
      if (ev.target.closest && ev.target.closest("g.node")) return;
      drag = point(ev); svg.setPointerCapture(ev.pointerId);
    });
    svg.addEventListener("pointermove", function (ev) {
      if (!drag) return; var p = point(ev);
      view.x += p[0] - drag[0]; view.y += p[1] - drag[1]; drag = p; apply();
    });
    svg.addEventListener("pointerup", function () { drag = null; });
    // Keyboard: arrows pan, + and - zoom, when the map itself has the focus.
    svg.addEventListener("keydown", function (ev) {
      if (ev.target !== svg) return;
      var moves = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] };
      if (moves[ev.key]) { ev.preventDefault(); view.x += moves[ev.key][0]; view.y += moves[ev.key][1]; apply(); }
      else if (ev.key === "+" || ev.key === "=") zoom(1.25);
      else if (ev.key === "-") zoom(0.8);
    });
  }

  // Sortable tables: each column heading becomes a button; aria-sort says the order.
  function sortable(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button"; button.textContent = th.textContent; th.textContent = ""; th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var numeric = th.dataset.type === "number", body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          if (!x || !y) return 0;
          var p = numeric ? parseFloat(x.dataset.value) : x.textContent.trim();
          var q = numeric ? parseFloat(y.dataset.value) : y.textContent.trim();
          var c = numeric ? p - q : p.localeCompare(q);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  var box = document.getElementById("network-graph");
  var source = document.getElementById("network-data");
  if (box && source) {
    var data = JSON.parse(source.textContent);
    if (data && data.nodes && data.nodes.length) draw(box, data);
  }
  document.querySelectorAll("table.sortable").forEach(sortable);
})();
