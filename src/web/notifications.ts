// The dashboard's Notifications section: every message Bosun posted to Slack (RC cut, freeze and
// deep-freeze announcements ...), newest first, as Slack got it.
import type { NotificationView } from "../api/views.js";
import { html } from "./html.js";

export function renderNotificationsSection(notifications: readonly NotificationView[]) {
  return html`<section id="notifications" class="wide">
    <h2>Notifications</h2>
    ${
      notifications.length === 0
        ? html`<p class="muted">Nothing posted to Slack yet. Announcements (the RC cut, the freeze, the deep freeze) appear here once Bosun posts them; <code>bosun plan --dry-run</code> shows those it would post.</p>`
        : html`<table>
      <thead><tr><th>When</th><th>Channel</th><th>Message</th><th>About</th></tr></thead>
      <tbody>
      ${notifications.map(
        (n) => html`<tr data-subject="${n.subject ?? ""}">
          <td><time datetime="${n.postedAt}">${n.postedAt.replace("T", " ").slice(0, 19)}</time>${n.editedAt ? html` <span class="muted">edited ${n.editedAt.replace("T", " ").slice(0, 19)}</span>` : ""}</td>
          <td><code>${n.channel}</code>${n.reply ? html` <span class="muted">in thread</span>` : ""}${n.mode === "webhook" ? html` <span class="muted">by webhook</span>` : ""}</td>
          <td>${n.text}</td>
          <td class="muted">${n.subject ?? ""}</td>
        </tr>`,
      )}
      </tbody>
    </table>`
    }
  </section>`;
}
