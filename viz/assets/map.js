/* icsgraph device map. Reads its data from the inert JSON block and shows
   every piece of it with textContent: nothing from a capture becomes markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("icsgraph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var big = data.edges.length > 2000 || data.nodes.length > 1000;
  var container = document.getElementById("graph");
  var options = {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: {
      hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
      multiselect: true
    },
    nodes: { font: { size: 12, face: "sans-serif" } },
    edges: {
      smooth: false,
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      font: { size: 10, align: "horizontal", face: "sans-serif" },
      selectionWidth: 2
    }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function row(parent, name, value) {
    if (value === undefined || value === null || value === "") { return; }
    var line = el("div", null, "row");
    line.appendChild(el("span", name, "key"));
    line.appendChild(el("span", value, "value"));
    parent.appendChild(line);
  }
  function sessionList(parent, sessions) {
    if (!sessions || !sessions.length) { return; }
    var list = el("ul", null, "sessions");
    sessions.forEach(function (s) {
      var item = el("li");
      item.appendChild(el("code", s.cmd, "cmd"));
      list.appendChild(item);
    });
    parent.appendChild(list);
  }
  function listSection(parent, heading, items, render) {
    if (!items || !items.length) { return; }
    parent.appendChild(el("h3", heading));
    items.forEach(function (item) { render(parent, item); });
  }

  var panel = document.getElementById("panel");
  function showNode(id) {
    var node = nodes.get(id);
    if (!node) { return; }
    var d = node.d;
    panel.replaceChildren();
    panel.appendChild(el("h2", d.address));
    row(panel, "role", d.role);
    row(panel, "vendor", d.vendor);
    row(panel, "model", d.model);
    row(panel, "name", d.name);
    row(panel, "zone", d.zone);
    row(panel, "MACs", d.macs.join(", "));
    row(panel, "layer 2 only", d.layer2 ? "yes" : "");
    row(panel, "peers", network.getConnectedNodes(id).length);
    listSection(panel, "Banners", d.banners, function (p, b) {
      p.appendChild(el("pre", b, "banner"));
    });
    listSection(panel, "Badges", d.badges, function (p, b) {
      var box = el("div", null, "badge badge-" + b.kind);
      box.appendChild(el("strong", b.kind + ": " + b.label));
      if (b.detail) { box.appendChild(el("div", b.detail, "detail")); }
      sessionList(box, b.sessions);
      p.appendChild(box);
    });
  }
  function showEdge(id) {
    var edge = edges.get(id);
    if (!edge) { return; }
    var d = edge.d;
    var from = nodes.get(edge.from), to = nodes.get(edge.to);
    panel.replaceChildren();
    panel.appendChild(el("h2", d.protocol + " (" + d.outcome + ")"));
    row(panel, "client", from.d.address);
    row(panel, "server", to.d.address);
    row(panel, "ports", d.ports.join(", "));
    row(panel, "sessions", d.sessions);
    row(panel, "packets", d.packets);
    row(panel, "bytes", d.bytes);
    listSection(panel, "Sessions to follow", d.keys.length ? [d.keys] : [], sessionList);
  }

  var tip = document.getElementById("tip");
  function showTip(lines, pointer) {
    tip.replaceChildren();
    lines.forEach(function (line) { if (line) { tip.appendChild(el("div", line)); } });
    var box = container.getBoundingClientRect();
    tip.style.left = (box.left + pointer.x + 14) + "px";
    tip.style.top = (box.top + pointer.y + 14) + "px";
    tip.hidden = false;
  }
  function nodeTip(node) {
    var d = node.d;
    var lines = [d.address, [d.vendor, d.model].filter(Boolean).join(" "), d.name];
    if (d.banners.length) { lines.push(d.banners[0].slice(0, 200)); }
    if (d.badges.length) { lines.push(d.badges.length + " badge(s): click for details"); }
    return lines;
  }
  function edgeTip(edge) {
    var d = edge.d;
    return [d.protocol + " " + d.outcome, d.sessions + " session(s), " + d.bytes + " bytes"];
  }
  network.on("hoverNode", function (p) { showTip(nodeTip(nodes.get(p.node)), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTip(edgeTip(edges.get(p.edge)), p.pointer.DOM); });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("blurEdge", function () { tip.hidden = true; });
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); } else if (p.edges.length) { showEdge(p.edges[0]); }
  });

  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.font = "bold 28px sans-serif";
    ctx.fillStyle = "#6c757d";
    ctx.textAlign = "center";
    data.zones.forEach(function (z) { ctx.fillText(z.name, z.x, z.y); });
    ctx.restore();
  });

  var searchResult = document.getElementById("search-result");
  document.getElementById("search").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    if (!q) { searchResult.textContent = ""; network.unselectAll(); return; }
    var found = nodes.getIds({ filter: function (n) { return n.s.indexOf(q) !== -1; } });
    searchResult.textContent = found.length + " found";
    network.selectNodes(found.slice(0, 500));
    if (found.length) {
      network.fit({ nodes: found.slice(0, 500), animation: false });
      showNode(found[0]);
    }
  });

  var enabled = {};
  function applyProtocols() {
    var changes = edges.get().map(function (e) { return { id: e.id, hidden: !enabled[e.p] }; });
    edges.update(changes);
  }
  var protocolBox = document.getElementById("protocols");
  data.legend.protocols.forEach(function (p) {
    enabled[p.name] = true;
    var label = el("label", null, "proto");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { enabled[p.name] = box.checked; applyProtocols(); });
    var swatch = el("span", null, "swatch line");
    swatch.style.background = p.colour;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", p.name));
    protocolBox.appendChild(label);
  });

  var legend = document.getElementById("legend-body");
  data.legend.roles.forEach(function (r) {
    var item = el("div", null, "legend-item");
    var swatch = el("span", null, "swatch shape-" + r.shape);
    swatch.style.background = r.colour;
    item.appendChild(swatch);
    item.appendChild(el("span", r.name));
    legend.appendChild(item);
  });
  data.legend.outcomes.forEach(function (o) {
    var item = el("div", null, "legend-item");
    var swatch = el("span", null, "swatch dashed");
    swatch.style.borderColor = o.colour;
    item.appendChild(swatch);
    item.appendChild(el("span", o.name + " attempts"));
    legend.appendChild(item);
  });
  legend.appendChild(el("div", "dashed outline: seen only at layer 2; red glow: focus",
    "muted"));

  function neighbourhood(ids) {
    var keep = {};
    ids.forEach(function (id) {
      keep[id] = true;
      network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    });
    return Object.keys(keep);
  }
  var around = neighbourhood(data.focus);
  document.getElementById("focus-only").addEventListener("change", function (ev) {
    var keep = {};
    around.forEach(function (id) { keep[id] = true; });
    var only = ev.target.checked && around.length > 0;
    nodes.update(nodes.getIds().map(function (id) { return { id: id, hidden: only && !keep[id] }; }));
  });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });

  window.icsgraphNetwork = network;
  window.icsgraphNodes = nodes;
  window.icsgraphEdges = edges;
  window.icsgraphSelect = function (id) { network.selectNodes([id]); showNode(id); };
  window.icsgraphSelectEdge = function (id) { showEdge(id); };
  network.once("afterDrawing", function () {
    if (around.length) { network.fit({ nodes: around, animation: false }); }
    window.icsgraph = {
      nodes: nodes.length,
      edges: edges.length,
      drawnNodes: network.body.nodeIndices.length,
      drawnEdges: network.body.edgeIndices.length
    };
    window.icsgraphReady = true;
  });
})();
