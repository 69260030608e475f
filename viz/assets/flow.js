/* icsgraph flow graph: an SVG sequence diagram built with DOM calls; every
   string from a capture is set with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("icsgraph-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var COL = 220, LEFT = 150, TOP = 50, ROW = 26, RIGHT = 260;
  var width = LEFT + COL * Math.max(data.hosts.length - 1, 1) + RIGHT;
  var height = TOP + ROW * (data.events.length + 1);
  var column = {};
  data.hosts.forEach(function (h, i) { column[h] = LEFT + i * COL; });

  function svg(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height });
  var defs = svg("defs", {});
  var marker = svg("marker", { id: "head", markerWidth: 8, markerHeight: 8, refX: 8, refY: 4,
    orient: "auto", markerUnits: "userSpaceOnUse" });
  marker.appendChild(svg("path", { d: "M0,0 L8,4 L0,8 z", fill: "#343a40" }));
  defs.appendChild(marker);
  root.appendChild(defs);
  root.appendChild(svg("text", { x: 8, y: 20, "class": "host" }, "time (s)"));
  data.hosts.forEach(function (h) {
    var x = column[h];
    root.appendChild(svg("text", { x: x, y: 20, "text-anchor": "middle", "class": "host" }, h));
    root.appendChild(svg("line", { x1: x, y1: 28, x2: x, y2: height, stroke: "#ced4da",
      "stroke-dasharray": "4 3" }));
  });

  var panel = document.getElementById("panel");
  function row(name, value) {
    if (value === undefined || value === null || value === "") { return; }
    var line = el("div", null, "row");
    line.appendChild(el("span", name, "key"));
    line.appendChild(el("span", value, "value"));
    panel.appendChild(line);
  }
  function show(e) {
    panel.replaceChildren();
    panel.appendChild(el("h2", "frame " + e.frame));
    row("time", new Date(e.t * 1000).toISOString() + " (+" + e.rel.toFixed(6) + " s)");
    row("from", e.src + (e.sp !== null ? ":" + e.sp : ""));
    row("to", e.dst + (e.dp !== null ? ":" + e.dp : ""));
    row("protocol", e.proto);
    row("summary", e.summary);
    row("capture", e.capture);
    row("session", e.session);
    if (e.cmd) { panel.appendChild(el("h3", "Follow")); panel.appendChild(el("code", e.cmd, "cmd")); }
  }

  var arrows = 0;
  data.events.forEach(function (e, i) {
    var y = TOP + ROW * i + ROW / 2;
    var g = svg("g", { "class": "row" });
    g.appendChild(svg("rect", { x: 0, y: y - ROW / 2, width: width, height: ROW, "class": "hit" }));
    g.appendChild(svg("text", { x: 8, y: y + 4, "class": "time" }, e.rel.toFixed(6)));
    var x1 = column[e.src], x2 = column[e.dst];
    if (x1 === x2) { x2 = x1 + 40; }
    g.appendChild(svg("line", { x1: x1, y1: y, x2: x2, y2: y, stroke: "#343a40",
      "stroke-width": 1.2, "marker-end": "url(#head)", "class": "arrow" }));
    arrows += 1;
    var mid = (x1 + x2) / 2;
    var label = e.proto + ": " + e.summary;
    g.appendChild(svg("text", { x: mid, y: y - 4, "text-anchor": "middle" },
      label.length > 60 ? label.slice(0, 59) + "\u2026" : label));
    var left = x1 < x2;
    if (e.sp !== null) {
      g.appendChild(svg("text", { x: x1 + (left ? -4 : 4), y: y + 11,
        "text-anchor": left ? "end" : "start", "class": "time" }, e.sp));
    }
    if (e.dp !== null) {
      g.appendChild(svg("text", { x: x2 + (left ? 4 : -4), y: y + 11,
        "text-anchor": left ? "start" : "end", "class": "time" }, e.dp));
    }
    var right = LEFT + COL * Math.max(data.hosts.length - 1, 1) + 30;
    g.appendChild(svg("text", { x: right, y: y + 4, "class": "frame" }, "frame " + e.frame));
    g.appendChild(svg("title", {}, label));
    g.addEventListener("click", function () { show(e); });
    root.appendChild(g);
  });
  document.getElementById("flow").appendChild(root);
  document.getElementById("summary").textContent =
    data.events.length + " packets/events between " + data.hosts.length + " hosts";
  window.icsgraphShow = function (i) { show(data.events[i]); };
  requestAnimationFrame(function () {
    window.icsgraph = {
      events: data.events.length,
      hosts: data.hosts.length,
      drawnArrows: document.querySelectorAll("#flow line.arrow").length,
      counted: arrows
    };
    window.icsgraphReady = true;
  });
})();
