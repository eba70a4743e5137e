// Row types returned by the Store. Conventions, so callers never guess:
// - field names are camelCase; the SQL columns are their snake_case forms;
// - every timestamp is an ISO 8601 string in UTC with milliseconds
//   ("2024-05-01T09:00:00.000Z"), whatever form it was written in;
// - GitHub ids are JS numbers (they are below 2^53);
// - `raw` is the GitHub payload as received, kept beside the normalised columns so a later
//   Bosun can read fields this one does not normalise yet.
// Inputs to upserts are the same shapes with the bookkeeping fields (syncedAt ...) and the
// nullable fields made optional; an upsert is a full replacement of the row.

/** What a write takes: the `Required` fields of a row, the others optional, `Omitted` never. */
type InputOf<Row, Required extends keyof Row, Omitted extends keyof Row = never> = Pick<
  Row,
  Required
> &
  Partial<Omit<Row, Required | Omitted>>;

/** A repository is identified by its full name, "owner/name", everywhere in the store. */
export interface RepositoryRow {
  fullName: string;
  githubId: number | null;
  defaultBranch: string | null;
  private: boolean;
  archived: boolean;
  createdAt: string | null;
  updatedAt: string | null;
  raw: unknown;
  syncedAt: string;
}
export type RepositoryInput = InputOf<RepositoryRow, "fullName", "syncedAt">;

/**
 * Issues and pull requests share one table (`issues`), as they share one number sequence
 * per repository on GitHub; `isPullRequest` tells them apart and the pull-request fields
 * are null for issues.
 */
export interface IssueRow {
  repo: string;
  number: number;
  githubId: number | null;
  isPullRequest: boolean;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: string | null;
  author: string | null;
  /** GitHub's user type: "User", "Bot", "Organization". */
  authorType: string | null;
  assignees: string[];
  /** Current label names, sorted. */
  labels: string[];
  milestoneNumber: number | null;
  locked: boolean;
  commentsCount: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  draft: boolean | null;
  mergedAt: string | null;
  headRef: string | null;
  headSha: string | null;
  baseRef: string | null;
  raw: unknown;
  syncedAt: string;
}
export type IssueInput = InputOf<
  IssueRow,
  "repo" | "number" | "isPullRequest" | "title" | "state" | "createdAt" | "updatedAt",
  "syncedAt"
>;

export interface IssueFilter {
  repo?: string;
  state?: "open" | "closed";
  kind?: "issue" | "pull";
  /** Only items carrying this label. */
  label?: string;
  author?: string;
  milestoneNumber?: number;
  /** Only items with updatedAt >= this instant. */
  updatedSince?: string;
  limit?: number;
}

export interface LabelRow {
  repo: string;
  name: string;
  color: string | null;
  description: string | null;
  githubId: number | null;
}
export type LabelInput = InputOf<LabelRow, "repo" | "name">;

export interface MilestoneRow {
  repo: string;
  number: number;
  githubId: number | null;
  title: string;
  description: string | null;
  state: "open" | "closed";
  dueOn: string | null;
  openIssues: number;
  closedIssues: number;
  createdAt: string | null;
  updatedAt: string | null;
  closedAt: string | null;
  raw: unknown;
}
export type MilestoneInput = InputOf<MilestoneRow, "repo" | "number" | "title" | "state">;

/** Issue and pull-request conversation comments, keyed by GitHub comment id. */
export interface CommentRow {
  id: number;
  repo: string;
  issueNumber: number;
  author: string | null;
  authorType: string | null;
  body: string;
  createdAt: string;
  updatedAt: string;
  raw: unknown;
}
export type CommentInput = InputOf<
  CommentRow,
  "id" | "repo" | "issueNumber" | "body" | "createdAt" | "updatedAt"
>;

export interface ReviewRow {
  id: number;
  repo: string;
  pullNumber: number;
  author: string | null;
  /** GitHub's review state: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  body: string | null;
  commitId: string | null;
  submittedAt: string | null;
  raw: unknown;
}
export type ReviewInput = InputOf<ReviewRow, "id" | "repo" | "pullNumber" | "state">;

/** One entry of a repository's issue event feed (labeled, closed, milestoned ...). */
export interface IssueEventRow {
  id: number;
  repo: string;
  issueNumber: number;
  event: string;
  actor: string | null;
  labelName: string | null;
  createdAt: string;
  raw: unknown;
}
export type IssueEventInput = Omit<IssueEventRow, "actor" | "labelName" | "raw"> &
  Partial<Pick<IssueEventRow, "actor" | "labelName" | "raw">>;

export interface IssueEventFilter {
  repo: string;
  issueNumber?: number;
  event?: string;
  since?: string;
  limit?: number;
}

/** A branch; `name` is the short name ("main", "rc-minor-fleet-v4.62.0"). */
export interface RefRow {
  repo: string;
  name: string;
  /** Null while only a create event has named the branch; its push or the next sync sets it. */
  sha: string | null;
  protected: boolean | null;
  syncedAt: string;
}
export type RefInput = Omit<RefRow, "sha" | "protected" | "syncedAt"> & {
  sha: string;
} & Partial<Pick<RefRow, "protected">>;

export interface TagRow {
  repo: string;
  name: string;
  /** Null while only a create or release event has named the tag; its push or the next sync sets it. */
  sha: string | null;
  /** When the tag's commit was made, when known. */
  createdAt: string | null;
  syncedAt: string;
}
export type TagInput = Omit<TagRow, "sha" | "createdAt" | "syncedAt"> & {
  sha: string;
} & Partial<Pick<TagRow, "createdAt">>;

export interface DeliveryRow {
  deliveryId: string;
  event: string;
  action: string | null;
  repository: string | null;
  receivedAt: string;
  /** Set once handled, with or without an error; null means still pending. */
  processedAt: string | null;
  error: string | null;
  /** How many times a failed delivery was sent back to the queue (retryDelivery). */
  retries: number;
  payload: unknown;
}
export type DeliveryInput = Pick<DeliveryRow, "deliveryId" | "event" | "payload"> &
  Partial<Pick<DeliveryRow, "action" | "repository" | "receivedAt">>;

/** Where an incremental sync of one resource of one repository got to. */
export interface CursorRow {
  repo: string;
  resource: string;
  cursor: string | null;
  etag: string | null;
  updatedAt: string;
}

/** Validators for conditional GitHub requests, keyed by request URL (or any stable key). */
export interface EtagRow {
  key: string;
  etag: string | null;
  lastModified: string | null;
  updatedAt: string;
}

export type AuditStatus = "claimed" | "applied" | "skipped" | "failed" | "dry-run";

/**
 * One row of the audit log. `key` is always the effect's idempotency key; `holdsKey` tells
 * whether this row occupies it (rows made by claimEffect do; dry-run and other recorded
 * rows do not, so they never block a later real run).
 */
export interface AuditEntry {
  id: number;
  key: string;
  holdsKey: boolean;
  planId: string | null;
  rule: string | null;
  effectType: string;
  /** "owner/repo#123", "owner/repo@main", "owner/repo", ... */
  target: string;
  effect: unknown;
  reason: string | null;
  status: AuditStatus;
  outcome: unknown;
  error: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  leaseExpiresAt: string | null;
  attempts: number;
  finishedAt: string | null;
  createdAt: string;
}

export interface ClaimRequest {
  key: string;
  planId?: string | null;
  rule?: string | null;
  effectType: string;
  target: string;
  effect: unknown;
  reason?: string | null;
  /** Who claims: unique per process (e.g. "host:pid:random"). */
  owner: string;
  /** How long the claim holds before another owner may take it over. */
  leaseMs: number;
}

export type ClaimResult =
  | { claimed: true; entry: AuditEntry }
  | { claimed: false; existing: AuditEntry };

export interface FinishRequest {
  status: "applied" | "skipped" | "failed";
  outcome?: unknown;
  error?: string | null;
}

export interface RecordAuditRequest {
  key: string;
  planId?: string | null;
  rule?: string | null;
  effectType: string;
  target: string;
  effect: unknown;
  reason?: string | null;
  status: "dry-run" | "skipped" | "failed";
  outcome?: unknown;
  error?: string | null;
}

export interface AuditFilter {
  target?: string;
  rule?: string;
  limit?: number;
  /** Only entries with an id below this (pagination, newest first). */
  before?: number;
}

export interface KpiSnapshotRow {
  id: number;
  asOf: string;
  configHash: string;
  payload: unknown;
  createdAt: string;
}
export type KpiSnapshotInput = Pick<KpiSnapshotRow, "asOf" | "configHash" | "payload">;

/** An issue or PR as the KPI report reads it (Store.kpiItems): times are epoch milliseconds. */
export interface KpiItemRow {
  repo: string;
  number: number;
  isPullRequest: boolean;
  title: string;
  author: string | null;
  authorType: string | null;
  draft: boolean | null;
  state: "open" | "closed";
  createdAt: number;
  closedAt: number | null;
  mergedAt: number | null;
}

/** An issue or PR: [repo, number]. */
export type KpiKey = readonly [string, number];

/** An issue event as the KPI report reads it (Store.kpiEvents): `at` is epoch milliseconds. */
export interface KpiEventRow {
  repo: string;
  number: number;
  event: string;
  labelName: string | null;
  at: number;
  /** GitHub's event id: orders the events of one second. */
  id: number;
}

export const STORE_TABLES = [
  "schema_migrations",
  "repositories",
  "issues",
  "labels",
  "issue_labels",
  "milestones",
  "comments",
  "reviews",
  "issue_events",
  "issue_deletions",
  "refs",
  "tags",
  "webhook_deliveries",
  "commit_statuses",
  "sync_cursors",
  "etags",
  "audit_log",
  "kpi_snapshots",
  "pull_files",
  "pull_commits",
  "pull_release_compares",
  "deploys",
  "notifications",
  "comment_deletions",
  "org_members",
  "teams",
  "team_members",
  "people_syncs",
] as const;
export type StoreTable = (typeof STORE_TABLES)[number];
export type StoreStats = Record<StoreTable, number>;

/**
 * A delivery as the webhook endpoint received it: `payload` is the request body's JSON text,
 * stored as it came (jsonb) so the hot path never re-serialises a parsed payload.
 */
export interface RawDeliveryInput {
  deliveryId: string;
  event: string;
  action: string | null;
  repository: string | null;
  payload: string;
}

/** A delivery waiting for the queue: its id and how often it was retried (see DeliveryRow). */
export interface PendingDelivery {
  deliveryId: string;
  retries: number;
}

/** What processing one delivery came to. */
export type DeliveryOutcome =
  | { status: "processed" }
  | { status: "failed"; error: string }
  /** Unknown id, or already processed (by this or another worker): nothing was done. */
  | { status: "skipped" };

export interface DeliveryStats {
  pending: number;
  processed: number;
  failed: number;
}

/**
 * The latest commit status of one context, or the latest run of one check, on one commit.
 * `state` is the status state (error, failure, pending, success) or the check run's status
 * (queued, in_progress, completed ...); `conclusion` is set for completed check runs.
 */
export interface CommitStatusRow {
  repo: string;
  sha: string;
  kind: "status" | "check_run";
  /** The status context, or the check run's name (what branch protection lists). */
  context: string;
  state: string;
  conclusion: string | null;
  description: string | null;
  targetUrl: string | null;
  githubId: number | null;
  updatedAt: string;
  raw: unknown;
}
export type CommitStatusInput = InputOf<
  CommitStatusRow,
  "repo" | "sha" | "kind" | "context" | "state" | "updatedAt"
>;

// --- release train: pull request files and deploys ------------------------------------

export interface PullFilesRow {
  repo: string;
  number: number;
  headSha: string;
  paths: string[];
  /** False when GitHub listed only the first 3,000 files. */
  complete: boolean;
  syncedAt: string;
}

/** One commit of a pull request, as `GET /repos/{o}/{r}/pulls/{n}/commits` lists it. */
export interface PullCommit {
  sha: string;
  message: string;
  parents: string[];
}

/** A pull request's commits at one head, oldest first (`pull_commits`). */
export interface PullCommitsRow {
  repo: string;
  number: number;
  headSha: string;
  commits: PullCommit[];
  /** False when GitHub listed only the first 250 commits. */
  complete: boolean;
  syncedAt: string;
}

/**
 * A pull request's head compared with a release tag (`pull_release_compares`, `GET
 * /repos/{o}/{r}/compare/{tag}...{head}`). `status` is GitHub's, or "unrelated" when GitHub
 * answered 404 (no history in common, or a commit it does not know).
 */
export interface PullReleaseCompareRow {
  repo: string;
  number: number;
  headSha: string;
  /** The tag's name ("fleet-v4.61.1") and its commit (`base_commit.sha`); null when unrelated. */
  tag: string;
  tagSha: string | null;
  status: "ahead" | "behind" | "identical" | "diverged" | "unrelated";
  aheadBy: number;
  behindBy: number;
  mergeBaseSha: string | null;
  /** The first commits of tag..head, oldest first (all of them when `aheadBy` is as many). */
  commits: string[];
  syncedAt: string;
}

export interface MergedPullRow {
  number: number;
  body: string | null;
  baseRef: string | null;
  mergedAt: string;
  labels: string[];
}

export interface DeployInput {
  environment: string;
  image: string;
  version?: string | null;
  sha?: string | null;
  recordedBy?: string | null;
  note?: string | null;
  /** ISO 8601; the database clock when absent. */
  recordedAt?: string;
}

export interface DeployRow {
  id: number;
  environment: string;
  image: string;
  version: string | null;
  sha: string | null;
  recordedBy: string | null;
  note: string | null;
  recordedAt: string;
}

/** A message Bosun posted (`notifications`): what it said and where Slack keeps it. */
export interface NotificationRow {
  id: number;
  /** As the effect named it ("#help-engineering"). */
  channel: string;
  /** What the message is about ("rc-cut:4.62.0"); null for a one-off message. */
  subject: string | null;
  /** How it went out: "app" (bot token) or "webhook" (incoming webhook: no id, no ts). */
  mode: string;
  /** Slack's channel id and the message's ts, as `chat.postMessage` answered; null by webhook. */
  channelId: string | null;
  ts: string | null;
  /** The parent message's ts when this is a follow-up in a thread. */
  threadTs: string | null;
  /** The message as the rule wrote it, and the text Slack got (escaped, people mentioned). */
  message: string;
  text: string;
  /** The idempotency key of the effect that posted it, or last edited it. */
  effectKey: string | null;
  edits: number;
  postedAt: string;
  editedAt: string | null;
}

export interface NotificationInput {
  channel: string;
  subject?: string;
  mode: string;
  channelId?: string;
  ts?: string;
  threadTs?: string;
  message: string;
  text: string;
  effectKey?: string;
}
