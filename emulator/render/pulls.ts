import { iso } from "../clock.js";
import type { IssueRec, RepoData, ReviewRec } from "../state/model.js";
import { nodeId, type RenderContext } from "./context.js";
import { authorAssociation, issue, labelsOf, milestone, repoUrl } from "./issues.js";
import { repository } from "./repos.js";
import { simpleUser } from "./users.js";

function branch(ctx: RenderContext, data: RepoData, ref: string, sha: string, user: string) {
  return {
    label: `${data.repo.owner}:${ref}`,
    ref,
    sha,
    user: simpleUser(ctx, user),
    repo: repository(ctx, data),
  };
}

/** The pull-request-simple shape (list endpoint). */
export function pullRequestSimple(
  ctx: RenderContext,
  data: RepoData,
  rec: IssueRec,
): Record<string, unknown> {
  const pull = rec.pull!;
  const base = issue(ctx, data, rec);
  const url = `${repoUrl(ctx, data)}/pulls/${rec.number}`;
  const html = `${ctx.base}/${data.repo.owner}/${data.repo.name}/pull/${rec.number}`;
  const ms = rec.milestone === null ? undefined : ctx.state.milestone(data, rec.milestone);
  return {
    url,
    id: rec.id,
    node_id: nodeId("PullRequest", rec.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: base.url,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repoUrl(ctx, data)}/pulls/comments{/number}`,
    comments_url: `${base.url}/comments`,
    statuses_url: `${repoUrl(ctx, data)}/statuses/${pull.headSha}`,
    number: rec.number,
    state: rec.state,
    locked: rec.locked,
    title: rec.title,
    user: simpleUser(ctx, rec.user),
    body: rec.body,
    // pull-request-simple declares label descriptions non-null; GitHub sends "" there.
    labels: labelsOf(ctx, data, rec.labels).map((l) => ({
      ...(l as object),
      description: (l as { description: string | null }).description ?? "",
    })),
    milestone: ms ? milestone(ctx, data, ms) : null,
    active_lock_reason: null,
    created_at: iso(rec.createdAt),
    updated_at: iso(rec.updatedAt),
    closed_at: rec.closedAt === null ? null : iso(rec.closedAt),
    merged_at: pull.mergedAt === null ? null : iso(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha,
    assignee: base.assignee,
    assignees: base.assignees,
    requested_reviewers: pull.requestedReviewers.map((login) => simpleUser(ctx, login)),
    requested_teams: [],
    head: branch(ctx, data, pull.headRef, pull.headSha, rec.user),
    base: branch(ctx, data, pull.baseRef, pull.baseSha, data.repo.owner),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: base.url },
      comments: { href: `${base.url}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${repoUrl(ctx, data)}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${repoUrl(ctx, data)}/statuses/${pull.headSha}` },
    },
    author_association: authorAssociation(ctx, data, rec.user),
    auto_merge: null,
    draft: pull.draft,
  };
}

/** The full pull-request shape (get, create, update, webhooks). */
export function pullRequest(
  ctx: RenderContext,
  data: RepoData,
  rec: IssueRec,
): Record<string, unknown> {
  const pull = rec.pull!;
  const open = rec.state === "open";
  return {
    ...pullRequestSimple(ctx, data, rec),
    merged: pull.merged,
    mergeable: open ? true : null,
    rebaseable: open ? true : null,
    mergeable_state: open ? (pull.draft ? "draft" : "clean") : "unknown",
    merged_by: pull.mergedBy ? simpleUser(ctx, pull.mergedBy) : null,
    comments: rec.comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pull.commits,
    additions: pull.additions,
    deletions: pull.deletions,
    changed_files: pull.changedFiles,
  };
}

export function review(
  ctx: RenderContext,
  data: RepoData,
  rec: ReviewRec,
): Record<string, unknown> {
  const pullUrl = `${repoUrl(ctx, data)}/pulls/${rec.pullNumber}`;
  const html = `${ctx.base}/${data.repo.owner}/${data.repo.name}/pull/${rec.pullNumber}#pullrequestreview-${rec.id}`;
  return {
    id: rec.id,
    node_id: nodeId("PullRequestReview", rec.id),
    user: simpleUser(ctx, rec.user),
    body: rec.body,
    state: rec.state,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: authorAssociation(ctx, data, rec.user),
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: iso(rec.submittedAt),
    commit_id: rec.commitId,
  };
}
