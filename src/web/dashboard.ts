import type { NotificationView, StatusView } from "../api/views.js";
import type { HandbookSummary } from "../handbook/summary.js";
import { html } from "./html.js";
import { renderKpiSection } from "./kpi.js";
import { renderNotificationsSection } from "./notifications.js";
import { renderReleaseSection } from "./release.js";
import { renderRitualsSection } from "./rituals.js";

export interface DashboardModel {
  status: StatusView;
  summary: HandbookSummary;
  rules: { name: string; ids: string[]; section: string; summary: string }[];
  /** Messages posted to Slack, newest first. */
  notifications?: readonly NotificationView[];
}

const STYLE = `
  :root { color-scheme: light dark; --fg:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#fff; --card:#f6f8fa; --ok:#1a7f37; --bad:#cf222e; --warn:#9a6700; }
  @media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --muted:#8d96a0; --line:#30363d; --bg:#0d1117; --card:#161b22; } }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; color:var(--fg); background:var(--bg); }
  header { display:flex; gap:1rem; align-items:baseline; padding:1rem 1.5rem; border-bottom:1px solid var(--line); }
  header h1 { margin:0; font-size:1.25rem; } header .muted { color:var(--muted); }
  main { display:grid; grid-template-columns:repeat(auto-fit, minmax(340px, 1fr)); gap:1rem; padding:1rem 1.5rem; }
  section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:0.75rem 1rem; min-width:0; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size:1rem; margin:0 0 0.5rem; }
  table { border-collapse:collapse; width:100%; }
  th, td { text-align:left; padding:0.25rem 0.5rem 0.25rem 0; border-bottom:1px solid var(--line); vertical-align:top; }
  th { color:var(--muted); font-weight:600; }
  td.num { text-align:right; font-variant-numeric:tabular-nums; }
  .ok { color:var(--ok); } .bad { color:var(--bad); } .warn { color:var(--warn); } .muted { color:var(--muted); }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:0.9em; }
`;

export function renderDashboard({
  status,
  summary,
  rules,
  notifications = [],
}: DashboardModel): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bosun · ${summary.organisation}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Bosun</h1>
  <span>${summary.organisation}</span>
  <span class="muted">release train: ${summary.releaseMode} · sprint ${summary.sprint.index} · next RC cut ${humanInstant(summary.nextRcCut)} · next release ${humanInstant(summary.nextRelease)} · store: ${status.store.backend} (schema v${status.store.schemaVersion})</span>
</header>
<main>
  <section id="repositories">
    <h2>Repositories</h2>
    <p id="sync-state" class="muted">${syncLine(status.sync)}</p>
    <table>
      <thead><tr><th>Repository</th><th>Sync</th><th class="num">Issues</th><th class="num">PRs</th></tr></thead>
      <tbody>
      ${status.repositories.map(
        (r) => html`<tr data-repo="${r.fullName}">
          <td>${r.fullName}</td>
          <td>${r.synced ? html`<span class="ok">synced</span> <span class="muted">${r.lastSyncedAt ?? ""}</span>` : html`<span class="warn">not synced yet</span>`}</td>
          <td class="num">${r.issues}</td><td class="num">${r.pullRequests}</td>
        </tr>`,
      )}
      </tbody>
    </table>
  </section>
  <section id="handbook">
    <h2>Handbook</h2>
    <table>
      <tbody>
      ${summary.groups.map(
        (g) =>
          html`<tr><th>${g.label}</th><td>EM @${g.engineeringManager} · QA @${g.qaLead}</td></tr>`,
      )}
      ${Object.entries(summary.roles).map(([role, who]) => html`<tr><th>${ROLE_NAMES[role] ?? role}</th><td>${formatWho(who)}</td></tr>`)}
      <tr><th>on call now</th><td>@${summary.onCall.current} <span class="muted">until ${humanInstant(summary.onCall.until)}</span></td></tr>
      </tbody>
    </table>
  </section>
  <section id="recent-actions" class="wide">
    <h2>Recent actions</h2>
    ${
      status.recent.length === 0
        ? html`<p class="muted">No actions yet. Bosun records every effect it applies, skips or plans here, with the rule that decided it.</p>`
        : html`<table>
      <thead><tr><th>When</th><th>Rule</th><th>Action</th><th>Status</th><th>Why</th></tr></thead>
      <tbody>
      ${status.recent.map(
        (a) => html`<tr>
          <td><time datetime="${a.at}">${a.at.replace("T", " ").slice(0, 19)}</time></td>
          <td><code>${a.rule}</code></td><td>${a.line}</td>
          <td class="${statusClass(a.status)}">${a.status}${a.error ? html`: ${a.error}` : ""}</td>
          <td>${a.reason}</td>
        </tr>`,
      )}
      </tbody>
    </table>`
    }
  </section>
  ${renderNotificationsSection(notifications)}
  ${renderReleaseSection()}
  ${renderKpiSection()}
  ${renderRitualsSection()}
  <section id="rules" class="wide">
    <h2>Rules</h2>
    <table>
      <thead><tr><th>Rule</th><th>Handbook</th><th>Configured in</th><th>What it does</th></tr></thead>
      <tbody>
      ${rules.map(
        (r) =>
          html`<tr><td><code>${r.name}</code></td><td>${r.ids.join(", ") || "—"}</td><td><code>${r.section}</code></td><td>${r.summary}</td></tr>`,
      )}
      </tbody>
    </table>
  </section>
</main>
<footer class="muted" style="padding:0 1.5rem 1rem">Generated ${status.generatedAt} · <a href="/api/status">/api/status</a> · <a href="/api/audit">/api/audit</a> · <a href="/metrics">/metrics</a></footer>
</body>
</html>`;
  return page.value;
}

function syncLine(sync: StatusView["sync"]) {
  if (sync.running) {
    const pct = sync.total ? Math.floor(((sync.done ?? 0) / sync.total) * 100) : 0;
    return html`Syncing: ${sync.phase ?? "starting"} <progress max="100" value="${pct}"></progress> ${sync.done ?? 0}/${sync.total ?? "?"}`;
  }
  if (sync.lastError)
    return html`<span class="bad">Last sync stopped: ${sync.lastError}</span> (it resumes on the next run)`;
  if (sync.lastFinishedAt) return html`Last sync finished ${humanInstant(sync.lastFinishedAt)}`;
  return html`No sync has run in this process yet.`;
}

const ROLE_NAMES: Record<string, string> = {
  engineeringOutputDri: "engineering output DRI",
  releaseRitualDri: "release ritual DRI",
  headOfProductDesign: "head of product design",
  vpCustomerSuccess: "VP customer success",
  onCallRotation: "on-call rotation",
};

/** `2026-12-04T08:00:00-08:00` as `2026-12-04 08:00 -08:00`: the offset stays, so nobody guesses the zone. */
function humanInstant(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} ${m[3]}` : iso;
}

function statusClass(status: string): string {
  if (status === "applied") return "ok";
  if (status === "failed") return "bad";
  return "muted";
}

function formatWho(who: string | string[]): string {
  return Array.isArray(who) ? who.map((w) => `@${w}`).join(", ") : `@${who}`;
}
