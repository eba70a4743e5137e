// R10/R13/R15/R16: who approved a pull request, GitHub's way, and whether the roles a merge
// needs did: the exception's three (the product group's engineering manager and QA lead, the
// release ritual DRI; R13, R16), the engineering manager and QA lead alone for a released bug
// fix into the RC (R15), or the author's engineering manager for a non-code change (R10).
import type { HandbookConfig, ProductGroup } from "../../handbook/schema.js";
import type { PullSnapshot, ReviewSnapshot } from "../release-train/snapshot.js";
import { type Classification, lower } from "./classify.js";
import { logins } from "./text.js";

/**
 * Who approves, GitHub's way: each reviewer's latest APPROVED, CHANGES_REQUESTED or DISMISSED
 * review counts (a later comment does not withdraw an approval, a dismissal does). With
 * `headOnly`, an approval given on an older commit than the head does not count.
 */
export function approvers(
  reviews: readonly ReviewSnapshot[],
  headSha: string | null,
  headOnly: boolean,
): Set<string> {
  const latest = new Map<string, ReviewSnapshot>();
  const ordered = [...reviews].sort(
    (a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? "") || a.id - b.id,
  );
  for (const r of ordered) {
    if (!r.author) continue;
    const state = r.state.toUpperCase();
    if (state === "APPROVED" || state === "CHANGES_REQUESTED" || state === "DISMISSED") {
      latest.set(lower(r.author), { ...r, state });
    }
  }
  const out = new Set<string>();
  for (const [login, r] of latest) {
    if (r.state !== "APPROVED") continue;
    if (headOnly && (!headSha || r.commitId !== headSha)) continue;
    out.add(login);
  }
  return out;
}

export interface ExceptionCheck {
  approved: boolean;
  /** Logins whose approval is still missing (for the best-placed group). */
  missing: string[];
  /** Logins who approved, in role order. */
  by: string[];
  group?: ProductGroup;
  /** Why no group could be resolved, when none could. */
  problem?: string;
}

/**
 * Whose approval a merge needs:
 * - `exception`: R13/R16, the engineering manager and QA lead of the PR's product group and
 *   the release ritual DRI ("must all approve");
 * - `em-qa`: R15, a released bug fix into the RC: "no additional feature work or released bug
 *   fixes are merged without EM and QA approval" (feature work has R16's stricter process).
 */
export type ApprovalRoles = "exception" | "em-qa";

/** The product groups the PR or its linked issues are labelled with. */
function labelledGroups(pull: PullSnapshot, cls: Classification, config: HandbookConfig) {
  const labels = [...pull.labels, ...cls.issues.flatMap((i) => i.labels)].map(lower);
  return config.productGroups.filter((g) => labels.includes(lower(g.label)));
}

function approvedBy(pull: PullSnapshot, config: HandbookConfig): Set<string> {
  return approvers(pull.reviews, pull.headSha, config.releaseTrain.mergeGate.approvalsOnHeadOnly);
}

/** R13/R15/R16: the roles of the PR's product group (and the release DRI) `roles` names. */
export function exceptionApproval(
  pull: PullSnapshot,
  cls: Classification,
  config: HandbookConfig,
  missingLogins: ReadonlySet<string> = new Set(),
  roles: ApprovalRoles = "exception",
): ExceptionCheck {
  const groups = labelledGroups(pull, cls, config);
  const dri = roles === "exception" ? [config.roles.releaseRitualDri] : [];
  const ok = approvedBy(pull, config);
  if (groups.length === 0) {
    return {
      approved: false,
      missing: [],
      by: [],
      problem: `no product group label (${config.productGroups.map((g) => g.label).join(" or ")}) on the PR or its issue`,
    };
  }
  const checks = groups.map((group) => {
    const needed = unique([group.engineeringManager, group.qaLead, ...dri]);
    return {
      group,
      by: needed.filter((r) => ok.has(lower(r))),
      missing: needed.filter((r) => !ok.has(lower(r))),
    };
  });
  const best = checks.sort((a, b) => a.missing.length - b.missing.length)[0]!;
  const unknown = unique([best.group.engineeringManager, best.group.qaLead, ...dri]).filter((l) =>
    missingLogins.has(lower(l)),
  );
  if (unknown.length > 0) {
    // Never pass silently, never wait forever: a role GitHub does not know cannot approve.
    return {
      approved: false,
      ...best,
      problem: `${unknown.map((l) => `@${l}`).join(", ")} ${unknown.length === 1 ? "does" : "do"} not exist on GitHub (fix ${dri.length ? "roles.releaseRitualDri or " : ""}productGroups[].engineeringManager/qaLead in bosun.yml)`,
    };
  }
  return { approved: best.missing.length === 0, ...best };
}

export interface ManagerCheck {
  approved: boolean;
  /** The engineering managers any one of whom may confirm (the author excluded). */
  managers: string[];
  /** The manager who approved. */
  by?: string;
  /** Why no manager can confirm, when none can. */
  problem?: string;
  /** The same, short enough for a status description. */
  short?: string;
}

/**
 * R10: "If the PR contains other changes, please confirm with your manager": the engineering
 * manager of a product group the author is a member of (`productGroups[].members`), else of
 * the group the PR or its issue is labelled with, approves the PR.
 */
export function managerApproval(
  pull: PullSnapshot,
  cls: Classification,
  config: HandbookConfig,
  missingLogins: ReadonlySet<string> = new Set(),
): ManagerCheck {
  const author = lower(pull.author ?? "");
  const member = config.productGroups.filter((g) => g.members.some((m) => lower(m) === author));
  const groups = member.length ? member : labelledGroups(pull, cls, config);
  const managers = unique(groups.map((g) => g.engineeringManager)).filter(
    (m) => lower(m) !== author,
  );
  if (managers.length === 0) {
    const who = `@${pull.author ?? "the author"}`;
    const names = groups.map((g) => g.name).join(", ");
    return {
      approved: false,
      managers,
      problem: groups.length
        ? `${who} is the engineering manager of ${names}, so no other manager is configured to confirm`
        : `${who} is in no productGroups[].members and the PR has no product group label (${config.productGroups.map((g) => g.label).join(" or ")})`,
      short: groups.length
        ? `${who} is the EM of ${names}`
        : `${who} is in no product group, none labelled`,
    };
  }
  const ok = approvedBy(pull, config);
  const by = managers.find((m) => ok.has(lower(m)));
  if (by) return { approved: true, managers, by };
  const known = managers.filter((m) => !missingLogins.has(lower(m)));
  if (known.length === 0) {
    return {
      approved: false,
      managers,
      problem: `${logins(managers)} ${managers.length === 1 ? "does" : "do"} not exist on GitHub (fix productGroups[].engineeringManager in bosun.yml)`,
      short: `${logins(managers)} not on GitHub`,
    };
  }
  return { approved: false, managers: known };
}

/** "R13 needs @a @b", or why the exception cannot be granted at all. */
export function exceptionText(rule: string, e: ExceptionCheck): string {
  return e.problem
    ? `${rule} exception impossible: ${e.problem}`
    : `${rule} needs ${logins(e.missing)}`;
}

function unique(logins: string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((l) => {
    if (seen.has(lower(l))) return false;
    seen.add(lower(l));
    return true;
  });
}
