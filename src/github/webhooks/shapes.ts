// The envelope fields of webhook payloads that Bosun reads, beside the GitHub objects that
// ../normalize.ts already validates. Loose objects throughout: payloads drift from the
// published schemas in fields Bosun never reads, and a delivery must not fail for those.
import { z } from "zod";
import { PayloadError } from "../normalize.js";

const named = z.looseObject({ name: z.string() });
const numbered = z.looseObject({ number: z.number().int() });
const timestamp = z.string().min(1);

const login = z.looseObject({ login: z.string() });

export const issuesPayload = z.looseObject({
  issue: numbered,
  label: named.optional(),
  assignee: login.nullable().optional(),
  changes: z
    .looseObject({
      new_issue: z.unknown().optional(),
      new_repository: z.looseObject({ full_name: z.string() }).optional(),
    })
    .optional(),
});

export const issueCommentPayload = z.looseObject({
  issue: numbered,
  comment: z.looseObject({ id: z.number() }),
});

export const pullRequestPayload = z.looseObject({
  pull_request: numbered,
  label: named.optional(),
  assignee: login.nullable().optional(),
});

export const reviewPayload = z.looseObject({
  pull_request: numbered,
  review: z.unknown(),
});

export const labelPayload = z.looseObject({
  label: named,
  changes: z.looseObject({ name: z.looseObject({ from: z.string() }).optional() }).optional(),
});

export const milestonePayload = z.looseObject({ milestone: numbered });

export const pushPayload = z.looseObject({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean().optional(),
  head_commit: z.looseObject({ timestamp: timestamp.optional() }).nullable().optional(),
});

export const refPayload = z.looseObject({ ref: z.string(), ref_type: z.string() });

export const releasePayload = z.looseObject({
  release: z.looseObject({
    tag_name: z.string(),
    target_commitish: z.string().nullable().optional(),
    draft: z.boolean().optional(),
  }),
});

export const statusPayload = z.looseObject({
  id: z.number().optional(),
  sha: z.string(),
  context: z.string(),
  state: z.string(),
  description: z.string().nullable().optional(),
  target_url: z.string().nullable().optional(),
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
});

export const checkRunPayload = z.looseObject({
  check_run: z.looseObject({
    id: z.number().optional(),
    name: z.string(),
    head_sha: z.string(),
    status: z.string(),
    conclusion: z.string().nullable().optional(),
    started_at: timestamp.nullable().optional(),
    completed_at: timestamp.nullable().optional(),
    details_url: z.string().nullable().optional(),
    html_url: z.string().nullable().optional(),
    output: z.looseObject({ title: z.string().nullable().optional() }).nullable().optional(),
  }),
});

/** Parses the fields Bosun reads; a mismatch names the payload and the field. */
export function readPayload<S extends z.ZodType>(
  shape: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = shape.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new PayloadError(`${what}: field ${issue.path.join(".") || "(root)"}: ${issue.message}`);
}
