/* icsgraph investigation report: every value from the graph is read from the
   inert JSON block and set with textContent, never parsed as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("icsgraph-data").textContent);
  var tables = 0, rows = 0;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function cell(value) {
    if (value === null || value === undefined) { return ""; }
    if (Array.isArray(value)) { return value.map(cell).join(", "); }
    if (typeof value === "object") {
      return Object.keys(value).map(function (k) {
        return k + ": " + cell(value[k]);
      }).join("\n");
    }
    return String(value);
  }

  function table(keys, items) {
    var t = el("table"), head = el("tr");
    keys.forEach(function (k) { head.appendChild(el("th", k)); });
    t.appendChild(head);
    items.forEach(function (row) {
      var tr = el("tr");
      keys.forEach(function (k) { tr.appendChild(el("td", cell(row[k]))); });
      t.appendChild(tr);
    });
    tables += 1; rows += items.length;
    return t;
  }

  function evidence(list) {
    var box = el("details"), items = list.map(function (e) {
      return { session: e.session, frames: e.frames, follow: e.follow };
    });
    box.appendChild(el("summary", "Evidence: " + list.length + " sessions to follow"));
    box.appendChild(table(["session", "frames", "follow"], items));
    return box;
  }

  function answer(a) {
    var box = el("div");
    box.appendChild(el("h3", a.ref + ": " + a.title));
    var p = el("p"); p.appendChild(el("span", "Rerun: ", "muted"));
    p.appendChild(el("code", a.rerun)); box.appendChild(p);
    var q = el("details"); q.appendChild(el("summary", "Cypher of " + a.ref));
    q.appendChild(el("pre", a.cypher)); box.appendChild(q);
    if (a.rows.length === 0) {
      box.appendChild(el("p", "No rows.", "empty"));
    } else {
      box.appendChild(table(a.keys, a.rows));
    }
    if (a.evidence.length) { box.appendChild(evidence(a.evidence)); }
    return box;
  }

  function step(s) {
    var sec = el("section"); sec.id = "step-" + s.number;
    sec.appendChild(el("h2", s.number + ". " + s.title));
    sec.appendChild(el("p", s.question, "muted"));
    if (s.answers.length === 0) { sec.appendChild(el("p", "Nothing to run.", "empty")); }
    s.answers.forEach(function (a) { sec.appendChild(answer(a)); });
    var link = el("a", s.number + ". " + s.title); link.href = "#step-" + s.number;
    document.getElementById("toc").appendChild(link);
    return sec;
  }

  document.getElementById("summary").textContent =
    "Case " + data.case + "; suspects " + data.suspects.join(", ") +
    " (" + data.suspects_from + "); " + data.findings + " findings recorded; " +
    (data.secrets_shown ? "secrets shown in clear." : "secrets masked.");
  var steps = document.getElementById("steps");
  data.steps.forEach(function (s) { steps.appendChild(step(s)); });
  window.icsgraph = { steps: data.steps.length, tables: tables, rows: rows };
  window.icsgraphReady = true;
}());
