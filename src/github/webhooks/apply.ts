// One stored delivery into the store: the handler for its event, with its context. The
// table is typed by HandledEvent, so an event the endpoint accepts always has a handler.
import type { Store } from "../../store/store.js";
import type { DeliveryRow } from "../../store/types.js";
import { PayloadError } from "../normalize.js";
import { applyCheckRun, applyStatus } from "./apply-checks.js";
import { applyCreate, applyDelete, applyPush, applyRelease } from "./apply-git.js";
import { applyIssueComment, applyIssues } from "./apply-issues.js";
import { applyMember, applyMembership, applyOrganization } from "./apply-people.js";
import { applyPullRequest, applyPullRequestReview } from "./apply-pulls.js";
import { applyLabel, applyMilestone } from "./apply-vocabulary.js";
import { type DeliveryHandler, describeDelivery } from "./context.js";
import { type HandledEvent, isHandledEvent } from "./events.js";
import type { RepositoryMatcher } from "./repositories.js";

const HANDLERS: Record<HandledEvent, DeliveryHandler> = {
  issues: applyIssues,
  issue_comment: applyIssueComment,
  pull_request: applyPullRequest,
  pull_request_review: applyPullRequestReview,
  label: applyLabel,
  milestone: applyMilestone,
  push: applyPush,
  create: applyCreate,
  delete: applyDelete,
  release: applyRelease,
  status: applyStatus,
  check_run: applyCheckRun,
  organization: applyOrganization,
  membership: applyMembership,
  member: applyMember,
};

/** Applies a delivery; errors name the delivery, its kind and repository, and the field. */
export async function applyDelivery(
  store: Store,
  delivery: DeliveryRow,
  repositories: RepositoryMatcher,
): Promise<void> {
  const kind = describeDelivery(delivery.event, delivery.action);
  const where = `delivery ${delivery.deliveryId} (${kind}, ${delivery.repository ?? "no repository"})`;
  if (!isHandledEvent(delivery.event)) {
    throw new PayloadError(`${where}: event ${delivery.event} is not one Bosun handles`);
  }
  if (!delivery.repository) throw new PayloadError(`${where}: no repository recorded`);
  try {
    await HANDLERS[delivery.event](store, {
      repo: delivery.repository,
      event: delivery.event,
      action: delivery.action,
      payload: delivery.payload,
      receivedAt: delivery.receivedAt,
      resolveRepository: repositories.resolve,
    });
  } catch (error) {
    if (error instanceof PayloadError) throw new PayloadError(`${where}: ${error.message}`);
    throw error;
  }
}
