// `pull_request` and `pull_request_review` deliveries. A pull_request payload carries the
// whole pull request (branches, head commit, draft, merged_at), so every action (opened,
// synchronize, converted_to_draft, ready_for_review, closed with or without merge, labeled
// ...) is the same write: the stored row becomes the payload's, unless it is older.
import type { Store } from "../../store/store.js";
import { normalizePull, normalizeReview } from "../normalize.js";
import type { DeliveryContext } from "./context.js";
import { withNamedChange } from "./event-change.js";
import { webhookIssueEvents } from "./issue-events.js";
import { pullRequestPayload, readPayload, reviewPayload } from "./shapes.js";

export async function applyPullRequest(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(pullRequestPayload, d.payload, `pull_request.${d.action} payload`);
  const pull = withNamedChange(normalizePull(d.repo, p.pull_request), d.action, p);
  const number = p.pull_request.number;
  if (!(await store.upsertIssue(pull))) {
    // The stored row is newer, but may come from an issue-shaped view without branches.
    await store.fillPullBranches(d.repo, number, {
      headRef: pull.headRef!,
      headSha: pull.headSha!,
      baseRef: pull.baseRef!,
    });
  }
  // The change as an event at once (labeled, closed, converted_to_draft ...; R2).
  await store.insertWebhookIssueEvents(
    webhookIssueEvents(
      pull,
      d.action,
      { ...p, milestone: p.milestone ?? p.pull_request.milestone },
      d.receivedAt,
    ),
  );
}

/**
 * The review only: the pull request in a review payload lacks fields the stored row has
 * (comment counts), and the review does not change the pull request's own state.
 */
export async function applyPullRequestReview(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(reviewPayload, d.payload, `pull_request_review.${d.action} payload`);
  await store.upsertReview(normalizeReview(d.repo, p.pull_request.number, p.review));
}
