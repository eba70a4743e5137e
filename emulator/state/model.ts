// Internal records: compact, timestamp-as-epoch-ms, names instead of nested objects. The
// GitHub JSON shapes are built from these on demand (see ../render/), which keeps 100,000
// issues with their events and comments in a few hundred megabytes.

export type Millis = number;

export interface UserRec {
  id: number;
  login: string;
  type: "User" | "Bot" | "Organization";
  name: string | null;
  createdAt: Millis;
}

export interface RepoRec {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  description: string;
  createdAt: Millis;
  updatedAt: Millis;
  pushedAt: Millis;
  /** Next issue/PR number: they share one sequence, as on GitHub. */
  nextNumber: number;
}

export interface LabelRec {
  id: number;
  name: string;
  color: string;
  description: string | null;
  isDefault: boolean;
}

export interface MilestoneRec {
  id: number;
  number: number;
  title: string;
  description: string | null;
  state: "open" | "closed";
  creator: string;
  dueOn: Millis | null;
  createdAt: Millis;
  updatedAt: Millis;
  closedAt: Millis | null;
}

export interface PullFields {
  draft: boolean;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  merged: boolean;
  mergedAt: Millis | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  requestedReviewers: string[];
  additions: number;
  deletions: number;
  changedFiles: number;
  commits: number;
}

export interface IssueRec {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | null;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  comments: number;
  locked: boolean;
  createdAt: Millis;
  updatedAt: Millis;
  closedAt: Millis | null;
  closedBy: string | null;
  /** Present when the issue is a pull request. */
  pull: PullFields | null;
}

export interface CommentRec {
  id: number;
  issueNumber: number;
  user: string;
  body: string;
  createdAt: Millis;
  updatedAt: Millis;
}

export type IssueEventKind =
  | "labeled"
  | "unlabeled"
  | "closed"
  | "reopened"
  | "assigned"
  | "unassigned"
  | "milestoned"
  | "demilestoned"
  | "renamed"
  | "merged"
  | "referenced"
  | "convert_to_draft"
  | "ready_for_review"
  | "head_ref_force_pushed"
  | "head_ref_deleted"
  | "review_requested"
  | "review_dismissed"
  | "locked"
  | "unlocked";

export interface IssueEventRec {
  id: number;
  issueNumber: number;
  actor: string;
  event: IssueEventKind;
  createdAt: Millis;
  commitId: string | null;
  label?: { name: string; color: string };
  assignee?: string;
  milestoneTitle?: string;
  rename?: { from: string; to: string };
  reviewer?: string;
  dismissedReview?: { state: string; reviewId: number; message: string | null };
}

export interface ReviewRec {
  id: number;
  pullNumber: number;
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  body: string;
  commitId: string;
  submittedAt: Millis;
}

export interface StatusRec {
  id: number;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface CheckRunRec {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion:
    | "success"
    | "failure"
    | "neutral"
    | "cancelled"
    | "skipped"
    | "timed_out"
    | "action_required"
    | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: Millis;
  completedAt: Millis | null;
  title: string | null;
  summary: string | null;
}

export interface ReleaseRec {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: string;
  createdAt: Millis;
  publishedAt: Millis | null;
}

export interface VariableRec {
  name: string;
  value: string;
  createdAt: Millis;
  updatedAt: Millis;
}

/** Everything the emulator knows about one repository. */
export interface RepoData {
  repo: RepoRec;
  labels: LabelRec[];
  milestones: MilestoneRec[];
  /** Indexed by number - 1; numbers are dense. */
  issues: IssueRec[];
  /** Ascending by (createdAt, id). */
  comments: CommentRec[];
  /** Ascending by (createdAt, id). */
  events: IssueEventRec[];
  reviews: ReviewRec[];
  statuses: StatusRec[];
  checkRuns: CheckRunRec[];
  releases: ReleaseRec[];
  variables: VariableRec[];
}
