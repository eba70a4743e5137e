// What every merge-gate check sees, built once per pull request: its classification, where it
// goes (the target branch and the release train's state there), the exception approvals, and
// the one way to word a verdict. Pure: the release phase, versions and the pull request's data
// come in as arguments.

import { carriedName, carriesLabel, labelNames } from "../../handbook/labels.js";
import { parsePattern } from "../../handbook/patterns.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { formatWhen } from "../../time/format.js";
import type { ReleaseCalendar, TrainPhase, VersionState } from "../../time/release.js";
import type {
  LinkedIssueSnapshot,
  MergedPullSnapshot,
  PullSnapshot,
} from "../release-train/snapshot.js";
import {
  type ApprovalRoles,
  type ExceptionCheck,
  exceptionApproval,
  type ManagerCheck,
  managerApproval,
} from "./approvals.js";
import { type Classification, classify, issueName } from "./classify.js";
import { oneLine } from "./text.js";

export interface Verdict {
  state: "success" | "failure";
  /** The handbook rule that decided it. */
  rule: string;
  /** One line, at most 140 characters, starting with the rule id. */
  description: string;
  /** The full explanation, for the audit log and `bosun why`. */
  reason: string;
  /** Things to flag beside the status (R12 reverts, labels missing on GitHub). */
  notes: { target: string; message: string }[];
}

export interface GateInput {
  config: HandbookConfig;
  calendar: ReleaseCalendar;
  /** The phase of the release train now. */
  phase: TrainPhase;
  versions: VersionState;
  /** `owner/name` of the pull request's repository. */
  repo: string;
  /** R33: the repository ships straight from main; only R6-R8 apply. */
  releasedFromMain: boolean;
  /** Labels the repository has on GitHub (lower case), to name the missing ones. */
  repoLabels: ReadonlySet<string>;
  /** Configured logins GitHub does not know (lower case): they can never approve. */
  missingLogins?: ReadonlySet<string>;
  /** Pull requests merged recently, for R12 and R15. */
  merged: readonly MergedPullSnapshot[];
  /** The repository's own tags (R7: is the latest release tagged here, to compare with?). */
  tags?: readonly string[];
}

/**
 * Where the pull request goes, and the release train's state there:
 * - `rc`: an RC branch in release-candidate mode (R15, R16);
 * - `other`: any other branch but main, patch branches included (not gated);
 * - `main-open`: main before the freeze, or main in release-candidate mode (R9, R14);
 * - `main-deep-frozen`: main in the final hours before the release (R11);
 * - `main-frozen`: main from the freeze to the deep freeze (R9).
 */
export type Target = "rc" | "other" | "main-open" | "main-deep-frozen" | "main-frozen";

export interface GateContext {
  input: GateInput;
  config: HandbookConfig;
  cls: Classification;
  /** `releaseTrain.branches.main`. */
  main: string;
  /** The pull request's base branch ("" while unknown). */
  base: string;
  target: Target;
  /** The base is a patch branch (`releaseTrain.branches.patch`). */
  isPatch: boolean;
  /** Linked issues labelled bug, ~unreleased bug or ~released bug (or an alias of one). */
  bugIssues: LinkedIssueSnapshot[];
  /** " #12", the first bug issue, for descriptions; "" when there is none. */
  fixFor: string;
  /** "unreleased bug", "released bug" or "bug". */
  bugKind: string;
  /** " for 4.62.0", the next minor release, for descriptions; "" when unknown. */
  version: string;
  /** Things to flag beside the status; every verdict of this pull request carries them. */
  notes: Verdict["notes"];
  /** An issue as the pull request's repository writes it: "#12" or "owner/name#12". */
  ref(issue: { repo: string; number: number }): string;
  /**
   * The approvals `roles` names (default R13/R16's exception: EM, QA lead and release DRI;
   * `em-qa`: R15's released bug fix into the RC), worked out on first use.
   */
  approval(roles?: ApprovalRoles): ExceptionCheck;
  /** R10: the author's engineering manager's confirmation, worked out on first use. */
  manager(): ManagerCheck;
  /** The release the train leads to, formatted ("Mon 2026-11-16 09:00 PST"). */
  releaseWhen(): string;
  /** A verdict citing `rule`: the description on one line, the reason with the evidence. */
  verdict(state: Verdict["state"], rule: string, description: string, reason: string): Verdict;
}

/** One named step of the merge gate; checks/index.ts gives their order. */
export interface GateCheck {
  name: string;
  /** The handbook rules it applies. */
  rules: readonly string[];
  /** One line: why it sits at its position in the order. */
  why: string;
  /** The verdict when this check decides; undefined lets the next check decide. */
  check(pull: PullSnapshot, ctx: GateContext): Verdict | undefined;
}

/** The step that decides when no check did. */
export interface GateDefault extends Omit<GateCheck, "check"> {
  check(pull: PullSnapshot, ctx: GateContext): Verdict;
}

export function gateContext(pull: PullSnapshot, input: GateInput): GateContext {
  const { config } = input;
  const train = config.releaseTrain;
  const main = train.branches.main;
  const cls = classify(pull, config);
  const notes: Verdict["notes"] = [];
  const ref = (i: { repo: string; number: number }) => issueName(i, input.repo);
  const bugIssues = cls.issues.filter((i) =>
    (["bug", "unreleasedBug", "releasedBug"] as const).some((key) =>
      carriesLabel(config.labels, key, i.labels),
    ),
  );
  const base = pull.baseRef ?? "";
  const rc = train.mode === "release-candidate";
  const target: Target =
    rc && parsePattern(train.branches.rc, base) !== undefined
      ? "rc"
      : base !== main
        ? "other"
        : rc || input.phase.phase === "open"
          ? "main-open"
          : input.phase.phase === "deep-frozen"
            ? "main-deep-frozen"
            : "main-frozen";
  const approvals = new Map<ApprovalRoles, ExceptionCheck>();
  let manager: ManagerCheck | undefined;
  return {
    input,
    config,
    cls,
    main,
    base,
    target,
    isPatch: parsePattern(train.branches.patch, base) !== undefined,
    bugIssues,
    fixFor: bugIssues[0] ? ` ${ref(bugIssues[0])}` : "",
    bugKind: cls.release ? `${cls.release} bug` : "bug",
    version: input.versions.nextMinor ? ` for ${input.versions.nextMinor}` : "",
    notes,
    ref,
    approval: (roles = "exception") => {
      let a = approvals.get(roles);
      if (!a) {
        a = exceptionApproval(pull, cls, config, input.missingLogins, roles);
        approvals.set(roles, a);
      }
      return a;
    },
    manager: () => {
      manager ??= managerApproval(pull, cls, config, input.missingLogins);
      return manager;
    },
    releaseWhen: () => formatWhen(input.calendar.release(input.phase.releaseIndex)),
    verdict: (state, rule, description, reason) => ({
      state,
      rule,
      description: oneLine(`${rule}: ${description}`),
      reason: `${rule}: ${reason} [PR ${input.repo}#${pull.number}: ${cls.evidence}]${missingLabels(input, cls)}`,
      notes,
    }),
  };
}

/** Labels the gate reads that the repository lacks: a PR cannot carry them, so say so. */
function missingLabels(input: GateInput, cls: Classification): string {
  if (input.repoLabels.size === 0 || cls.bug) return "";
  const l = input.config.labels;
  // A setting is present under any of its names; the canonical name is the one to create.
  const needed = (["bug", "unreleasedBug", "releasedBug", "releaseBlocker"] as const)
    .map((key) => labelNames(l, key))
    .concat(input.config.productGroups.map((g) => [g.label]));
  const missing = needed
    .filter((names) => carriedName(names, input.repoLabels) === undefined)
    .map((names) => names[0]!);
  return missing.length
    ? ` (labels missing on GitHub in ${input.repo}: ${missing.map((m) => JSON.stringify(m)).join(", ")})`
    : "";
}
