// `issues` and `issue_comment` deliveries. The issue object in these payloads is complete for
// an issue, so it replaces the stored row (older writes are ignored by the store, which keeps
// out-of-order deliveries from undoing newer state). The change a delivery names (labeled,
// closed, milestoned ...) is also stored as an issue event at once (./issue-events.ts).
import type { Store } from "../../store/store.js";
import type { IssueInput } from "../../store/types.js";
import { normalizeComment, normalizeIssue } from "../normalize.js";
import type { DeliveryContext } from "./context.js";
import { withNamedChange } from "./event-change.js";
import { webhookIssueEvents } from "./issue-events.js";
import { issueCommentPayload, issuesPayload, readPayload } from "./shapes.js";

export async function applyIssues(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(issuesPayload, d.payload, `issues.${d.action} payload`);
  const number = p.issue.number;
  if (d.action === "deleted") {
    await store.deleteIssue(d.repo, number);
    return;
  }
  if (d.action === "transferred") {
    // The issue leaves this repository; it is kept only if it lands in a configured one.
    await store.deleteIssue(d.repo, number);
    const target = p.changes?.new_repository?.full_name;
    const to = target ? d.resolveRepository(target) : null;
    if (to && p.changes?.new_issue) {
      await writeIssue(store, normalizeIssue(to, withState(p.changes.new_issue)));
    }
    return;
  }
  const issue = withNamedChange(normalizeIssue(d.repo, withState(p.issue)), d.action, p);
  await writeIssue(store, issue);
  // The change as an event at once, whether or not a newer row was kept: it happened, then (R2).
  await store.insertWebhookIssueEvents(
    webhookIssueEvents(
      issue,
      d.action,
      { ...p, milestone: p.milestone ?? p.issue.milestone },
      d.receivedAt,
    ),
  );
}

export async function applyIssueComment(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(issueCommentPayload, d.payload, `issue_comment.${d.action} payload`);
  if (d.action === "deleted") await store.deleteComment(p.comment.id, d.repo);
  else await store.upsertComment(normalizeComment(d.repo, p.issue.number, p.comment));
  await writeIssue(store, normalizeIssue(d.repo, withState(p.issue)));
}

/**
 * Writes an issue from an issue-shaped payload; false when the store kept a newer row. For a
 * pull request (milestoned, demilestoned and comments arrive as issue-shaped payloads) the
 * view has no branches, so the stored ones are kept.
 */
function writeIssue(store: Store, issue: IssueInput): Promise<boolean> {
  return issue.isPullRequest ? store.upsertIssueKeepingBranches(issue) : store.upsertIssue(issue);
}

/**
 * Some deliveries GitHub sent left out the issue's `state` (the published issues.pinned and
 * unpinned examples); GitHub sets `closed_at` exactly when an issue is closed, so the state
 * follows from it rather than failing the delivery.
 */
function withState(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || "state" in raw) return raw;
  const closedAt = (raw as { closed_at?: unknown }).closed_at;
  return { ...raw, state: closedAt ? "closed" : "open" };
}
