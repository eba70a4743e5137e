// The dashboard's rituals section (R43, R47, R48): the rituals of the next 30 days and the issues
// Bosun filed for rituals recently. The page reads /api/rituals in the browser, like the KPI
// section, so the dashboard's own response stays as fast as the status it shows.
import { type Html, html, raw } from "./html.js";

// Runs in the browser. Plain ES2017, no build step; text goes in with textContent only.
const SCRIPT = `
(function () {
  var root = document.getElementById("rituals");
  var state = root.querySelector(".rituals-status");
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // The server's own clock and calendar decide "today", so the page agrees with the API.
  fetch("/api/rituals").then(function (res) {
    return res.json().then(function (body) { return { ok: res.ok, body: body }; });
  }).then(function (r) {
    if (!r.ok) { state.textContent = r.body.error || "Rituals are not available."; return; }
    var v = r.body;
    state.textContent = v.upcoming.length + " occurrences from " + v.from + " to " + v.to +
      " (" + v.timeZone + ") · " + v.runbooks + " runbooks imported";
    var tbody = root.querySelector("#rituals-upcoming tbody");
    v.upcoming.forEach(function (o) {
      var tr = el("tr", { "data-ritual": o.ritualId, "data-date": o.date });
      tr.appendChild(el("td", {}, o.date + " " + o.at.slice(11, 16)));
      var task = o.handoff ? o.task + " (@" + o.handoff.outgoing + " → @" + o.handoff.incoming + ")" : o.task;
      tr.appendChild(el("td", {}, task));
      tr.appendChild(el("td", {}, o.frequency));
      tr.appendChild(el("td", {}, "@" + o.assignee));
      tr.appendChild(el("td", {}, o.repo ? o.repo + (o.labels.length ? " [" + o.labels.join(", ") + "]" : "") : "—"));
      tbody.appendChild(tr);
    });
    if (v.upcoming.length === 0) {
      var none = el("tr"); none.appendChild(el("td", { colspan: "5", "class": "muted" }, "No rituals in the next 30 days."));
      tbody.appendChild(none);
    }
    var recent = root.querySelector("#rituals-recent tbody");
    v.recent.forEach(function (a) {
      var tr = el("tr");
      tr.appendChild(el("td", {}, a.at.replace("T", " ").slice(0, 16)));
      tr.appendChild(el("td", {}, a.line));
      tr.appendChild(el("td", { "class": a.status === "failed" ? "bad" : "" }, a.status + (a.error ? ": " + a.error : "")));
      recent.appendChild(tr);
    });
    v.filed.slice(0, 10).forEach(function (f) {
      var tr = el("tr");
      tr.appendChild(el("td", {}, f.occurrence));
      tr.appendChild(el("td", {}, f.repo + "#" + f.number + " (" + f.ritualId + ", " + f.state + ")"));
      tr.appendChild(el("td", {}, "filed"));
      recent.appendChild(tr);
    });
    if (v.recent.length === 0 && v.filed.length === 0) {
      var empty = el("tr"); empty.appendChild(el("td", { colspan: "3", "class": "muted" }, "No ritual issues yet."));
      recent.appendChild(empty);
    }
    var skipped = root.querySelector(".rituals-skipped");
    v.skipped.forEach(function (s) {
      skipped.appendChild(el("li", { "class": "bad" }, (s.task || "a ritual") + " is skipped: " + s.errors.join("; ")));
    });
  }).catch(function (e) { state.textContent = "Rituals are not available: " + e.message; });
})();
`;

export function renderRitualsSection(): Html {
  return html`<section id="rituals" class="wide">
    <h2>Rituals</h2>
    <p class="rituals-status muted">Loading the rituals…</p>
    <ul class="rituals-skipped"></ul>
    <table id="rituals-upcoming">
      <thead><tr><th>When</th><th>Ritual</th><th>Frequency</th><th>Assignee</th><th>Opens issue in</th></tr></thead>
      <tbody></tbody>
    </table>
    <h3>Recent auto-issues</h3>
    <table id="rituals-recent">
      <thead><tr><th>When</th><th>Issue</th><th>Status</th></tr></thead>
      <tbody></tbody>
    </table>
    <p class="muted"><a href="/api/rituals">/api/rituals</a> · <a href="/rituals.ics">rituals.ics</a> · <a href="/api/runbooks">/api/runbooks</a></p>
    <script>${raw(SCRIPT)}</script>
  </section>`;
}
