import { expect, it } from "vitest";
// Test-only: builds the merge gate's input (repositories with their release train, open and
// merged pull requests, logins GitHub does not know) and the pull requests, reviews and times
// its tests share. Refuses a second pull request with the same number in a repository, as
// GitHub would.

import { Temporal } from "temporal-polyfill";
import type { HandbookConfig } from "../../handbook/schema.js";
import { releaseCalendar, trainPhase } from "../../time/release.js";
import { FLEET, TrainState } from "../release-train/builder.js";
import type {
  LinkedIssueSnapshot,
  MergedPullSnapshot,
  PullSnapshot,
  ReviewSnapshot,
} from "../release-train/snapshot.js";
import {
  type GateCheck,
  type GateContext,
  type GateInput,
  gateContext,
  type Verdict,
} from "./context.js";
import { gateVerdicts, type MergeGateInput, mergeGate } from "./index.js";

export { FLEET } from "../release-train/builder.js";

/** The head commit of the pull requests {@link pullRequest} builds. */
export const HEAD = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
/** An older head commit: the one before a push. */
export const OLD_HEAD = "ffffffffffffffffffffffffffffffffffffffff";
export const REPO = FLEET;
/** The RC branch of the example's next minor, 4.62.0. */
export const RC = "rc-minor-fleet-v4.62.0";

/** A wall-clock time in Los Angeles. */
export const pt = (local: string) =>
  Temporal.PlainDateTime.from(local).toZonedDateTime("America/Los_Angeles").toInstant();

// Sprint 14 of the example calendar runs 2026-10-26 to 2026-11-16; its release is Monday
// 2026-11-16 09:00 PST. Freeze mode: freeze Tue 11-10 09:00, deep freeze Sun 11-15 09:00.
// Release-candidate mode: RC cut Fri 11-13 08:00.
export const OPEN = pt("2026-11-09T12:00");
export const FREEZE = pt("2026-11-10T09:00");
export const FROZEN = pt("2026-11-12T12:00");
export const DEEP = pt("2026-11-15T12:00");
export const RC_PERIOD = pt("2026-11-14T12:00");

/** The example configuration (release-candidate mode) switched to freeze mode. */
export const freezeMode = (config: HandbookConfig): HandbookConfig => ({
  ...config,
  releaseTrain: { ...config.releaseTrain, mode: "freeze" },
});

/** The commit of the example's latest release tag, fleet-v4.61.1. */
export const TAG_SHA = "7a9c0b1d2e3f405162738495a6b7c8d9e0f1a2b3";
/** A commit on main after the latest release tag. */
export const MAIN_AFTER_TAG = "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f";

/** The pull request's commits, oldest first: `[sha, message]`, each the parent of the next. */
export function commits(
  first: string,
  ...list: [sha: string, message: string][]
): NonNullable<PullSnapshot["commits"]> {
  return {
    list: list.map(([sha, message], i) => ({
      sha,
      message,
      parents: [i === 0 ? first : list[i - 1]![0]],
    })),
    complete: true,
  };
}

/**
 * R7: the head compared with release tag `tag` (at `TAG_SHA`): the merge base and the commits
 * of tag..head, as GitHub's compare API gives them.
 */
export function releaseCompare(
  over: Partial<NonNullable<PullSnapshot["releaseCompare"]>> & { commits: string[] },
): NonNullable<PullSnapshot["releaseCompare"]> {
  return {
    tag: "fleet-v4.61.1",
    tagSha: TAG_SHA,
    status: "ahead",
    aheadBy: over.commits.length,
    behindBy: 0,
    mergeBaseSha: TAG_SHA,
    ...over,
  };
}

/**
 * An open, ready pull request #100 into main changing one Go file, with no reviews or status:
 * one commit (HEAD, "A change") branched off the latest release tag (fleet-v4.61.1).
 */
export function pullRequest(over: Partial<PullSnapshot> = {}): PullSnapshot {
  return {
    number: 100,
    title: "A change",
    body: "",
    author: "mna",
    draft: false,
    baseRef: "main",
    headRef: "feature",
    headSha: HEAD,
    labels: [],
    createdAt: "2026-11-01T10:00:00Z",
    reviews: [],
    files: ["server/service/hosts.go"],
    commits: commits(TAG_SHA, [HEAD, "A change"]),
    releaseCompare: releaseCompare({ commits: [HEAD] }),
    linkedIssues: [],
    gateStatus: null,
    ...over,
  };
}

export const pr = pullRequest;

/** Issue #number of fleetdm/fleet with these labels. */
export const issue = (number: number, labels: string[], state: "open" | "closed" = "open") =>
  ({ repo: REPO, number, isIssue: true, known: true, state, labels }) as LinkedIssueSnapshot;

let reviewId = 1;
export const review = (
  author: string,
  state: string,
  at = "2026-11-12T10:00:00Z",
  commitId = HEAD,
): ReviewSnapshot => ({ id: reviewId++, author, state, submittedAt: at, commitId });

/** The approvals of the #g-mdm exception: EM, QA lead, release DRI. */
export const MDM_APPROVALS = () => [
  review("georgekarrv", "APPROVED"),
  review("AndreyKizimenko", "APPROVED"),
  review("lukeheath", "APPROVED"),
];

/** A fix for issue #n with these labels, referenced as the handbook asks ("For #n"). */
export const fixFor = (n: number, labels: string[], over: Partial<PullSnapshot> = {}) =>
  pr({ body: `For #${n}`, linkedIssues: [issue(n, labels)], ...over });
export const UNRELEASED = ["bug", "~unreleased bug", "#g-mdm"];
export const RELEASED = ["bug", "~released bug", "#g-mdm"];
export const BLOCKER = ["bug", "~released bug", "~release blocker", "#g-mdm"];
/** Feature work for story #40 of #g-mdm. */
export const feature = (over: Partial<PullSnapshot> = {}) =>
  pr({ body: "Part of #40", linkedIssues: [issue(40, ["story", "#g-mdm"])], ...over });

/** A pull request merged into `baseRef`. */
export const merged = (
  number: number,
  body: string,
  mergedAt: string,
  baseRef = "main",
): MergedPullSnapshot => ({
  number,
  body,
  baseRef,
  mergedAt,
  labels: [],
});

/** A stored commit status. */
export const status = (state: string, description: string, githubId = 7) => ({
  state,
  description,
  githubId,
  updatedAt: "2026-11-10T17:00:00Z",
});

/** The versions of the example: 4.61.1 released, 4.62.0 next, its RC branch cut. */
export const TRAIN = {
  tags: ["fleet-v4.60.0", "fleet-v4.61.0", "fleet-v4.61.1"],
  branches: ["main", "rc-minor-fleet-v4.61.0", RC],
  milestones: [
    { title: "4.61.0", state: "closed" as const },
    { title: "4.62.0", state: "open" as const },
  ],
};

export class GateState extends TrainState {
  private readonly missing = new Set<string>();

  /** A login the configuration names that GitHub answered 404 for. */
  missingLogin(...logins: string[]): this {
    for (const l of logins) this.missing.add(l.toLowerCase());
    return this;
  }

  input(): MergeGateInput {
    return {
      repositories: this.repositories(),
      ...(this.missing.size > 0 ? { missingLogins: [...this.missing] } : {}),
    };
  }
}

export interface StateExtra {
  merged?: MergedPullSnapshot[];
  repo?: string;
  labels?: string[];
}

/** One repository (fleetdm/fleet unless said) on the example's train, with these pulls. */
export function state(pulls: PullSnapshot[], extra: StateExtra = {}): GateState {
  const s = new GateState().repository(extra.repo ?? REPO, {
    labels: extra.labels ?? [],
    ...TRAIN,
  });
  for (const p of pulls) s.pull(p);
  for (const m of extra.merged ?? []) s.merged(m);
  return s;
}

export function snapshot(pulls: PullSnapshot[], extra?: StateExtra): MergeGateInput {
  return state(pulls, extra).input();
}

/** The gate's verdict on `pull`, alone in its repository. */
export function verdictOf(
  config: HandbookConfig,
  now: Temporal.Instant,
  pull: PullSnapshot,
  extra?: StateExtra,
) {
  const [v] = gateVerdicts(snapshot([pull], extra), config, now);
  if (!v) throw new Error("no verdict");
  return v.verdict;
}

export const decide = (
  config: HandbookConfig,
  now: Temporal.Instant,
  pulls: PullSnapshot[],
  extra?: StateExtra,
) => mergeGate.decide(snapshot(pulls, extra), config, now);

/** A row of a verdict table: the situation, and the state and rule expected. */
export type Case = [
  name: string,
  mode: "freeze" | "rc",
  now: Temporal.Instant,
  pull: () => PullSnapshot,
  expected: { state: "success" | "failure"; rule: string; says?: string },
  extra?: StateExtra,
];

/**
 * One test per case: the gate's verdict has the expected state and deciding rule, a description
 * that starts with the rule and fits GitHub's 140 characters, and the expected wording.
 */
export function verdictCases(
  cases: readonly Case[],
  configs: { freeze: HandbookConfig; rc: HandbookConfig },
): void {
  it.each(cases)("%s", (_name, mode, now, pull, expected, extra) => {
    const v = verdictOf(configs[mode], now, pull(), extra);
    expect({ state: v.state, rule: v.rule }).toEqual({
      state: expected.state,
      rule: expected.rule,
    });
    expect(v.description.startsWith(`${expected.rule}: `)).toBe(true);
    if (expected.says) expect(v.description).toContain(expected.says);
    expect(v.description.length).toBeLessThanOrEqual(140);
  });
}

/**
 * What one check sees for `pull` in fleetdm/fleet at `now`: the example's versions (4.61.1
 * released, 4.62.0 next), no merged pull requests, no labels or logins missing on GitHub.
 */
export function checkContext(
  config: HandbookConfig,
  now: Temporal.Instant,
  pull: PullSnapshot,
  over: Partial<GateInput> = {},
): GateContext {
  const calendar = releaseCalendar(config);
  return gateContext(pull, {
    config,
    calendar,
    phase: trainPhase(calendar, now),
    versions: { latestRelease: "4.61.1", nextMinor: "4.62.0", openRcBranches: [RC] },
    repo: REPO,
    releasedFromMain: false,
    repoLabels: new Set(),
    merged: [],
    tags: TRAIN.tags,
    ...over,
  });
}

/** One check's verdict on `pull`, called alone with {@link checkContext}. */
export function runCheck(
  step: Pick<GateCheck, "check">,
  config: HandbookConfig,
  now: Temporal.Instant,
  pull: PullSnapshot,
  over: Partial<GateInput> = {},
): Verdict | undefined {
  return step.check(pull, checkContext(config, now, pull, over));
}
