// The change an `issues` or `pull_request` delivery names (labeled, unlabeled, closed, reopened,
// milestoned, demilestoned, converted_to_draft, ready_for_review), as an issue event stored at
// once: the KPI report replays labels and states from events (R2), and GitHub's own event only
// arrives with the next sync. The payload says what changed; the issue's `updated_at` says when.
// Ids are negative, so they never meet GitHub's; the sync's real event supersedes the webhook's
// (src/store/events.ts explains the matching).
import { createHash } from "node:crypto";
import type { IssueEventInput, IssueInput } from "../../store/types.js";

/** The webhook action -> the issue event GitHub records for it. */
const EVENT_OF: Readonly<Record<string, string>> = {
  labeled: "labeled",
  unlabeled: "unlabeled",
  closed: "closed",
  reopened: "reopened",
  milestoned: "milestoned",
  demilestoned: "demilestoned",
  converted_to_draft: "convert_to_draft",
  ready_for_review: "ready_for_review",
};

interface NamedPayload {
  label?: { name: string } | undefined;
  milestone?: unknown;
  sender?: unknown;
}

/**
 * The event a delivery names, or none. `issue` is the row the delivery describes (its repository
 * as configured, its `updatedAt`); `receivedAt` stands in for a payload without `updated_at`.
 */
export function webhookIssueEvents(
  issue: Pick<IssueInput, "repo" | "number" | "updatedAt">,
  action: string | null,
  payload: NamedPayload,
  receivedAt: string,
): IssueEventInput[] {
  const event = action ? EVENT_OF[action] : undefined;
  if (!event) return [];
  const label = payload.label?.name ?? null;
  if ((event === "labeled" || event === "unlabeled") && !label) return [];
  const createdAt = issue.updatedAt || receivedAt;
  const milestone = titleOf(payload.milestone);
  return [
    {
      id: webhookEventId(issue.repo, issue.number, event, label, createdAt),
      repo: issue.repo,
      issueNumber: issue.number,
      event,
      actor: loginOf(payload.sender),
      labelName: label,
      createdAt,
      raw: {
        source: "webhook",
        action,
        ...(milestone ? { milestone: { title: milestone } } : {}),
      },
    },
  ];
}

/**
 * A webhook event's id: -1 minus 52 bits of a hash of what changed and when, so a redelivery
 * names the same event and GitHub's positive ids are never reached (safe as a JS number).
 */
export function webhookEventId(
  repo: string,
  number: number,
  event: string,
  label: string | null,
  at: string,
): number {
  const when = Date.parse(at);
  const digest = createHash("sha256")
    .update(JSON.stringify([repo.toLowerCase(), number, event, label, when]))
    .digest();
  // 6 bytes and a half: 52 bits.
  const high = digest.readUIntBE(0, 6);
  const low = digest[6]! >> 4;
  return -1 - (high * 16 + low);
}

function loginOf(sender: unknown): string | null {
  const login = (sender as { login?: unknown } | null | undefined)?.login;
  return typeof login === "string" ? login : null;
}

function titleOf(milestone: unknown): string | null {
  const title = (milestone as { title?: unknown } | null | undefined)?.title;
  return typeof title === "string" ? title : null;
}
