// What decisions see: plain data read from the store, never a live connection.

export interface LabelSnapshot {
  name: string;
  color?: string;
}

export interface RepositorySnapshot {
  /** `owner/name`. */
  fullName: string;
  /** False until the first full sync has stored it: a rule must not act on what it has not seen. */
  synced: boolean;
  labels: LabelSnapshot[];
  /** The release train's view (merge gate, R6-R16): loaded by `app/release-snapshot.ts`. */
  releaseTrain?: ReleaseTrainSnapshot;
}

export interface Snapshot {
  repositories: RepositorySnapshot[];
  /** Rituals (R47, R43, R48): loaded by `app/ritual-snapshot.ts`. */
  rituals?: RitualSnapshot;
  /** The weekly KPI report to post (R2): loaded by `app/kpi.ts`. */
  kpi?: import("./kpi/post.js").KpiSnapshotPart;
  /** Logins the configuration names that GitHub answered 404 for (lower case). */
  missingLogins?: string[];
}

// --- release train and merge gate (R6-R17) --------------------------------------------

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

// --- rituals and runbooks (R43, R47, R48) ---------------------------------------------

/** An issue whose body carries a ritual marker: that occurrence has been filed. */
export interface RitualIssueSnapshot {
  repo: string;
  number: number;
  state: "open" | "closed";
  ritualId: string;
  occurrence: string;
}

/** A patch release seen in the store (a tag or patch branch of a version x.y.z with z > 0). */
export interface PatchReleaseSnapshot {
  repo: string;
  version: string;
  /** When it was created (tag commit date) or first seen (branch). */
  at: string;
}

export interface RitualSnapshot {
  issues: RitualIssueSnapshot[];
  patchReleases: PatchReleaseSnapshot[];
  runbooks: import("../handbook/runbook-model.js").Runbook[];
}
