import type { Core } from "../core.js";
import { notFound, validationFailed } from "../http/errors.js";
import {
  comment as renderComment,
  issue as renderIssue,
  label as renderLabel,
  milestone as renderMilestone,
} from "../render/issues.js";
import { pullRequest } from "../render/pulls.js";
import { simpleUser } from "../render/users.js";
import type { CommentRec, IssueEventRec, IssueRec, RepoData } from "../state/model.js";
import { emit } from "../webhooks/payloads.js";

// Issue mutations shared by the REST routes and the activity simulation. Each one updates
// the state, appends the issue events GitHub would record, and sends the webhooks GitHub
// would send, so the three always agree.

export interface IssueInput {
  title?: string;
  body?: string | null;
  labels?: string[];
  assignees?: string[];
  milestone?: number | null;
  state?: "open" | "closed";
  stateReason?: "completed" | "not_planned" | "reopened" | null;
}

function event(
  core: Core,
  data: RepoData,
  rec: Omit<IssueEventRec, "id" | "createdAt" | "commitId"> & { commitId?: string | null },
): void {
  core.state.addEvent(data, {
    ...rec,
    id: core.state.nextId("event"),
    createdAt: core.clock.now(),
    commitId: rec.commitId ?? null,
  });
}

/** issues.* or pull_request.* webhook, whichever the issue is. */
function emitIssue(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  action: string,
  sender: string,
  extra: Record<string, unknown> = {},
): void {
  if (issue.pull) {
    emit(core, data, "pull_request", sender, {
      action,
      number: issue.number,
      pull_request: pullRequest(core.render, data, issue),
      ...extra,
    });
  } else {
    emit(core, data, "issues", sender, {
      action,
      issue: renderIssue(core.render, data, issue),
      ...extra,
    });
  }
}

export function checkLabels(core: Core, data: RepoData, names: string[]): string[] {
  return names.map((name) => {
    const rec = core.state.label(data, name);
    if (!rec)
      throw validationFailed({ resource: "Label", field: "name", code: "invalid", value: name });
    return rec.name;
  });
}

function checkMilestone(core: Core, data: RepoData, number: number | null): number | null {
  if (number === null) return null;
  if (!core.state.milestone(data, number)) {
    throw validationFailed({
      resource: "Issue",
      field: "milestone",
      code: "invalid",
      value: number,
    });
  }
  return number;
}

export function requireIssue(core: Core, data: RepoData, number: number): IssueRec {
  const issue = core.state.issue(data, number);
  if (!issue) throw notFound();
  return issue;
}

export function createIssue(
  core: Core,
  data: RepoData,
  actor: string,
  input: IssueInput & { title: string },
  pull: IssueRec["pull"] = null,
): IssueRec {
  const labels = checkLabels(core, data, input.labels ?? []);
  const milestone = checkMilestone(core, data, input.milestone ?? null);
  for (const login of input.assignees ?? []) core.state.ensureUser(login);
  const now = core.clock.now();
  const issue: IssueRec = {
    id: core.state.nextId("issue"),
    number: data.repo.nextNumber,
    title: input.title,
    body: input.body ?? null,
    user: actor,
    state: "open",
    stateReason: null,
    labels: [...new Set(labels)],
    assignees: [...new Set(input.assignees ?? [])],
    milestone,
    comments: 0,
    locked: false,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    pull,
  };
  core.state.addIssue(data, issue);
  emitIssue(core, data, issue, "opened", actor);
  for (const name of issue.labels) recordLabel(core, data, issue, actor, name, "labeled");
  for (const login of issue.assignees) recordAssignee(core, data, issue, actor, login, "assigned");
  if (milestone !== null) recordMilestone(core, data, issue, actor, "milestoned");
  core.state.touch();
  return issue;
}

function recordLabel(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  name: string,
  kind: "labeled" | "unlabeled",
): void {
  const rec = core.state.label(data, name);
  const color = rec?.color ?? "ededed";
  event(core, data, { issueNumber: issue.number, actor, event: kind, label: { name, color } });
  emitIssue(
    core,
    data,
    issue,
    kind,
    actor,
    rec ? { label: renderLabel(core.render, data, rec) } : {},
  );
}

function recordAssignee(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  login: string,
  kind: "assigned" | "unassigned",
): void {
  event(core, data, { issueNumber: issue.number, actor, event: kind, assignee: login });
  emitIssue(core, data, issue, kind, actor, { assignee: simpleUser(core.render, login) });
}

function recordMilestone(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  kind: "milestoned" | "demilestoned",
  number = issue.milestone,
): void {
  const ms = number === null ? undefined : core.state.milestone(data, number);
  if (!ms) return;
  event(core, data, { issueNumber: issue.number, actor, event: kind, milestoneTitle: ms.title });
  emitIssue(core, data, issue, kind, actor, { milestone: renderMilestone(core.render, data, ms) });
}

/** Applies a PATCH to an issue (or the issue side of a PR). */
export function updateIssue(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  input: IssueInput,
): IssueRec {
  const labels = input.labels === undefined ? undefined : checkLabels(core, data, input.labels);
  const milestone =
    input.milestone === undefined ? undefined : checkMilestone(core, data, input.milestone);
  const now = core.clock.now();
  issue.updatedAt = now;
  if (input.title !== undefined && input.title !== issue.title) {
    const from = issue.title;
    issue.title = input.title;
    event(core, data, {
      issueNumber: issue.number,
      actor,
      event: "renamed",
      rename: { from, to: input.title },
    });
    emitIssue(core, data, issue, "edited", actor, { changes: { title: { from } } });
  }
  if (input.body !== undefined && input.body !== issue.body) {
    const from = issue.body ?? "";
    issue.body = input.body;
    emitIssue(core, data, issue, "edited", actor, { changes: { body: { from } } });
  }
  if (labels !== undefined) setLabels(core, data, issue, actor, labels);
  if (input.assignees !== undefined) setAssignees(core, data, issue, actor, input.assignees);
  if (milestone !== undefined && milestone !== issue.milestone) {
    const previous = issue.milestone;
    issue.milestone = null;
    if (previous !== null) recordMilestone(core, data, issue, actor, "demilestoned", previous);
    issue.milestone = milestone;
    if (milestone !== null) recordMilestone(core, data, issue, actor, "milestoned");
  }
  if (input.state !== undefined && input.state !== issue.state) {
    if (input.state === "closed")
      closeIssue(core, data, issue, actor, input.stateReason ?? "completed");
    else reopenIssue(core, data, issue, actor);
  }
  core.state.touch();
  return issue;
}

export function closeIssue(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  reason: IssueRec["stateReason"] = "completed",
  commitId: string | null = null,
): void {
  const now = core.clock.now();
  issue.state = "closed";
  issue.stateReason = issue.pull ? null : reason;
  issue.closedAt = now;
  issue.closedBy = actor;
  issue.updatedAt = now;
  event(core, data, { issueNumber: issue.number, actor, event: "closed", commitId });
  emitIssue(core, data, issue, "closed", actor);
}

export function reopenIssue(core: Core, data: RepoData, issue: IssueRec, actor: string): void {
  issue.state = "open";
  issue.stateReason = issue.pull ? null : "reopened";
  issue.closedAt = null;
  issue.closedBy = null;
  issue.updatedAt = core.clock.now();
  event(core, data, { issueNumber: issue.number, actor, event: "reopened" });
  emitIssue(core, data, issue, "reopened", actor);
}

export function addLabels(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  names: string[],
): void {
  const canonical = checkLabels(core, data, names);
  for (const name of canonical) {
    if (issue.labels.some((l) => l.toLowerCase() === name.toLowerCase())) continue;
    issue.labels.push(name);
    issue.updatedAt = core.clock.now();
    recordLabel(core, data, issue, actor, name, "labeled");
  }
  core.state.touch();
}

export function removeLabel(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  name: string,
): boolean {
  const index = issue.labels.findIndex((l) => l.toLowerCase() === name.toLowerCase());
  if (index < 0) return false;
  const [removed] = issue.labels.splice(index, 1);
  issue.updatedAt = core.clock.now();
  recordLabel(core, data, issue, actor, removed!, "unlabeled");
  core.state.touch();
  return true;
}

export function setLabels(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  names: string[],
): void {
  const wanted = checkLabels(core, data, names);
  const wantedLower = new Set(wanted.map((n) => n.toLowerCase()));
  for (const name of issue.labels.slice()) {
    if (!wantedLower.has(name.toLowerCase())) removeLabel(core, data, issue, actor, name);
  }
  addLabels(core, data, issue, actor, wanted);
}

export function setAssignees(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  logins: string[],
): void {
  for (const login of issue.assignees.slice()) {
    if (!logins.includes(login)) removeAssignees(core, data, issue, actor, [login]);
  }
  addAssignees(core, data, issue, actor, logins);
}

export function addAssignees(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  logins: string[],
): void {
  for (const login of logins) {
    if (issue.assignees.includes(login)) continue;
    core.state.ensureUser(login);
    issue.assignees.push(login);
    issue.updatedAt = core.clock.now();
    recordAssignee(core, data, issue, actor, login, "assigned");
  }
  core.state.touch();
}

export function removeAssignees(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  logins: string[],
): void {
  for (const login of logins) {
    const index = issue.assignees.indexOf(login);
    if (index < 0) continue;
    issue.assignees.splice(index, 1);
    issue.updatedAt = core.clock.now();
    recordAssignee(core, data, issue, actor, login, "unassigned");
  }
  core.state.touch();
}

export function createComment(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  body: string,
): CommentRec {
  const now = core.clock.now();
  const rec: CommentRec = {
    id: core.state.nextId("comment"),
    issueNumber: issue.number,
    user: actor,
    body,
    createdAt: now,
    updatedAt: now,
  };
  core.state.addComment(data, rec);
  issue.comments += 1;
  issue.updatedAt = now;
  core.state.touch();
  emit(core, data, "issue_comment", actor, {
    action: "created",
    issue: renderIssue(core.render, data, issue),
    comment: renderComment(core.render, data, rec),
  });
  return rec;
}

export function requireComment(data: RepoData, id: number): CommentRec {
  const rec = data.comments.find((c) => c.id === id);
  if (!rec) throw notFound();
  return rec;
}

/** Edits a comment's body: its update time moves (the issue's does not), as on GitHub. */
export function editComment(
  core: Core,
  data: RepoData,
  rec: CommentRec,
  actor: string,
  body: string,
): CommentRec {
  const from = rec.body;
  rec.body = body;
  rec.updatedAt = core.clock.now();
  core.state.touch();
  const issue = core.state.issue(data, rec.issueNumber);
  if (issue) {
    emit(core, data, "issue_comment", actor, {
      action: "edited",
      changes: { body: { from } },
      issue: renderIssue(core.render, data, issue),
      comment: renderComment(core.render, data, rec),
    });
  }
  return rec;
}

export function deleteComment(core: Core, data: RepoData, rec: CommentRec, actor: string): void {
  core.state.removeComment(data, rec);
  const issue = core.state.issue(data, rec.issueNumber);
  if (issue) issue.comments = Math.max(0, issue.comments - 1);
  core.state.touch();
  if (issue) {
    emit(core, data, "issue_comment", actor, {
      action: "deleted",
      issue: renderIssue(core.render, data, issue),
      comment: renderComment(core.render, data, rec),
    });
  }
}

/** Records a pull-request-only event (merged, convert_to_draft, ...). */
export function recordPullEvent(
  core: Core,
  data: RepoData,
  issue: IssueRec,
  actor: string,
  kind: IssueEventRec["event"],
  commitId: string | null = null,
  extra: Partial<IssueEventRec> = {},
): void {
  event(core, data, { issueNumber: issue.number, actor, event: kind, commitId, ...extra });
}

export { emitIssue };
