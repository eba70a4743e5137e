// The merge gate's verdict on one open pull request: success or failure, with a one-line
// description citing the handbook rule (R6-R16) and a longer reason for the audit log.
// Pure: the release phase, versions and the pull request's data come in as arguments.
import { Temporal } from "temporal-polyfill";
import { pathMatcher } from "../../handbook/globs.js";
import { parsePattern } from "../../handbook/patterns.js";
import type { HandbookConfig, ProductGroup } from "../../handbook/schema.js";
import { formatWhen } from "../../time/format.js";
import type { ReleaseCalendar, TrainPhase, VersionState } from "../../time/release.js";
import type {
  LinkedIssueSnapshot,
  MergedPullSnapshot,
  PullSnapshot,
  ReviewSnapshot,
} from "../release-train/snapshot.js";
import { closingReferences, issueReferences, sameRepo } from "./references.js";

/** GitHub keeps at most 140 characters of a status description. */
export const DESCRIPTION_LIMIT = 140;

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
}

/** What a pull request is, from its linked issues' labels, its own labels and its files. */
export interface Classification {
  bug: boolean;
  unreleased: boolean;
  released: boolean;
  blocker: boolean;
  docsOnly: boolean;
  /** Linked issues that are issues (not pull requests), as the store knows them. */
  issues: LinkedIssueSnapshot[];
  /** "#12 (~unreleased bug)" or "the PR's labels": what the classification rests on. */
  evidence: string;
}

const lower = (s: string) => s.toLowerCase();

export function classify(pull: PullSnapshot, config: HandbookConfig): Classification {
  const l = config.labels;
  const has = (labels: readonly string[], name: string) =>
    labels.some((x) => lower(x) === lower(name));
  const issues = pull.linkedIssues.filter((i) => i.isIssue);
  const sources = [{ what: "the PR", labels: pull.labels }].concat(
    issues.map((i) => ({ what: issueName(i), labels: i.labels })),
  );
  const unreleased = sources.filter((s) => has(s.labels, l.unreleasedBug));
  const released = sources.filter((s) => has(s.labels, l.releasedBug));
  const blocker = sources.filter((s) => has(s.labels, l.releaseBlocker));
  const bug = sources.filter(
    (s) =>
      has(s.labels, l.bug) ||
      has(s.labels, l.unreleasedBug) ||
      has(s.labels, l.releasedBug) ||
      has(s.labels, l.releaseBlocker),
  );
  const docs = pathMatcher(config.releaseTrain.mergeGate.docsPaths);
  const docsOnly = pull.files !== null && pull.files.length > 0 && pull.files.every(docs);
  const labelled = (list: typeof sources, label: string) =>
    list.length ? `${list.map((s) => s.what).join(", ")} (${label})` : "";
  const evidence =
    labelled(unreleased, l.unreleasedBug) ||
    labelled(released, l.releasedBug) ||
    labelled(blocker, l.releaseBlocker) ||
    labelled(bug, l.bug) ||
    (docsOnly ? `${pull.files?.length} changed file(s), all docs` : "no bug label");
  return {
    bug: bug.length > 0,
    unreleased: unreleased.length > 0,
    released: released.length > 0,
    blocker: blocker.length > 0,
    docsOnly,
    issues,
    evidence,
  };
}

function issueName(i: { repo: string; number: number }, repo?: string) {
  return repo === undefined || sameRepo(i.repo, repo) ? `#${i.number}` : `${i.repo}#${i.number}`;
}

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

function unique(logins: string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((l) => {
    if (seen.has(lower(l))) return false;
    seen.add(lower(l));
    return true;
  });
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > DESCRIPTION_LIMIT ? `${line.slice(0, DESCRIPTION_LIMIT - 1)}…` : line;
}

const logins = (list: readonly string[]) => list.map((l) => `@${l}`).join(" ");

/** The merge gate's verdict on one open pull request. */
export function gateVerdict(pull: PullSnapshot, input: GateInput): Verdict {
  const { config } = input;
  const train = config.releaseTrain;
  const main = train.branches.main;
  const cls = classify(pull, config);
  const notes: Verdict["notes"] = [];
  const verdict = (
    state: Verdict["state"],
    rule: string,
    description: string,
    reason: string,
  ): Verdict => ({
    state,
    rule,
    description: oneLine(`${rule}: ${description}`),
    reason: `${rule}: ${reason} [PR ${input.repo}#${pull.number}: ${cls.evidence}]${missingLabels(input, cls)}`,
    notes,
  });
  const ref = (i: LinkedIssueSnapshot) => issueName(i, input.repo);
  const bugIssues = cls.issues.filter((i) =>
    i.labels.some((x) =>
      [config.labels.bug, config.labels.unreleasedBug, config.labels.releasedBug]
        .map(lower)
        .includes(lower(x)),
    ),
  );
  const fixFor = bugIssues[0] ? ` ${ref(bugIssues[0])}` : "";
  const bugKind =
    cls.unreleased && !cls.released ? "unreleased bug" : cls.released ? "released bug" : "bug";

  // R8: a bug-fix PR names its issue, without a keyword that would close it on merge.
  if (cls.bug) {
    const closing = closingReferences(pull.body, input.repo);
    if (closing.length > 0) {
      const first = closing[0]!;
      const plain = first.text.slice(first.keyword!.length).replace(/^:?\s*/, "");
      return verdict(
        "failure",
        "R8",
        `remove the auto-closing keyword in "${first.text}"; write "For ${plain}" so the issue stays open`,
        `the body uses the auto-closing keyword "${first.keyword}" (${closing.map((c) => c.text).join(", ")}); bug issues are closed after QA (R6) or after the release (R7), not by the merge`,
      );
    }
    const named = issueReferences(pull.body, input.repo).length > 0;
    if (!named || cls.issues.length === 0) {
      return verdict(
        "failure",
        "R8",
        named
          ? "the issue this bug fix references is not a known issue; reference it as #N in the description"
          : "a bug-fix PR references its issue (#N) in the description",
        named
          ? "the description references only pull requests or issues Bosun has not seen"
          : "the description references no issue",
      );
    }
  }

  const base = pull.baseRef ?? "";
  const rcVersion = parsePattern(train.branches.rc, base);
  const isPatch = parsePattern(train.branches.patch, base) !== undefined;

  // R6/R7: bug fixes go into main (an unreleased fix reaches the RC by a cherry-pick PR, R15).
  if (cls.bug && base !== main && !(rcVersion && train.mode === "release-candidate") && !isPatch) {
    const rule = cls.released ? "R7" : "R6";
    return verdict(
      "failure",
      rule,
      `a fix for ${bugKind}${fixFor} goes into ${main}, not ${base}`,
      `${cls.released ? `released bugs branch off the latest release tag${input.versions.latestRelease ? ` (${train.tag.replaceAll("{version}", input.versions.latestRelease)})` : ""}` : "unreleased bugs branch off main"} and the PR goes into ${main}`,
    );
  }

  if (input.releasedFromMain) {
    return verdict(
      "success",
      "R33",
      `${input.repo} ships from ${main}; the release train does not gate it`,
      `the repository is configured with releasedFromMain: true (repositories[].releasedFromMain)`,
    );
  }

  const approval = () => exceptionApproval(pull, cls, config, input.missingLogins);
  const exceptionText = (rule: string, e: ExceptionCheck) =>
    e.problem ? `${rule} exception impossible: ${e.problem}` : `${rule} needs ${logins(e.missing)}`;

  // Release-candidate mode: the RC branch takes unreleased bug fixes only (R15, R16).
  if (rcVersion !== undefined && train.mode === "release-candidate") {
    if (cls.unreleased && !cls.released) {
      const issue = bugIssues.find((i) =>
        i.labels.some((x) => lower(x) === lower(config.labels.unreleasedBug)),
      );
      const onMain = issue ? mergedReferencing(input.merged, issue, input.repo, main) : [];
      if (issue && onMain.length === 0) {
        return verdict(
          "failure",
          "R15",
          `merge the fix for ${ref(issue)} into ${main} first, then cherry-pick it into ${base}`,
          `no merged PR into ${main} references ${ref(issue)}; unreleased bug fixes reach the RC as cherry-picks of a fix already on ${main}`,
        );
      }
      return verdict(
        "success",
        "R15",
        `unreleased bug fix${fixFor} cherry-picked into ${base}`,
        `unreleased bug fixes merge into the RC${onMain.length ? ` (on ${main} as #${onMain.map((m) => m.number).join(", #")})` : ""}`,
      );
    }
    const e = approval();
    if (e.approved) {
      return verdict(
        "success",
        "R16",
        `feature merge exception into ${base} approved by ${logins(e.by)}`,
        `the engineering manager and QA lead of ${e.group!.name} and the release DRI approved`,
      );
    }
    const what = cls.released
      ? `${fixFor.trim() || "this"} is a released bug (R7: into ${main})`
      : cls.docsOnly
        ? "docs-only change"
        : "feature work";
    return verdict(
      "failure",
      "R15",
      `${what}: ${base} takes unreleased bug fixes only; ${exceptionText("R16", e)}`,
      `the RC ${base} takes only unreleased bug fixes; ${e.problem ?? `approvals missing from ${logins(e.missing)} (engineering manager, QA lead, release DRI)`}`,
    );
  }

  if (base !== main) {
    return verdict(
      "success",
      isPatch ? "R30" : "R9",
      `${base} is not gated by the release train`,
      `only ${main}${train.mode === "release-candidate" ? " and RC branches are" : " is"} gated`,
    );
  }

  // Into main.
  const successForMain = (): Verdict => {
    if (cls.bug) {
      const rule = cls.released ? "R7" : "R6";
      return verdict(
        "success",
        rule,
        `fix for ${bugKind}${fixFor} into ${main}${train.mode === "freeze" ? "; bug fixes are exempt from the freeze (R9)" : ""}`,
        `${bugKind} fixes go into ${main}${cls.released ? ` (branched off the latest release tag; the issue stays open until the release)` : ""}`,
      );
    }
    if (cls.docsOnly) {
      return verdict(
        "success",
        "R10",
        `docs-only change (${pull.files!.length} file${pull.files!.length === 1 ? "" : "s"}); may merge${train.mode === "freeze" ? ", also during the freeze" : ""}`,
        `every changed file matches releaseTrain.mergeGate.docsPaths`,
      );
    }
    return verdict(
      "success",
      train.mode === "freeze" ? "R9" : "R14",
      // Stable across RC cuts: in release-candidate mode main never closes, so no rewrite.
      train.mode === "freeze"
        ? `${main} is open until the freeze ${formatWhen(input.phase.until)}`
        : `${main} is open (release-candidate mode: the RC branch is gated instead)`,
      train.mode === "freeze"
        ? "feature work merges until the freeze"
        : "in release-candidate mode main stays open; the RC branch is gated instead",
    );
  };

  if (train.mode === "release-candidate" || input.phase.phase === "open") return successForMain();

  const version = input.versions.nextMinor ? ` for ${input.versions.nextMinor}` : "";
  const release = formatWhen(input.calendar.release(input.phase.releaseIndex));
  if (input.phase.phase === "deep-frozen") {
    if (cls.blocker || (cls.unreleased && !cls.released)) return successForMain();
    const e = approval();
    if (e.approved) {
      return verdict(
        "success",
        "R13",
        `deep-freeze exception approved by ${logins(e.by)}`,
        `deep freeze (R11), but the engineering manager and QA lead of ${e.group!.name} and the release DRI approved`,
      );
    }
    return verdict(
      "failure",
      "R11",
      `deep freeze${version} until ${release}: only ${config.labels.releaseBlocker} or ${config.labels.unreleasedBug} fixes; ${exceptionText("R13", e)}`,
      `the final ${train.deepFreezeHours} hours before the release are a deep freeze; ${e.problem ?? `approvals missing from ${logins(e.missing)}`}`,
    );
  }

  // Frozen (R9): bug fixes and docs-only changes merge (R10); feature work waits or is excepted.
  if (cls.bug || cls.docsOnly) return successForMain();
  const e = approval();
  if (e.approved) {
    return verdict(
      "success",
      "R13",
      `freeze exception approved by ${logins(e.by)}`,
      `main is frozen (R9), but the engineering manager and QA lead of ${e.group!.name} and the release DRI approved`,
    );
  }
  const partly = partlyMerged(pull, cls, input);
  if (partly.length > 0) {
    for (const p of partly) {
      for (const m of p.merged) {
        notes.push({
          target: `${input.repo}#${m.number}`,
          message: `R12: flag for revert: merged ${m.mergedAt} as part of ${ref(p.issue)}, whose work was still open (PR #${pull.number}) when the freeze began`,
        });
      }
    }
    const list = partly.map(
      (p) => `${ref(p.issue)} (#${p.merged.map((m) => m.number).join(", #")})`,
    );
    return verdict(
      "failure",
      "R12",
      `${list.join("; ")} partly merged before the freeze: revert, or ${exceptionText("R13", e)}`,
      `main is frozen${version} since ${formatWhen(input.phase.since)} and this feature work was partly merged before the freeze, so the merged part must be reverted (R12); ${e.problem ?? `approvals missing from ${logins(e.missing)}`}`,
    );
  }
  const filesNote = pull.files === null ? " (changed files not synced yet)" : "";
  return verdict(
    "failure",
    "R9",
    `${main} is frozen${version} until ${release}; ${exceptionText("R13", e)}`,
    `main is frozen since ${formatWhen(input.phase.since)}: no feature work merges, bug fixes and docs-only changes (R10) do${filesNote}; ${e.problem ?? `approvals missing from ${logins(e.missing)} (engineering manager, QA lead, release DRI)`}`,
  );
}

/** Merged pull requests into `base` whose bodies reference `issue`. */
function mergedReferencing(
  merged: readonly MergedPullSnapshot[],
  issue: { repo: string; number: number },
  repo: string,
  base: string,
): MergedPullSnapshot[] {
  return merged.filter(
    (m) =>
      m.baseRef === base &&
      issueReferences(m.body, repo).some(
        (r) => r.number === issue.number && sameRepo(r.repo, issue.repo),
      ),
  );
}

/** R12: the PR's feature issues that already had PRs merged into main before the freeze. */
function partlyMerged(pull: PullSnapshot, cls: Classification, input: GateInput) {
  const main = input.config.releaseTrain.branches.main;
  const from = input.calendar.release(input.phase.releaseIndex - 1).toInstant();
  const freezeStart = input.calendar.freeze(input.phase.releaseIndex).toInstant();
  return cls.issues
    .filter((i) => i.state !== "closed")
    .map((issue) => ({
      issue,
      merged: mergedReferencing(input.merged, issue, input.repo, main).filter((m) => {
        const at = Temporal.Instant.from(m.mergedAt);
        return (
          m.number !== pull.number &&
          Temporal.Instant.compare(at, from) >= 0 &&
          Temporal.Instant.compare(at, freezeStart) < 0
        );
      }),
    }))
    .filter((p) => p.merged.length > 0);
}

/** Labels the gate reads that the repository lacks: a PR cannot carry them, so say so. */
function missingLabels(input: GateInput, cls: Classification): string {
  if (input.repoLabels.size === 0 || cls.bug) return "";
  const l = input.config.labels;
  const needed = [l.bug, l.unreleasedBug, l.releasedBug, l.releaseBlocker].concat(
    input.config.productGroups.map((g) => g.label),
  );
  const missing = needed.filter((n) => !input.repoLabels.has(lower(n)));
  return missing.length
    ? ` (labels missing on GitHub in ${input.repo}: ${missing.map((m) => JSON.stringify(m)).join(", ")})`
    : "";
}
