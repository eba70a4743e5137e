import { iso } from "../clock.js";
import type {
  CommentRec,
  IssueEventRec,
  IssueRec,
  LabelRec,
  MilestoneRec,
  RepoData,
} from "../state/model.js";
import { nodeId, type RenderContext } from "./context.js";
import { simpleUser } from "./users.js";

export function repoUrl(ctx: RenderContext, data: RepoData): string {
  return `${ctx.base}/repos/${data.repo.owner}/${data.repo.name}`;
}

export function label(ctx: RenderContext, data: RepoData, rec: LabelRec): Record<string, unknown> {
  return {
    id: rec.id,
    node_id: nodeId("Label", rec.id),
    url: `${repoUrl(ctx, data)}/labels/${encodeURIComponent(rec.name)}`,
    name: rec.name,
    color: rec.color,
    default: rec.isDefault,
    description: rec.description,
  };
}

/** Open/closed issue counts per milestone, cached until the state changes. */
const countCache = new WeakMap<
  RepoData,
  { version: number; counts: Map<number, [number, number]> }
>();

function milestoneCounts(ctx: RenderContext, data: RepoData): Map<number, [number, number]> {
  const cached = countCache.get(data);
  if (cached && cached.version === ctx.state.version) return cached.counts;
  const counts = new Map<number, [number, number]>();
  for (const issue of data.issues) {
    if (issue.milestone === null) continue;
    const entry = counts.get(issue.milestone) ?? [0, 0];
    entry[issue.state === "open" ? 0 : 1] += 1;
    counts.set(issue.milestone, entry);
  }
  countCache.set(data, { version: ctx.state.version, counts });
  return counts;
}

export function milestone(
  ctx: RenderContext,
  data: RepoData,
  rec: MilestoneRec,
): Record<string, unknown> {
  const [open, closed] = milestoneCounts(ctx, data).get(rec.number) ?? [0, 0];
  const url = `${repoUrl(ctx, data)}/milestones/${rec.number}`;
  return {
    url,
    html_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/milestone/${rec.number}`,
    labels_url: `${url}/labels`,
    id: rec.id,
    node_id: nodeId("Milestone", rec.id),
    number: rec.number,
    title: rec.title,
    description: rec.description,
    creator: simpleUser(ctx, rec.creator),
    open_issues: open,
    closed_issues: closed,
    state: rec.state,
    created_at: iso(rec.createdAt),
    updated_at: iso(rec.updatedAt),
    due_on: rec.dueOn === null ? null : iso(rec.dueOn),
    closed_at: rec.closedAt === null ? null : iso(rec.closedAt),
  };
}

/** How GitHub relates a user to a repository; the org's members are MEMBERs. */
export function authorAssociation(ctx: RenderContext, data: RepoData, login: string): string {
  if (login.toLowerCase() === data.repo.owner.toLowerCase()) return "OWNER";
  const user = ctx.state.user(login);
  if (user?.type === "Bot") return "NONE";
  return ctx.memberLogins?.has(login.toLowerCase()) ? "MEMBER" : "CONTRIBUTOR";
}

export function issueUrl(ctx: RenderContext, data: RepoData, number: number): string {
  return `${repoUrl(ctx, data)}/issues/${number}`;
}

function htmlUrl(ctx: RenderContext, data: RepoData, issue: IssueRec): string {
  const kind = issue.pull ? "pull" : "issues";
  return `${ctx.base}/${data.repo.owner}/${data.repo.name}/${kind}/${issue.number}`;
}

function reactions(url: string): Record<string, unknown> {
  return {
    url: `${url}/reactions`,
    total_count: 0,
    "+1": 0,
    "-1": 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

export function labelsOf(ctx: RenderContext, data: RepoData, names: string[]): unknown[] {
  const out: unknown[] = [];
  for (const name of names) {
    const rec = ctx.state.label(data, name);
    if (rec) out.push(label(ctx, data, rec));
  }
  return out;
}

/** The issue shape; pull requests carry a `pull_request` key, as on GitHub. */
export function issue(ctx: RenderContext, data: RepoData, rec: IssueRec): Record<string, unknown> {
  const url = issueUrl(ctx, data, rec.number);
  const ms = rec.milestone === null ? undefined : ctx.state.milestone(data, rec.milestone);
  const assignees = rec.assignees.map((login) => simpleUser(ctx, login));
  const out: Record<string, unknown> = {
    id: rec.id,
    node_id: nodeId(rec.pull ? "PullRequestIssue" : "Issue", rec.id),
    url,
    repository_url: repoUrl(ctx, data),
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: htmlUrl(ctx, data, rec),
    number: rec.number,
    state: rec.state,
    state_reason: rec.stateReason,
    title: rec.title,
    body: rec.body,
    user: simpleUser(ctx, rec.user),
    labels: labelsOf(ctx, data, rec.labels),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: ms ? milestone(ctx, data, ms) : null,
    locked: rec.locked,
    active_lock_reason: null,
    comments: rec.comments,
    closed_at: rec.closedAt === null ? null : iso(rec.closedAt),
    created_at: iso(rec.createdAt),
    updated_at: iso(rec.updatedAt),
    closed_by: rec.closedBy ? simpleUser(ctx, rec.closedBy) : null,
    author_association: authorAssociation(ctx, data, rec.user),
    reactions: reactions(url),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
  };
  if (rec.pull) {
    const pullUrl = `${repoUrl(ctx, data)}/pulls/${rec.number}`;
    out.draft = rec.pull.draft;
    out.pull_request = {
      url: pullUrl,
      html_url: htmlUrl(ctx, data, rec),
      diff_url: `${htmlUrl(ctx, data, rec)}.diff`,
      patch_url: `${htmlUrl(ctx, data, rec)}.patch`,
      merged_at: rec.pull.mergedAt === null ? null : iso(rec.pull.mergedAt),
    };
  }
  return out;
}

export function comment(
  ctx: RenderContext,
  data: RepoData,
  rec: CommentRec,
): Record<string, unknown> {
  const url = `${repoUrl(ctx, data)}/issues/comments/${rec.id}`;
  const issueRec = ctx.state.issue(data, rec.issueNumber);
  const kind = issueRec?.pull ? "pull" : "issues";
  return {
    id: rec.id,
    node_id: nodeId("IssueComment", rec.id),
    url,
    html_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/${kind}/${rec.issueNumber}#issuecomment-${rec.id}`,
    body: rec.body,
    user: simpleUser(ctx, rec.user),
    created_at: iso(rec.createdAt),
    updated_at: iso(rec.updatedAt),
    issue_url: issueUrl(ctx, data, rec.issueNumber),
    author_association: authorAssociation(ctx, data, rec.user),
    reactions: reactions(url),
    performed_via_github_app: null,
  };
}

/** An issue event, without the `issue` key (per-issue lists and the timeline). */
export function issueEvent(
  ctx: RenderContext,
  data: RepoData,
  rec: IssueEventRec,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: rec.id,
    node_id: nodeId("IssueEvent", rec.id),
    url: `${repoUrl(ctx, data)}/issues/events/${rec.id}`,
    actor: simpleUser(ctx, rec.actor),
    event: rec.event,
    commit_id: rec.commitId,
    commit_url: rec.commitId ? `${repoUrl(ctx, data)}/commits/${rec.commitId}` : null,
    created_at: iso(rec.createdAt),
    performed_via_github_app: null,
  };
  if (rec.label) out.label = { name: rec.label.name, color: rec.label.color };
  if (rec.assignee) {
    out.assignee = simpleUser(ctx, rec.assignee);
    out.assigner = simpleUser(ctx, rec.actor);
  }
  if (rec.milestoneTitle !== undefined) out.milestone = { title: rec.milestoneTitle };
  if (rec.rename) out.rename = { from: rec.rename.from, to: rec.rename.to };
  if (rec.reviewer) {
    out.review_requester = simpleUser(ctx, rec.actor);
    out.requested_reviewer = simpleUser(ctx, rec.reviewer);
  }
  if (rec.dismissedReview) {
    out.dismissed_review = {
      state: rec.dismissedReview.state.toLowerCase(),
      review_id: rec.dismissedReview.reviewId,
      dismissal_message: rec.dismissedReview.message,
      dismissal_commit_id: null,
    };
  }
  if (rec.event === "locked") out.lock_reason = null;
  return out;
}

/** GET /repos/{o}/{r}/issues/events: each event carries the issue it belongs to. */
export function repoIssueEvent(
  ctx: RenderContext,
  data: RepoData,
  rec: IssueEventRec,
): Record<string, unknown> {
  const issueRec = ctx.state.issue(data, rec.issueNumber);
  return {
    ...issueEvent(ctx, data, rec),
    issue: issueRec ? issue(ctx, data, issueRec) : null,
  };
}
