// The dashboard's KPI section (R1, R2): each of the 20 KPIs over time as a uPlot chart (stored
// weekly snapshots, past weeks without one replayed from the events, so a fresh install shows
// its history) and the current week as a table. The page loads the data from
// /api/kpi/history and draws it in the browser, so the dashboard itself stays as fast as the
// status it shows.
import { type Html, html, raw } from "./html.js";

const STYLE = `
  #kpi .kpi-charts { display:grid; grid-template-columns:repeat(auto-fill, minmax(300px, 1fr)); gap:0.75rem; margin-top:0.75rem; }
  #kpi .kpi-chart h3 { font-size:0.8rem; font-weight:600; margin:0 0 0.25rem; color:var(--muted); }
  #kpi .kpi-chart .uplot { font-size:11px; }
  #kpi table td.alt { color:var(--warn); }
  #kpi .kpi-r1 { margin:0.5rem 0; }
`;

// Runs in the browser. Plain ES2017, no build step: it reads the JSON and builds the DOM.
const SCRIPT = `
(function () {
  var root = document.getElementById("kpi");
  var state = root.querySelector(".kpi-status");
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function show(v) { return v === null || v === undefined ? "–" : String(v); }
  fetch("/api/kpi/history?weeks=104").then(function (res) {
    return res.json().then(function (body) { return { ok: res.ok, body: body }; });
  }).then(function (r) {
    if (!r.ok) { state.textContent = r.body.error || "The KPI report is not available."; return; }
    var h = r.body, cur = h.current;
    var stored = h.sources.filter(function (s) { return s === "stored"; }).length;
    state.textContent = "This week so far (as of " + cur.asOf + ", " + (cur.repositories.join(", ")) +
      "); charts: " + h.weeks.length + " weekly boundaries (" + stored + " stored snapshots, " +
      (h.weeks.length - stored) + " replayed from events), time zone " + h.timeZone + ".";
    var r1 = root.querySelector(".kpi-r1");
    r1.textContent = "R1: opened this week " + cur.r1.openedThisWeek + " · closed this week " +
      cur.r1.closedThisWeek + " · open " + cur.r1.open + " (" + cur.r1.openByState.map(function (s) {
        return s.state + " " + s.count; }).join(", ") + ", no state " + cur.r1.openWithoutState + ")" +
      " · bugs without a released/unreleased label: " + cur.unlabelledBugs.length;
    var diff = {};
    cur.differences.forEach(function (d) { diff[d.index] = d; });
    var tbody = root.querySelector("#kpi-table tbody");
    cur.columns.forEach(function (c) {
      var tr = el("tr", { "data-kpi": c.key });
      tr.appendChild(el("td", { "class": "num" }, String(c.index)));
      tr.appendChild(el("td", {}, c.name));
      tr.appendChild(el("td", { "class": "num" }, show(c.value)));
      tr.appendChild(el("td", { "class": "num alt" }, diff[c.index] ? show(diff[c.index].script) : ""));
      tbody.appendChild(tr);
    });
    root.querySelector(".kpi-csv").textContent = cur.csv;
    var charts = root.querySelector(".kpi-charts");
    var xs = h.weeks.map(function (w) { return Date.parse(w) / 1000; });
    var stroke = getComputedStyle(document.documentElement).getPropertyValue("--ok") || "#1a7f37";
    h.columns.forEach(function (c, i) {
      var box = el("div", { "class": "kpi-chart", "data-kpi": c.key });
      box.appendChild(el("h3", {}, c.index + ". " + c.name));
      charts.appendChild(box);
      var ys = h.values.map(function (row) { return row[i]; });
      new uPlot({
        width: Math.max(260, box.clientWidth || 300), height: 140,
        legend: { show: false }, cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        series: [{}, { label: c.name, stroke: stroke.trim(), width: 1.5, spanGaps: false,
                        points: { show: xs.length < 30 } }],
        axes: [{ stroke: "#8d96a0" }, { stroke: "#8d96a0", size: 40 }]
      }, [xs, ys], box);
    });
    root.setAttribute("data-ready", "true");
  }).catch(function (err) { state.textContent = "The KPI report could not be loaded: " + err; });
})();
`;

export function renderKpiSection(): Html {
  return html`<section id="kpi" class="wide">
    <h2>Engineering KPIs</h2>
    <link rel="stylesheet" href="/assets/uplot/uPlot.min.css">
    <style>${raw(STYLE)}</style>
    <p class="kpi-status muted">Loading the KPI report…</p>
    <p class="kpi-r1"></p>
    <table id="kpi-table">
      <thead><tr><th class="num">#</th><th>KPI</th><th class="num">This week</th><th class="num">Script</th></tr></thead>
      <tbody></tbody>
    </table>
    <p class="muted">CSV row for the KPI sheet: <code class="kpi-csv"></code> · <a href="/api/kpi">/api/kpi</a> · <a href="/api/kpi/history">/api/kpi/history</a></p>
    <div class="kpi-charts"></div>
    <script src="/assets/uplot/uPlot.iife.min.js"></script>
    <script>${raw(SCRIPT)}</script>
  </section>`;
}
