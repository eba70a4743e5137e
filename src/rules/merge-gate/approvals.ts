// R13/R16: who approved a pull request, GitHub's way, and whether the exception's three roles
// (the product group's engineering manager and QA lead, the release ritual DRI) all did.
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

/** R13/R16: the engineering manager and QA lead of the PR's product group and the release DRI. */
export function exceptionApproval(
  pull: PullSnapshot,
  cls: Classification,
  config: HandbookConfig,
  missingLogins: ReadonlySet<string> = new Set(),
): ExceptionCheck {
  const labels = [...pull.labels, ...cls.issues.flatMap((i) => i.labels)].map(lower);
  const groups = config.productGroups.filter((g) => labels.includes(lower(g.label)));
  const dri = config.roles.releaseRitualDri;
  const ok = approvers(
    pull.reviews,
    pull.headSha,
    config.releaseTrain.mergeGate.approvalsOnHeadOnly,
  );
  if (groups.length === 0) {
    return {
      approved: false,
      missing: [],
      by: [],
      problem: `no product group label (${config.productGroups.map((g) => g.label).join(" or ")}) on the PR or its issue`,
    };
  }
  const checks = groups.map((group) => {
    const roles = unique([group.engineeringManager, group.qaLead, dri]);
    return {
      group,
      by: roles.filter((r) => ok.has(lower(r))),
      missing: roles.filter((r) => !ok.has(lower(r))),
    };
  });
  const best = checks.sort((a, b) => a.missing.length - b.missing.length)[0]!;
  const unknown = unique([best.group.engineeringManager, best.group.qaLead, dri]).filter((l) =>
    missingLogins.has(lower(l)),
  );
  if (unknown.length > 0) {
    // Never pass silently, never wait forever: a role GitHub does not know cannot approve.
    return {
      approved: false,
      ...best,
      problem: `${unknown.map((l) => `@${l}`).join(", ")} ${unknown.length === 1 ? "does" : "do"} not exist on GitHub (fix roles.releaseRitualDri or productGroups[].engineeringManager/qaLead in bosun.yml)`,
    };
  }
  return { approved: best.missing.length === 0, ...best };
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
