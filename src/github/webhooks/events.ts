// The webhook events Bosun stores and applies. Anything else GitHub sends (including `ping`,
// answered by the endpoint) is acknowledged and skipped, never stored.
export const HANDLED_EVENTS = [
  "issues",
  "issue_comment",
  "pull_request",
  "pull_request_review",
  "label",
  "milestone",
  "push",
  "create",
  "delete",
  "release",
  "status",
  "check_run",
  "organization",
  "membership",
  "member",
] as const;

export type HandledEvent = (typeof HANDLED_EVENTS)[number];

const handled: ReadonlySet<string> = new Set(HANDLED_EVENTS);

export function isHandledEvent(event: string): event is HandledEvent {
  return handled.has(event);
}
