// `pull_request` and `pull_request_review` deliveries. A pull_request payload carries the
// whole pull request (branches, head commit, draft, merged_at), so every action (opened,
// synchronize, converted_to_draft, ready_for_review, closed with or without merge, labeled
// ...) is the same write: the stored row becomes the payload's, unless it is older.
import type { Store } from "../../store/store.js";
import { normalizePull, normalizeReview } from "../normalize.js";
import type { DeliveryContext } from "./context.js";
import { pullRequestPayload, readPayload, reviewPayload } from "./shapes.js";

export async function applyPullRequest(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(pullRequestPayload, d.payload, `pull_request.${d.action} payload`);
  const written = await store.upsertIssue(normalizePull(d.repo, p.pull_request));
  const number = p.pull_request.number;
  if (written && p.label && d.action === "labeled") {
    await store.addIssueLabel(d.repo, number, p.label.name);
  }
  if (written && p.label && d.action === "unlabeled") {
    await store.removeIssueLabel(d.repo, number, p.label.name);
  }
}

/**
 * The review only: the pull request in a review payload lacks fields the stored row has
 * (comment counts), and the review does not change the pull request's own state.
 */
export async function applyPullRequestReview(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(reviewPayload, d.payload, `pull_request_review.${d.action} payload`);
  await store.upsertReview(normalizeReview(d.repo, p.pull_request.number, p.review));
}
