// GitHub objects (REST responses and webhook payloads share these shapes) into store rows.
// Only the fields Bosun reads are validated: real payloads drift from the published schemas in
// details Bosun never uses, and a delivery must not be dropped for those.
import { z } from "zod";
import type {
  CommentInput,
  IssueEventInput,
  IssueInput,
  LabelInput,
  MilestoneInput,
  RefInput,
  ReviewInput,
  TagInput,
} from "../store/types.js";

const user = z.looseObject({ login: z.string(), type: z.string().optional() });
const nullableUser = user.nullable().optional();
const label = z.union([z.string(), z.looseObject({ name: z.string() })]);
const timestamp = z.string().min(1);

export const issueShape = z.looseObject({
  id: z.number().optional(),
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().optional(),
  state: z.enum(["open", "closed"]),
  state_reason: z.string().nullable().optional(),
  user: nullableUser,
  assignees: z.array(user).nullable().optional(),
  labels: z.array(label).optional(),
  milestone: z.looseObject({ number: z.number() }).nullable().optional(),
  locked: z.boolean().optional(),
  comments: z.number().optional(),
  created_at: timestamp,
  updated_at: timestamp,
  closed_at: timestamp.nullable().optional(),
  draft: z.boolean().optional(),
  pull_request: z.looseObject({ merged_at: timestamp.nullable().optional() }).optional(),
});

export const pullShape = issueShape.extend({
  merged_at: timestamp.nullable().optional(),
  head: z.looseObject({ ref: z.string(), sha: z.string() }),
  base: z.looseObject({ ref: z.string() }),
});

export const labelShape = z.looseObject({
  id: z.number().optional(),
  name: z.string(),
  color: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
});

export const milestoneShape = z.looseObject({
  id: z.number().optional(),
  number: z.number(),
  title: z.string(),
  description: z.string().nullable().optional(),
  state: z.enum(["open", "closed"]),
  due_on: timestamp.nullable().optional(),
  open_issues: z.number().optional(),
  closed_issues: z.number().optional(),
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
  closed_at: timestamp.nullable().optional(),
});

export const commentShape = z.looseObject({
  id: z.number(),
  body: z.string().nullable().optional(),
  user: nullableUser,
  created_at: timestamp,
  updated_at: timestamp,
});

export const reviewShape = z.looseObject({
  id: z.number(),
  user: nullableUser,
  state: z.string(),
  body: z.string().nullable().optional(),
  commit_id: z.string().nullable().optional(),
  submitted_at: timestamp.nullable().optional(),
});

export const issueEventShape = z.looseObject({
  id: z.number(),
  event: z.string(),
  actor: nullableUser,
  created_at: timestamp,
  label: z.looseObject({ name: z.string() }).optional(),
  issue: z.looseObject({ number: z.number() }).optional(),
});

/** A shape mismatch in a field Bosun reads: names the object and the field. */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
}

function parse<S extends z.ZodType>(shape: S, value: unknown, what: string): z.output<S> {
  const r = shape.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new PayloadError(`${what}: field ${issue.path.join(".") || "(root)"}: ${issue.message}`);
}

const labelName = (l: z.infer<typeof label>) => (typeof l === "string" ? l : l.name);

export function normalizeIssue(repo: string, raw: unknown): IssueInput {
  const i = parse(issueShape, raw, `issue in ${repo}`);
  const isPullRequest = i.pull_request !== undefined;
  return {
    repo,
    number: i.number,
    githubId: i.id ?? null,
    isPullRequest,
    title: i.title,
    body: i.body ?? null,
    state: i.state,
    stateReason: i.state_reason ?? null,
    author: i.user?.login ?? null,
    authorType: i.user?.type ?? null,
    assignees: (i.assignees ?? []).map((a) => a.login).sort(),
    labels: (i.labels ?? []).map(labelName).sort(),
    milestoneNumber: i.milestone?.number ?? null,
    locked: i.locked ?? false,
    commentsCount: i.comments ?? 0,
    createdAt: i.created_at,
    updatedAt: i.updated_at,
    closedAt: i.closed_at ?? null,
    draft: isPullRequest ? (i.draft ?? false) : null,
    mergedAt: i.pull_request?.merged_at ?? null,
    raw,
  };
}

/** A pull request as the pulls API or a pull_request webhook gives it: the issue fields plus branches. */
export function normalizePull(repo: string, raw: unknown): IssueInput {
  const p = parse(pullShape, raw, `pull request in ${repo}`);
  return {
    ...normalizeIssue(repo, { ...p, pull_request: { merged_at: p.merged_at ?? null } }),
    draft: p.draft ?? false,
    mergedAt: p.merged_at ?? null,
    headRef: p.head.ref,
    headSha: p.head.sha,
    baseRef: p.base.ref,
    raw,
  };
}

/** The branch fields only the pulls API carries, to complete rows the issues API wrote. */
export function pullBranchFields(repo: string, raw: unknown) {
  const p = parse(pullShape, raw, `pull request in ${repo}`);
  return {
    number: p.number,
    draft: p.draft ?? false,
    mergedAt: p.merged_at ?? null,
    headRef: p.head.ref,
    headSha: p.head.sha,
    baseRef: p.base.ref,
  };
}

export function normalizeLabel(repo: string, raw: unknown): LabelInput {
  const l = parse(labelShape, raw, `label in ${repo}`);
  return {
    repo,
    name: l.name,
    color: l.color ?? null,
    description: l.description ?? null,
    githubId: l.id ?? null,
  };
}

export function normalizeMilestone(repo: string, raw: unknown): MilestoneInput {
  const m = parse(milestoneShape, raw, `milestone in ${repo}`);
  return {
    repo,
    number: m.number,
    githubId: m.id ?? null,
    title: m.title,
    description: m.description ?? null,
    state: m.state,
    dueOn: m.due_on ?? null,
    openIssues: m.open_issues ?? 0,
    closedIssues: m.closed_issues ?? 0,
    createdAt: m.created_at ?? null,
    updatedAt: m.updated_at ?? null,
    closedAt: m.closed_at ?? null,
    raw,
  };
}

export function normalizeComment(repo: string, issueNumber: number, raw: unknown): CommentInput {
  const c = parse(commentShape, raw, `comment on ${repo}#${issueNumber}`);
  return {
    id: c.id,
    repo,
    issueNumber,
    author: c.user?.login ?? null,
    authorType: c.user?.type ?? null,
    body: c.body ?? "",
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    raw,
  };
}

export function normalizeReview(repo: string, pullNumber: number, raw: unknown): ReviewInput {
  const r = parse(reviewShape, raw, `review on ${repo}#${pullNumber}`);
  return {
    id: r.id,
    repo,
    pullNumber,
    author: r.user?.login ?? null,
    // Webhooks spell review states in lower case, the REST API in upper case.
    state: r.state.toUpperCase(),
    body: r.body ?? null,
    commitId: r.commit_id ?? null,
    submittedAt: r.submitted_at ?? null,
    raw,
  };
}

/** An entry of the repository-wide events feed; `issueNumber` is given for the per-issue feed. */
export function normalizeIssueEvent(
  repo: string,
  raw: unknown,
  issueNumber?: number,
): IssueEventInput {
  const e = parse(issueEventShape, raw, `issue event in ${repo}`);
  const number = issueNumber ?? e.issue?.number;
  if (number === undefined)
    throw new PayloadError(`issue event ${e.id} in ${repo}: field issue.number: missing`);
  return {
    id: e.id,
    repo,
    issueNumber: number,
    event: e.event,
    actor: e.actor?.login ?? null,
    labelName: e.label?.name ?? null,
    createdAt: e.created_at,
    raw,
  };
}

export function normalizeBranch(repo: string, name: string, sha: string): RefInput {
  return { repo, name: name.replace(/^refs\/heads\//, ""), sha };
}

export function normalizeTag(
  repo: string,
  name: string,
  sha: string,
  createdAt?: string | null,
): TagInput {
  return { repo, name: name.replace(/^refs\/tags\//, ""), sha, createdAt: createdAt ?? null };
}
