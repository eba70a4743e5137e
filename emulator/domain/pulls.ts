import type { Core } from "../core.js";
import {
  conflict,
  HttpError,
  methodNotAllowed,
  notFound,
  validationFailed,
} from "../http/errors.js";
import { pullRequestSimple, review as renderReview } from "../render/pulls.js";
import type { IssueRec, RepoData, ReviewRec } from "../state/model.js";
import { emit } from "../webhooks/payloads.js";
import { identityOf, pushEvent } from "./git.js";
import { closeIssue, createIssue, emitIssue, recordPullEvent } from "./issues.js";

export function requirePull(core: Core, data: RepoData, number: number): IssueRec {
  const rec = core.state.issue(data, number);
  if (!rec?.pull) throw notFound();
  return rec;
}

/** Opens a PR from real branches; the diff stats come from git. */
export async function createPull(
  core: Core,
  data: RepoData,
  actor: string,
  input: { title: string; body?: string | null; head: string; base: string; draft?: boolean },
): Promise<IssueRec> {
  const dir = core.git.dir(data.repo.owner, data.repo.name);
  const headRef = input.head.includes(":") ? input.head.split(":")[1]! : input.head;
  const headSha = await core.git.resolveCommit(dir, `refs/heads/${headRef}`);
  const baseSha = await core.git.resolveCommit(dir, `refs/heads/${input.base}`);
  if (!headSha) throw validationFailed({ resource: "PullRequest", field: "head", code: "invalid" });
  if (!baseSha) throw validationFailed({ resource: "PullRequest", field: "base", code: "invalid" });
  const open = data.issues.find(
    (i) =>
      i.pull && i.state === "open" && i.pull.headRef === headRef && i.pull.baseRef === input.base,
  );
  if (open) {
    throw validationFailed({
      resource: "PullRequest",
      field: "head",
      code: "custom",
      message: `A pull request already exists for ${data.repo.owner}:${headRef}.`,
    });
  }
  const comparison = await core.git.compare(dir, baseSha, headSha);
  if (!comparison || comparison.aheadBy === 0) {
    throw validationFailed({
      resource: "PullRequest",
      field: "head",
      code: "custom",
      message: `No commits between ${input.base} and ${headRef}`,
    });
  }
  return createIssue(
    core,
    data,
    actor,
    { title: input.title, body: input.body ?? null },
    {
      draft: input.draft ?? false,
      headRef,
      headSha,
      baseRef: input.base,
      baseSha,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      requestedReviewers: [],
      additions: comparison.files.reduce((n, f) => n + f.additions, 0),
      deletions: comparison.files.reduce((n, f) => n + f.deletions, 0),
      changedFiles: comparison.files.length,
      commits: comparison.aheadBy,
    },
  );
}

/** Flips draft state, recording GitHub's convert_to_draft / ready_for_review. */
export function setDraft(
  core: Core,
  data: RepoData,
  rec: IssueRec,
  actor: string,
  draft: boolean,
): void {
  const pull = rec.pull!;
  if (pull.draft === draft) return;
  pull.draft = draft;
  rec.updatedAt = core.clock.now();
  recordPullEvent(core, data, rec, actor, draft ? "convert_to_draft" : "ready_for_review");
  emitIssue(core, data, rec, draft ? "converted_to_draft" : "ready_for_review", actor);
  core.state.touch();
}

export async function mergePull(
  core: Core,
  data: RepoData,
  rec: IssueRec,
  actor: string,
  input: { method: "merge" | "squash" | "rebase"; title?: string; message?: string; sha?: string },
): Promise<string> {
  const pull = rec.pull!;
  if (pull.merged) throw methodNotAllowed("Pull Request is not mergeable");
  if (rec.state !== "open" || pull.draft) throw methodNotAllowed("Pull Request is not mergeable");
  if (input.sha && input.sha !== pull.headSha)
    throw conflict("Head branch was modified. Review and try the merge again.");
  const dir = core.git.dir(data.repo.owner, data.repo.name);
  const identity = identityOf(core, actor);
  const mergeSha = await core.git.exclusive(dir, async () => {
    const baseRef = `refs/heads/${pull.baseRef}`;
    const baseSha = await core.git.resolveCommit(dir, baseRef);
    if (!baseSha) throw methodNotAllowed("Base branch was deleted");
    const tree = await core.git.mergeTree(dir, baseSha, pull.headSha);
    if (!tree) throw methodNotAllowed("Merge conflict");
    const title =
      input.title ??
      (input.method === "merge"
        ? `Merge pull request #${rec.number} from ${data.repo.owner}/${pull.headRef}`
        : `${rec.title} (#${rec.number})`);
    const message = `${title}\n\n${input.message ?? rec.body ?? ""}`.trimEnd();
    const parents = input.method === "merge" ? [baseSha, pull.headSha] : [baseSha];
    const sha = await core.git.commitTree(dir, tree, parents, `${message}\n`, identity);
    await core.git.updateRef(dir, baseRef, sha, baseSha);
    return { sha, before: baseSha };
  });
  const now = core.clock.now();
  pull.merged = true;
  pull.mergedAt = now;
  pull.mergedBy = actor;
  pull.mergeCommitSha = mergeSha.sha;
  data.repo.pushedAt = now;
  recordPullEvent(core, data, rec, actor, "merged", mergeSha.sha);
  closeIssue(core, data, rec, actor, null, mergeSha.sha);
  core.state.touch();
  await pushEvent(core, data, actor, `refs/heads/${pull.baseRef}`, mergeSha.before, mergeSha.sha);
  return mergeSha.sha;
}

export function createReview(
  core: Core,
  data: RepoData,
  rec: IssueRec,
  actor: string,
  input: { event?: string; body?: string; commitId?: string },
): ReviewRec {
  const states: Record<string, ReviewRec["state"]> = {
    APPROVE: "APPROVED",
    REQUEST_CHANGES: "CHANGES_REQUESTED",
    COMMENT: "COMMENTED",
  };
  const state = input.event ? states[input.event] : "PENDING";
  if (!state)
    throw validationFailed({
      resource: "PullRequestReview",
      field: "event",
      code: "invalid",
      value: input.event,
    });
  if ((state === "CHANGES_REQUESTED" || state === "COMMENTED") && !input.body) {
    throw new HttpError(422, {
      message: "Unprocessable Entity",
      errors: [`Review body is required for ${input.event}`],
      documentation_url: "https://docs.github.com/rest",
      status: "422",
    });
  }
  const review: ReviewRec = {
    id: core.state.nextId("review"),
    pullNumber: rec.number,
    user: actor,
    state,
    body: input.body ?? "",
    commitId: input.commitId ?? rec.pull!.headSha,
    submittedAt: core.clock.now(),
  };
  data.reviews.push(review);
  rec.pull!.requestedReviewers = rec.pull!.requestedReviewers.filter((r) => r !== actor);
  // As on GitHub, a submitted review updates its pull request (a pending one is not visible).
  if (state !== "PENDING") rec.updatedAt = review.submittedAt;
  core.state.touch();
  if (state !== "PENDING") {
    emit(core, data, "pull_request_review", actor, {
      action: "submitted",
      review: reviewPayload(core, data, review),
      pull_request: pullRequestSimple(core.render, data, rec),
    });
  }
  return review;
}

export function dismissReview(
  core: Core,
  data: RepoData,
  rec: IssueRec,
  actor: string,
  reviewId: number,
  message: string,
): ReviewRec {
  const review = data.reviews.find((r) => r.id === reviewId && r.pullNumber === rec.number);
  if (!review) throw notFound();
  if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED") {
    throw new HttpError(422, {
      message: "Can not dismiss a non-approval or non-changes-requested review",
      documentation_url: "https://docs.github.com/rest",
      status: "422",
    });
  }
  const previous = review.state;
  review.state = "DISMISSED";
  recordPullEvent(core, data, rec, actor, "review_dismissed", null, {
    dismissedReview: { state: previous, reviewId: review.id, message },
  });
  core.state.touch();
  emit(core, data, "pull_request_review", actor, {
    action: "dismissed",
    review: reviewPayload(core, data, review),
    pull_request: pullRequestSimple(core.render, data, rec),
  });
  return review;
}

/** Webhook reviews spell their state in lower case, unlike the REST API. */
function reviewPayload(core: Core, data: RepoData, review: ReviewRec): Record<string, unknown> {
  const shape = renderReview(core.render, data, review);
  return { ...shape, state: review.state.toLowerCase() };
}
