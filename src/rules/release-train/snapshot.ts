// What the release train's rules (merge gate, release actions) and views see of a repository:
// versions (tags, branches, milestones), open pull requests with their reviews, files, linked
// issues and gate status, recently merged pull requests. Plain data, loaded by load.ts.
import type { RepositoryState } from "../rule.js";

export interface RepositorySnapshot extends RepositoryState {
  /** The release train's view; absent for a repository the train does not read. */
  releaseTrain?: ReleaseTrainSnapshot;
}

export interface ReviewSnapshot {
  id: number;
  author: string | null;
  /** GitHub's review state in upper case: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  submittedAt: string | null;
  /** The head commit the review was given on. */
  commitId: string | null;
}

/** An issue a pull request's body refers to, as the store has it. */
export interface LinkedIssueSnapshot {
  repo: string;
  number: number;
  /** False when the number is a pull request, or unknown to the store. */
  isIssue: boolean;
  known: boolean;
  state?: "open" | "closed";
  labels: string[];
}

/** A merged pull request, for R12 (feature work partly merged) and R15 (merged to main first). */
export interface MergedPullSnapshot {
  number: number;
  body: string;
  baseRef: string | null;
  mergedAt: string;
  labels: string[];
}

export interface CommitStatusSnapshot {
  state: string;
  description: string | null;
  githubId: number | null;
  updatedAt: string;
}

/** A pull request's commits (those its base does not have), oldest first. */
export interface PullCommitsSnapshot {
  list: { sha: string; message: string; parents: string[] }[];
  /** False when GitHub listed only the first 250. */
  complete: boolean;
}

/**
 * The head compared with release tag `tag` (`compare/{tag}...{head}`): GitHub's status, or
 * "unrelated" when they share no history; the merge base; the first commits of tag..head.
 */
export interface ReleaseCompareSnapshot {
  tag: string;
  tagSha: string | null;
  status: "ahead" | "behind" | "identical" | "diverged" | "unrelated";
  aheadBy: number;
  behindBy: number;
  mergeBaseSha: string | null;
  /** Oldest first; every commit of tag..head when as many as `aheadBy`. */
  commits: string[];
}

export interface PullSnapshot {
  number: number;
  title: string;
  body: string;
  author: string | null;
  draft: boolean;
  baseRef: string | null;
  headRef: string | null;
  headSha: string | null;
  labels: string[];
  createdAt: string;
  reviews: ReviewSnapshot[];
  /** Changed file paths at `filesSha`; null until they are synced for the current head. */
  files: string[] | null;
  /** The pull request's commits at `headSha`; null until they are synced for the current head (R8). */
  commits: PullCommitsSnapshot | null;
  /** The head compared with a release tag (R7); null until compared at the current head. */
  releaseCompare: ReleaseCompareSnapshot | null;
  /** The issues the body references (`#N`, `owner/repo#N`, issue URLs). */
  linkedIssues: LinkedIssueSnapshot[];
  /** The latest status of the merge gate's context on the head commit, if any. */
  gateStatus: CommitStatusSnapshot | null;
}

export interface ReleaseTrainSnapshot {
  tags: string[];
  branches: string[];
  milestones: { title: string; state: "open" | "closed" }[];
  /** Open pull requests. */
  pulls: PullSnapshot[];
  /** Pull requests merged recently (the loader's window), newest first. */
  merged: MergedPullSnapshot[];
  /** The head commit of `releaseTrain.branches.main`, when synced (R14 cuts the RC from it). */
  mainSha?: string | null;
  /** Titles of issues that look like release QA issues (`releaseTrain.qaIssueTitle`). */
  qaIssueTitles?: string[];
}
