// The dashboard's release-train section: the sprint as a timeline with today and the next
// transitions on it, each branch's state, and the merge gate's verdict on every open PR. The
// page reads /api/release-train in the browser, like the other sections, so the dashboard's
// own answer stays fast however many PRs are open.
import { type Html, html, raw } from "./html.js";

// Runs in the browser. Plain ES2017, no build step; text goes in with textContent only.
const SCRIPT = `
(function () {
  var root = document.getElementById("release-train");
  var state = root.querySelector(".train-status");
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function local(iso) { return iso.replace("T", " ").slice(0, 16) + " " + iso.slice(19); }
  fetch("/api/release-train").then(function (res) {
    return res.json().then(function (body) { return { ok: res.ok, body: body }; });
  }).then(function (r) {
    if (!r.ok) { state.textContent = r.body.error || "The release train is not available."; return; }
    var v = r.body;
    state.textContent = "Mode " + v.mode + " · sprint " + v.sprint.index + " (" + v.sprint.start.slice(0, 10) +
      " to " + v.sprint.end.slice(0, 10) + ") · " + v.phase.phase + " until " + local(v.phase.until) +
      (v.nextMinor ? " · next minor " + v.nextMinor : "") + (v.latestRelease ? " · latest release " + v.latestRelease : "");
    // The timeline: the sprint from start to end, today and the transitions placed on it.
    var line = root.querySelector(".train-timeline");
    var t0 = Date.parse(v.sprint.start), t1 = Date.parse(v.sprint.end);
    function place(iso, cls, label) {
      var t = Date.parse(iso);
      if (t < t0 || t > t1) return;
      var m = el("span", { "class": "mark " + cls, title: label + " " + local(iso), "data-kind": cls }, label);
      m.style.left = (100 * (t - t0) / (t1 - t0)).toFixed(2) + "%";
      line.appendChild(m);
    }
    place(v.now, "today", "today");
    v.next.forEach(function (n) { place(n.at, n.kind, n.kind); });
    var branches = root.querySelector("#train-branches tbody");
    v.branches.forEach(function (b) {
      var tr = el("tr", { "data-branch": b.branch });
      tr.appendChild(el("td", {}, b.branch));
      tr.appendChild(el("td", { "class": b.state === "open" ? "ok" : "warn" }, b.state));
      tr.appendChild(el("td", {}, b.rule));
      tr.appendChild(el("td", {}, (b.since ? "since " + local(b.since) + " " : "") + (b.until ? "until " + local(b.until) : "")));
      branches.appendChild(tr);
    });
    var next = root.querySelector("#train-next");
    v.next.forEach(function (n) { next.appendChild(el("li", { "data-kind": n.kind }, n.kind + " " + local(n.at))); });
    var gate = root.querySelector("#gate-table tbody");
    v.gate.forEach(function (g) {
      var tr = el("tr", { "data-pr": g.repo + "#" + g.number, "data-state": g.state });
      tr.appendChild(el("td", {}, g.repo + "#" + g.number));
      tr.appendChild(el("td", {}, g.title + (g.draft ? " (draft)" : "")));
      tr.appendChild(el("td", {}, g.base || ""));
      tr.appendChild(el("td", { "class": g.state === "success" ? "ok" : "bad" }, g.state));
      tr.appendChild(el("td", {}, g.description + (g.current ? "" : " (not on GitHub yet)")));
      gate.appendChild(tr);
    });
    if (v.gate.length === 0) {
      var none = el("tr"); none.appendChild(el("td", { colspan: "5", "class": "muted" }, "No open pull requests synced."));
      gate.appendChild(none);
    }
  }).catch(function (e) { state.textContent = "The release train is not available: " + e.message; });
})();
`;

const STYLE = `
#release-train .train-timeline { position:relative; height:2.6rem; margin:0.5rem 0 1rem; border-bottom:3px solid var(--line); }
#release-train .mark { position:absolute; bottom:-0.4rem; transform:translateX(-50%); font-size:0.75rem; white-space:nowrap; padding-bottom:0.9rem; border-left:2px solid currentColor; padding-left:2px; }
#release-train .mark.today { color:#0969da; font-weight:600; }
#release-train .mark.release { color:#1a7f37; }
#release-train .mark.freeze, #release-train .mark.deep-freeze, #release-train .mark.rc-cut { color:#9a6700; }
`;

export function renderReleaseSection(): Html {
  return html`<section id="release-train" class="wide">
    <h2>Release train</h2>
    <style>${raw(STYLE)}</style>
    <p class="train-status muted">Loading the release train…</p>
    <div class="train-timeline" aria-label="sprint timeline"></div>
    <table id="train-branches">
      <thead><tr><th>Branch</th><th>State</th><th>Rule</th><th>When</th></tr></thead>
      <tbody></tbody>
    </table>
    <h3>Next transitions</h3>
    <ul id="train-next"></ul>
    <h3>Merge gate</h3>
    <table id="gate-table">
      <thead><tr><th>PR</th><th>Title</th><th>Into</th><th>Verdict</th><th>Why</th></tr></thead>
      <tbody></tbody>
    </table>
    <p class="muted"><a href="/api/release-train">/api/release-train</a> · <a href="/calendar.ics">calendar.ics</a> (subscribe) · <a href="/api/calendar">/api/calendar</a></p>
    <script>${raw(SCRIPT)}</script>
  </section>`;
}
