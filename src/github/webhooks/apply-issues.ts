// `issues` and `issue_comment` deliveries. The issue object in these payloads is complete for
// an issue, so it replaces the stored row (older writes are ignored by the store, which keeps
// out-of-order deliveries from undoing newer state).
import type { Store } from "../../store/store.js";
import { normalizeComment, normalizeIssue } from "../normalize.js";
import type { DeliveryContext } from "./context.js";
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
    if (to && p.changes?.new_issue) await writeIssue(store, to, p.changes.new_issue);
    return;
  }
  const written = await writeIssue(store, d.repo, p.issue);
  // The payload's issue already lists its labels; the event's own label is applied too, in
  // case a payload's list lags behind the change it reports.
  if (written && p.label && d.action === "labeled") {
    await store.addIssueLabel(d.repo, number, p.label.name);
  }
  if (written && p.label && d.action === "unlabeled") {
    await store.removeIssueLabel(d.repo, number, p.label.name);
  }
}

export async function applyIssueComment(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(issueCommentPayload, d.payload, `issue_comment.${d.action} payload`);
  if (d.action === "deleted") await store.deleteComment(p.comment.id);
  else await store.upsertComment(normalizeComment(d.repo, p.issue.number, p.comment));
  await writeIssue(store, d.repo, p.issue);
}

/**
 * Writes an issue from an issue-shaped payload; false when the store kept a newer row, or
 * when the issue is a pull request. An issue-shaped view of a pull request has no branches
 * or head commit: writing it would blank them, and its newer updated_at would then make the
 * store ignore the pull_request delivery that carries them. Pull requests are written from
 * pull_request deliveries and sync only.
 */
async function writeIssue(store: Store, repo: string, raw: unknown): Promise<boolean> {
  const issue = normalizeIssue(repo, raw);
  if (issue.isPullRequest) return false;
  return store.upsertIssue(issue);
}
