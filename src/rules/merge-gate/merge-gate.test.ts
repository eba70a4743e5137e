import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../../../test/support/app.js";
import "../../../test/support/matchers.js";
import { parseIdempotencyKey } from "../../effects/plan.js";
import { pathMatcher } from "../../handbook/globs.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import type {
  LinkedIssueSnapshot,
  MergedPullSnapshot,
  PullSnapshot,
  ReviewSnapshot,
} from "../release-train/snapshot.js";
import { GateState, HEAD, pullRequest } from "./builder.js";
import { gateStatusKey } from "./identity.js";
import { gateVerdicts, type MergeGateInput, mergeGate } from "./index.js";
import { CLOSING_KEYWORDS, closingReferences, issueReferences } from "./references.js";
import { approvers } from "./verdict.js";

const REPO = "fleetdm/fleet";
const OLD_HEAD = "ffffffffffffffffffffffffffffffffffffffff";
const RC = "rc-minor-fleet-v4.62.0";

/** A wall-clock time in Los Angeles. */
const pt = (local: string) =>
  Temporal.PlainDateTime.from(local).toZonedDateTime("America/Los_Angeles").toInstant();

// Sprint 14 of the example calendar runs 2026-10-26 to 2026-11-16; its release is Monday
// 2026-11-16 09:00 PST. Freeze mode: freeze Tue 11-10 09:00, deep freeze Sun 11-15 09:00.
// Release-candidate mode: RC cut Fri 11-13 08:00.
const OPEN = pt("2026-11-09T12:00");
const FREEZE = pt("2026-11-10T09:00");
const FROZEN = pt("2026-11-12T12:00");
const DEEP = pt("2026-11-15T12:00");
const RC_PERIOD = pt("2026-11-14T12:00");

let rcConfig: HandbookConfig;
let freezeConfig: HandbookConfig;
beforeAll(async () => {
  rcConfig = await exampleConfig();
  freezeConfig = { ...rcConfig, releaseTrain: { ...rcConfig.releaseTrain, mode: "freeze" } };
});

// --- builders -------------------------------------------------------------------------

const issue = (number: number, labels: string[], state: "open" | "closed" = "open") =>
  ({ repo: REPO, number, isIssue: true, known: true, state, labels }) as LinkedIssueSnapshot;

let reviewId = 1;
const review = (
  author: string,
  state: string,
  at = "2026-11-12T10:00:00Z",
  commitId = HEAD,
): ReviewSnapshot => ({ id: reviewId++, author, state, submittedAt: at, commitId });

/** The approvals of the #g-mdm exception: EM, QA lead, release DRI. */
const MDM_APPROVALS = () => [
  review("georgekarrv", "APPROVED"),
  review("AndreyKizimenko", "APPROVED"),
  review("lukeheath", "APPROVED"),
];

const pr = pullRequest;

/** A fix for issue #n with these labels, referenced as the handbook asks ("For #n"). */
const fixFor = (n: number, labels: string[], over: Partial<PullSnapshot> = {}) =>
  pr({ body: `For #${n}`, linkedIssues: [issue(n, labels)], ...over });
const UNRELEASED = ["bug", "~unreleased bug", "#g-mdm"];
const RELEASED = ["bug", "~released bug", "#g-mdm"];
const BLOCKER = ["bug", "~released bug", "~release blocker", "#g-mdm"];
/** Feature work for story #40 of #g-mdm. */
const feature = (over: Partial<PullSnapshot> = {}) =>
  pr({ body: "Part of #40", linkedIssues: [issue(40, ["story", "#g-mdm"])], ...over });

/** The versions of the example: 4.61.1 released, 4.62.0 next, its RC branch cut. */
const TRAIN = {
  tags: ["fleet-v4.60.0", "fleet-v4.61.0", "fleet-v4.61.1"],
  branches: ["main", "rc-minor-fleet-v4.61.0", RC],
  milestones: [
    { title: "4.61.0", state: "closed" as const },
    { title: "4.62.0", state: "open" as const },
  ],
};

/** One repository (fleetdm/fleet unless said) on the example's train, with these pulls. */
function state(
  pulls: PullSnapshot[],
  extra: { merged?: MergedPullSnapshot[]; repo?: string; labels?: string[] } = {},
): GateState {
  const s = new GateState().repository(extra.repo ?? REPO, {
    labels: extra.labels ?? [],
    ...TRAIN,
  });
  for (const p of pulls) s.pull(p);
  for (const m of extra.merged ?? []) s.merged(m);
  return s;
}

function snapshot(pulls: PullSnapshot[], extra?: Parameters<typeof state>[1]): MergeGateInput {
  return state(pulls, extra).input();
}

function verdictOf(
  config: HandbookConfig,
  now: Temporal.Instant,
  pull: PullSnapshot,
  extra?: Parameters<typeof snapshot>[1],
) {
  const [v] = gateVerdicts(snapshot([pull], extra), config, now);
  if (!v) throw new Error("no verdict");
  return v.verdict;
}

const decide = (
  config: HandbookConfig,
  now: Temporal.Instant,
  pulls: PullSnapshot[],
  extra?: Parameters<typeof snapshot>[1],
) => mergeGate.decide(snapshot(pulls, extra), config, now);

const status = (state: string, description: string, githubId = 7) => ({
  state,
  description,
  githubId,
  updatedAt: "2026-11-10T17:00:00Z",
});

type Case = [
  name: string,
  mode: "freeze" | "rc",
  now: Temporal.Instant,
  pull: () => PullSnapshot,
  expected: { state: "success" | "failure"; rule: string; says?: string },
  extra?: Parameters<typeof snapshot>[1],
];

const merged = (
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

// --- the verdict table --------------------------------------------------------------------

const CASES: Case[] = [
  // R9: freeze of main from the Tuesday before the release, 09:00 Pacific.
  [
    "R9: feature work into main merges while main is open",
    "freeze",
    OPEN,
    feature,
    {
      state: "success",
      rule: "R9",
      says: "main is open until the freeze Tue 2026-11-10 09:00 PST",
    },
  ],
  [
    "R9: feature work into main fails from Tuesday 09:00 Pacific",
    "freeze",
    FREEZE,
    feature,
    {
      state: "failure",
      rule: "R9",
      says: "main is frozen for 4.62.0 until Mon 2026-11-16 09:00 PST",
    },
  ],
  [
    "R9: one minute before the freeze main is still open",
    "freeze",
    FREEZE.subtract({ minutes: 1 }),
    feature,
    { state: "success", rule: "R9" },
  ],
  [
    "R9: a fix for an unreleased bug is exempt from the freeze",
    "freeze",
    FROZEN,
    () => fixFor(12, UNRELEASED),
    { state: "success", rule: "R6", says: "exempt from the freeze" },
  ],
  [
    "R9: a fix for a released bug is exempt from the freeze",
    "freeze",
    FROZEN,
    () => fixFor(12, RELEASED),
    { state: "success", rule: "R7" },
  ],
  [
    "R9: a PR labelled bug itself, referencing its issue, is a bug fix",
    "freeze",
    FROZEN,
    () => pr({ body: "For #12", labels: ["bug"], linkedIssues: [issue(12, [])] }),
    { state: "success", rule: "R6" },
  ],
  [
    "R9: main opens again at the release",
    "freeze",
    pt("2026-11-16T09:00"),
    feature,
    { state: "success", rule: "R9", says: "open until the freeze Tue 2026-12-01 09:00 PST" },
  ],
  [
    "R9: the freeze's failure names the missing R13 approvals",
    "freeze",
    FROZEN,
    feature,
    { state: "failure", rule: "R9", says: "R13 needs @georgekarrv @AndreyKizimenko @lukeheath" },
  ],
  [
    "R9: changed files not synced yet: feature work is not taken for docs",
    "freeze",
    FROZEN,
    () => feature({ files: null }),
    { state: "failure", rule: "R9" },
  ],
  // R10: docs-only changes merge during the freeze.
  [
    "R10: a docs-only PR merges during the freeze",
    "freeze",
    FROZEN,
    () => pr({ files: ["docs/Using Fleet/hosts.md", "README.md"] }),
    { state: "success", rule: "R10", says: "docs-only change (2 files)" },
  ],
  [
    "R10: website changes count as docs (default docsPaths)",
    "freeze",
    FROZEN,
    () => pr({ files: ["website/views/pages/homepage.ejs"] }),
    { state: "success", rule: "R10" },
  ],
  [
    "R10: docs plus code is not docs-only",
    "freeze",
    FROZEN,
    () => pr({ files: ["docs/a.md", "server/a.go"] }),
    { state: "failure", rule: "R9" },
  ],
  [
    "R10: a file moved out of docs/ is not a docs change",
    "freeze",
    FROZEN,
    () => pr({ files: ["docs/a.md", "\u0000more files"] }),
    { state: "failure", rule: "R9" },
  ],
  [
    "R10: no changed files at all is not docs-only",
    "freeze",
    FROZEN,
    () => pr({ files: [] }),
    { state: "failure", rule: "R9" },
  ],
  // R11: deep freeze in the final 24 hours.
  [
    "R11: an unreleased bug fix merges in the deep freeze",
    "freeze",
    DEEP,
    () => fixFor(12, UNRELEASED),
    { state: "success", rule: "R6" },
  ],
  [
    "R11: a release-blocker fix merges in the deep freeze",
    "freeze",
    DEEP,
    () => fixFor(12, BLOCKER),
    { state: "success", rule: "R7" },
  ],
  [
    "R11: a released bug without ~release blocker waits in the deep freeze",
    "freeze",
    DEEP,
    () => fixFor(12, RELEASED),
    { state: "failure", rule: "R11", says: "only ~release blocker or ~unreleased bug fixes" },
  ],
  [
    "R11: docs-only changes wait in the deep freeze",
    "freeze",
    DEEP,
    () => pr({ files: ["docs/a.md"] }),
    { state: "failure", rule: "R11" },
  ],
  [
    "R11: the deep freeze begins exactly 24 hours before the release",
    "freeze",
    pt("2026-11-15T09:00"),
    () => fixFor(12, RELEASED),
    { state: "failure", rule: "R11" },
  ],
  [
    "R11: one minute earlier it is the ordinary freeze",
    "freeze",
    pt("2026-11-15T08:59"),
    () => fixFor(12, RELEASED),
    { state: "success", rule: "R7" },
  ],
  [
    "R11/R13: an approved exception merges in the deep freeze",
    "freeze",
    DEEP,
    () => feature({ reviews: MDM_APPROVALS() }),
    {
      state: "success",
      rule: "R13",
      says: "deep-freeze exception approved by @georgekarrv @AndreyKizimenko @lukeheath",
    },
  ],
  // R12: feature work partly merged when the freeze began.
  [
    "R12: feature work partly merged before the freeze is flagged for revert",
    "freeze",
    FROZEN,
    feature,
    { state: "failure", rule: "R12", says: "#40 (#31) partly merged before the freeze: revert" },
    { merged: [merged(31, "Part of #40", "2026-11-05T18:00:00Z")] },
  ],
  [
    "R12: a part merged after the freeze began is not the partial merge R12 means",
    "freeze",
    FROZEN,
    feature,
    { state: "failure", rule: "R9" },
    { merged: [merged(31, "Part of #40", "2026-11-10T18:00:00Z")] },
  ],
  [
    "R12: a part merged before the previous release is not this release's work",
    "freeze",
    FROZEN,
    feature,
    { state: "failure", rule: "R9" },
    { merged: [merged(31, "Part of #40", "2026-10-20T18:00:00Z")] },
  ],
  [
    "R12: parts merged into another branch do not count",
    "freeze",
    FROZEN,
    feature,
    { state: "failure", rule: "R9" },
    { merged: [merged(31, "Part of #40", "2026-11-05T18:00:00Z", "feature-x")] },
  ],
  [
    "R12/R13: an approved exception lifts the revert flag",
    "freeze",
    FROZEN,
    () => feature({ reviews: MDM_APPROVALS() }),
    { state: "success", rule: "R13" },
    { merged: [merged(31, "Part of #40", "2026-11-05T18:00:00Z")] },
  ],
  // R13: exception approved by the engineering manager, QA lead and release DRI.
  [
    "R13: EM, QA lead and release DRI of the PR's group approve: success",
    "freeze",
    FROZEN,
    () => feature({ reviews: MDM_APPROVALS() }),
    {
      state: "success",
      rule: "R13",
      says: "freeze exception approved by @georgekarrv @AndreyKizimenko @lukeheath",
    },
  ],
  [
    "R13: the group can come from the PR's own label",
    "freeze",
    FROZEN,
    () =>
      pr({
        labels: ["#g-endpoint-ops"],
        reviews: [
          review("sharon-fdm", "APPROVED"),
          review("xpkoala", "APPROVED"),
          review("lukeheath", "APPROVED"),
        ],
      }),
    { state: "success", rule: "R13" },
  ],
  [
    "R13: two of three approvals are not enough",
    "freeze",
    FROZEN,
    () => feature({ reviews: MDM_APPROVALS().slice(0, 2) }),
    { state: "failure", rule: "R9", says: "R13 needs @lukeheath" },
  ],
  [
    "R13: approvals by the other group's EM and QA lead do not count",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [
          review("sharon-fdm", "APPROVED"),
          review("xpkoala", "APPROVED"),
          review("lukeheath", "APPROVED"),
        ],
      }),
    { state: "failure", rule: "R9", says: "needs @georgekarrv @AndreyKizimenko" },
  ],
  [
    "R13: a dismissed approval does not count",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [...MDM_APPROVALS(), review("lukeheath", "DISMISSED", "2026-11-12T11:00:00Z")],
      }),
    { state: "failure", rule: "R9", says: "needs @lukeheath" },
  ],
  [
    "R13: changes requested after an approval withdraw it",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [
          ...MDM_APPROVALS(),
          review("georgekarrv", "CHANGES_REQUESTED", "2026-11-12T11:00:00Z"),
        ],
      }),
    { state: "failure", rule: "R9", says: "needs @georgekarrv" },
  ],
  [
    "R13: a later comment does not withdraw an approval",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [...MDM_APPROVALS(), review("georgekarrv", "COMMENTED", "2026-11-12T11:00:00Z")],
      }),
    { state: "success", rule: "R13" },
  ],
  [
    "R13: approvals are matched to logins regardless of case",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [
          review("GeorgeKarrV", "APPROVED"),
          review("andreykizimenko", "APPROVED"),
          review("LUKEHEATH", "APPROVED"),
        ],
      }),
    { state: "success", rule: "R13" },
  ],
  [
    "R13: without a product group label the exception cannot be resolved, and says so",
    "freeze",
    FROZEN,
    () => pr({ reviews: MDM_APPROVALS() }),
    { state: "failure", rule: "R9", says: "R13 exception impossible: no product group label" },
  ],
  // R8: the PR body references its issue, without auto-closing keywords.
  [
    "R8: a bug fix referencing its issue with 'For #12' passes",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED),
    { state: "success", rule: "R6" },
  ],
  [
    "R8: a bug fix using 'Fixes #12' fails",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED, { body: "Fixes #12" }),
    {
      state: "failure",
      rule: "R8",
      says: 'remove the auto-closing keyword in "Fixes #12"; write "For #12"',
    },
  ],
  [
    "R8: a PR labelled bug that references no issue fails",
    "rc",
    OPEN,
    () => pr({ labels: ["bug"], body: "A fix." }),
    { state: "failure", rule: "R8", says: "references its issue (#N)" },
  ],
  [
    "R8: a bug fix referencing only a pull request fails",
    "rc",
    OPEN,
    () =>
      pr({
        labels: ["bug"],
        body: "After #99",
        linkedIssues: [{ repo: REPO, number: 99, isIssue: false, known: true, labels: [] }],
      }),
    { state: "failure", rule: "R8", says: "not a known issue" },
  ],
  [
    "R8: a keyword inside a code block is not read by GitHub",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED, { body: "For #12\n```\nfixes #12\n```" }),
    { state: "success", rule: "R6" },
  ],
  [
    "R8: a keyword in a leftover template comment is not read by GitHub",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED, { body: "For #12 <!-- Fixes #... -->" }),
    { state: "success", rule: "R6" },
  ],
  // R6/R7: bug fixes go into main.
  [
    "R6: an unreleased bug fix into main passes",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED),
    { state: "success", rule: "R6", says: "fix for unreleased bug #12 into main" },
  ],
  [
    "R6: an unreleased bug fix into another branch fails",
    "rc",
    OPEN,
    () => fixFor(12, UNRELEASED, { baseRef: "feature-x" }),
    { state: "failure", rule: "R6", says: "goes into main, not feature-x" },
  ],
  [
    "R7: a released bug fix into main passes",
    "rc",
    OPEN,
    () => fixFor(12, RELEASED),
    { state: "success", rule: "R7", says: "fix for released bug #12 into main" },
  ],
  [
    "R7: a released bug fix into another branch fails, naming the release tag",
    "rc",
    OPEN,
    () => fixFor(12, RELEASED, { baseRef: "feature-x" }),
    { state: "failure", rule: "R7" },
  ],
  [
    "R7: patch branches are not R6/R7's business",
    "rc",
    OPEN,
    () => fixFor(12, RELEASED, { baseRef: "patch-fleet-v4.61.2" }),
    { state: "success", rule: "R30" },
  ],
  // R14-R16: release-candidate mode.
  [
    "R14: in release-candidate mode main stays open during the RC period",
    "rc",
    RC_PERIOD,
    feature,
    { state: "success", rule: "R14", says: "main is open (release-candidate mode" },
  ],
  [
    "R15: an unreleased bug fix already merged into main is cherry-picked into the RC",
    "rc",
    RC_PERIOD,
    () => fixFor(12, UNRELEASED, { baseRef: RC }),
    { state: "success", rule: "R15", says: `unreleased bug fix #12 cherry-picked into ${RC}` },
    { merged: [merged(90, "For #12", "2026-11-13T20:00:00Z")] },
  ],
  [
    "R15: an unreleased bug fix not yet on main waits",
    "rc",
    RC_PERIOD,
    () => fixFor(12, UNRELEASED, { baseRef: RC }),
    {
      state: "failure",
      rule: "R15",
      says: `merge the fix for #12 into main first, then cherry-pick it into ${RC}`,
    },
  ],
  [
    "R15: a released bug fix does not go into the RC",
    "rc",
    RC_PERIOD,
    () => fixFor(12, RELEASED, { baseRef: RC }),
    { state: "failure", rule: "R15", says: "#12 is a released bug" },
  ],
  [
    "R15: feature work does not go into the RC",
    "rc",
    RC_PERIOD,
    () => feature({ baseRef: RC }),
    { state: "failure", rule: "R15", says: "R16 needs @georgekarrv @AndreyKizimenko @lukeheath" },
  ],
  [
    "R15: docs-only changes do not go into the RC either",
    "rc",
    RC_PERIOD,
    () => pr({ baseRef: RC, files: ["docs/a.md"], labels: ["#g-mdm"] }),
    { state: "failure", rule: "R15" },
  ],
  [
    "R16: the feature merge exception into the RC is approved by all three roles",
    "rc",
    RC_PERIOD,
    () => feature({ baseRef: RC, reviews: MDM_APPROVALS() }),
    { state: "success", rule: "R16", says: "approved by @georgekarrv @AndreyKizimenko @lukeheath" },
  ],
  [
    "R16: two of three approvals are not enough",
    "rc",
    RC_PERIOD,
    () => feature({ baseRef: RC, reviews: MDM_APPROVALS().slice(1) }),
    { state: "failure", rule: "R15", says: "R16 needs @georgekarrv" },
  ],
  [
    "R9: in freeze mode RC-named branches are not gated",
    "freeze",
    FROZEN,
    () => feature({ baseRef: RC }),
    { state: "success", rule: "R9", says: "not gated" },
  ],
];

describe("merge gate verdicts", () => {
  it.each(CASES)("%s", (_name, mode, now, pull, expected, extra) => {
    const config = mode === "freeze" ? freezeConfig : rcConfig;
    const v = verdictOf(config, now, pull(), extra);
    expect({ state: v.state, rule: v.rule }).toEqual({
      state: expected.state,
      rule: expected.rule,
    });
    expect(v.description.startsWith(`${expected.rule}: `)).toBe(true);
    if (expected.says) expect(v.description).toContain(expected.says);
    expect(v.description.length).toBeLessThanOrEqual(140);
  });

  it("R12: names each partly merged PR as an observation to revert", () => {
    const out = decide(freezeConfig, FROZEN, [feature()], {
      merged: [
        merged(31, "Part of #40", "2026-11-05T18:00:00Z"),
        merged(33, "Also #40", "2026-11-06T18:00:00Z"),
      ],
    });
    expect(out.observations.map((o) => [o.target, o.message.slice(0, 24)])).toEqual([
      ["fleetdm/fleet#31", "R12: flag for revert: me"],
      ["fleetdm/fleet#33", "R12: flag for revert: me"],
    ]);
  });

  it("R13: with approvalsOnHeadOnly, an approval given before the latest push does not count", () => {
    const config = {
      ...freezeConfig,
      releaseTrain: {
        ...freezeConfig.releaseTrain,
        mergeGate: { ...freezeConfig.releaseTrain.mergeGate, approvalsOnHeadOnly: true },
      },
    };
    const reviews = [
      ...MDM_APPROVALS().slice(0, 2),
      review("lukeheath", "APPROVED", undefined, OLD_HEAD),
    ];
    expect(verdictOf(config, FROZEN, feature({ reviews })).description).toContain(
      "needs @lukeheath",
    );
    expect(verdictOf(freezeConfig, FROZEN, feature({ reviews })).rule).toBe("R13");
  });

  it("R33: a repository released from main is not gated by the release train", () => {
    const v = verdictOf(freezeConfig, FROZEN, feature(), { repo: "fleetdm/confidential" });
    expect(v).toMatchObject({ state: "success", rule: "R33" });
  });

  it("R13: a role whose login GitHub does not know fails the exception and says which, even when the others approve", () => {
    const pull = feature({ reviews: MDM_APPROVALS() });
    expect(verdictOf(freezeConfig, FROZEN, pull).state).toBe("success");
    const [v] = gateVerdicts(
      state([pull]).missingLogin("AndreyKizimenko").input(),
      freezeConfig,
      FROZEN,
    );
    expect(v!.verdict.state).toBe("failure");
    expect(v!.verdict.reason).toContain("@AndreyKizimenko does not exist on GitHub");
    expect(v!.verdict.reason).toContain("productGroups[].engineeringManager/qaLead");
  });

  it("says which labels the gate reads are missing on GitHub, rather than passing silently", () => {
    const v = verdictOf(freezeConfig, FROZEN, feature(), { labels: ["bug", "#g-mdm"] });
    expect(v.state).toBe("failure");
    expect(v.reason).toContain(
      'labels missing on GitHub in fleetdm/fleet: "~unreleased bug", "~released bug", "~release blocker", "#g-endpoint-ops"',
    );
  });
});

describe("R8: auto-closing keywords", () => {
  const forms = (n: number) => [
    `#${n}`,
    `fleetdm/fleet#${n}`,
    `https://github.com/fleetdm/fleet/issues/${n}`,
  ];
  const cases = CLOSING_KEYWORDS.flatMap((k) =>
    forms(12).flatMap((ref) => [
      `${k} ${ref}`,
      `${k.toUpperCase()} ${ref}`,
      `${k[0]!.toUpperCase()}${k.slice(1)}: ${ref}`,
    ]),
  );

  it.each(cases)("R8: %s is an auto-closing reference", (text) => {
    const found = closingReferences(`Some change.\n\n${text}\n`, REPO);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ repo: REPO, number: 12 });
    const v = verdictOf(rcConfig, OPEN, fixFor(12, UNRELEASED, { body: text }));
    expect(v).toMatchObject({ state: "failure", rule: "R8" });
  });

  it.each([
    "For #12",
    "Related to #12",
    "hotfixes #12", // not the keyword "fixes"
    "fixes nothing in #12", // the keyword must stand right before the reference
    "`fixes #12`",
    "<!-- closes #12 -->",
    "Prefixed #12",
  ])("R8: %s is a reference without a closing keyword", (text) => {
    expect(closingReferences(text, REPO)).toEqual([]);
  });

  it("R8: reads #N, owner/repo#N and issue URLs as references to the right repository", () => {
    const refs = issueReferences(
      "For #12, fleetdm/confidential#7 and https://github.com/fleetdm/fleet/issues/13 (not a&#39;s #x or docs#1)",
      REPO,
    );
    expect(refs.map((r) => `${r.repo}#${r.number}`)).toEqual([
      "fleetdm/fleet#12",
      "fleetdm/confidential#7",
      "fleetdm/fleet#13",
    ]);
  });
});

describe("merge gate plan", () => {
  it("R9: plans a failing status on the head commit of a feature PR when the freeze begins", () => {
    const out = decide(freezeConfig, FREEZE, [feature()]);
    expect(out).toPlan([
      `fleetdm/fleet@a1b2c3d: status bosun/merge-gate=failure "R9: main is frozen for 4.62.0 until Mon 2026-11-16 09:00 PS…"`,
    ]);
    const e = out.effects[0]!;
    expect(e.target).toBe("fleetdm/fleet#100");
    expect(e.reason).toContain("R9: main is frozen since Tue 2026-11-10 09:00 PST");
  });

  it("R9: already as it should be: the stored status says the same, nothing is planned", () => {
    const first = decide(freezeConfig, FROZEN, [feature()]);
    const effect = first.effects[0]!.effect as { state: string; description: string };
    const again = decide(freezeConfig, FROZEN, [
      feature({ gateStatus: status(effect.state, effect.description) }),
    ]);
    expect(again).toPlan([]);
  });

  it("R6: already as it should be for a bug fix, in and out of the freeze", () => {
    const first = decide(freezeConfig, OPEN, [fixFor(12, UNRELEASED)]);
    const e = first.effects[0]!.effect as { state: string; description: string };
    const stored = fixFor(12, UNRELEASED, { gateStatus: status(e.state, e.description) });
    // The freeze does not change a bug fix's verdict, so it costs no status write.
    expect(decide(freezeConfig, FROZEN, [stored])).toPlan([]);
    expect(decide(freezeConfig, OPEN, [stored])).toPlan([]);
  });

  it("keys name the head commit, the wanted state, the deciding rule, and the status replaced", () => {
    const out = decide(freezeConfig, FROZEN, [
      feature({ gateStatus: status("success", "R9: main is open", 41) }),
    ]);
    const key = parseIdempotencyKey(out.effects[0]!.key);
    expect(key).toMatchObject({
      rule: "merge-gate",
      type: "setCommitStatus",
      target: "fleetdm/fleet#100",
    });
    // No description wording: a reworded description is the same intention.
    expect(key.discriminator.startsWith(`${HEAD}|failure|R9|`)).toBe(true);
    expect(key.discriminator.endsWith("|after:41")).toBe(true);
    expect(key.discriminator).toBe(`${HEAD}|failure|R9|after:41`);
  });

  it("a verdict flipping back gets a new key, so it is written again; an unchanged one keeps its key", () => {
    const failing = decide(freezeConfig, FROZEN, [feature()]).effects[0]!;
    const f = failing.effect as { description: string };
    const approved = decide(freezeConfig, FROZEN, [
      feature({ reviews: MDM_APPROVALS(), gateStatus: status("failure", f.description, 1) }),
    ]).effects[0]!;
    expect((approved.effect as { state: string }).state).toBe("success");
    const back = decide(freezeConfig, FROZEN, [
      feature({
        gateStatus: status("success", (approved.effect as { description: string }).description, 2),
      }),
    ]).effects[0]!;
    expect((back.effect as { state: string }).state).toBe("failure");
    expect(back.key).not.toBe(failing.key);
    // The same facts decided twice before the status is stored: one key, applied once.
    expect(decide(freezeConfig, FROZEN, [feature()]).effects[0]!.key).toBe(failing.key);
  });

  it("a new head commit (a push) gets its own status", () => {
    const effect = decide(freezeConfig, FROZEN, [feature()]).effects[0]!.effect as {
      description: string;
    };
    const pushed = decide(freezeConfig, FROZEN, [feature({ headSha: OLD_HEAD })]);
    expect(pushed.effects).toHaveLength(1);
    expect(pushed.effects[0]!.effect).toMatchObject({
      sha: OLD_HEAD,
      description: effect.description,
    });
  });

  it("waits for the first full sync of a repository", () => {
    const snap = new GateState()
      .repository(REPO, { synced: false, ...TRAIN })
      .pull(feature())
      .input();
    const out = mergeGate.decide(snap, freezeConfig, FROZEN);
    expect(out).toPlan([]);
    expect(out.observations[0]!.message).toContain("not synced yet");
  });

  it("uses the configured status context", () => {
    const config = {
      ...freezeConfig,
      releaseTrain: {
        ...freezeConfig.releaseTrain,
        mergeGate: { ...freezeConfig.releaseTrain.mergeGate, context: "ci/release-gate" },
      },
    };
    expect(decide(config, FROZEN, [feature()]).effects[0]!.effect).toMatchObject({
      context: "ci/release-gate",
    });
  });
});

describe("building blocks", () => {
  it("R10: docs globs: ** spans folders, a bare pattern matches at any depth", () => {
    const docs = pathMatcher(["docs/**", "*.md"]);
    expect(docs("docs/a/b/c.png")).toBe(true);
    expect(docs("README.md")).toBe(true);
    expect(docs("server/notes.md")).toBe(true);
    expect(docs("server/main.go")).toBe(false);
    expect(docs("documentation/x.go")).toBe(false);
  });

  it("R13: approvals: each reviewer's latest decisive review counts", () => {
    const ok = approvers(
      [
        review("a", "APPROVED", "2026-11-01T00:00:00Z"),
        review("a", "COMMENTED", "2026-11-02T00:00:00Z"),
        review("b", "APPROVED", "2026-11-01T00:00:00Z"),
        review("b", "DISMISSED", "2026-11-02T00:00:00Z"),
        review("c", "PENDING"),
      ],
      HEAD,
      false,
    );
    expect([...ok]).toEqual(["a"]);
  });
});

describe("merge gate state, built by hand", () => {
  it("R9: already as it should be: the status says it, nothing to write", () => {
    // Feature work, a docs-only change and a bug fix during the freeze, each status current.
    const pulls = [
      feature(),
      pr({ number: 101, files: ["docs/a.md"] }),
      fixFor(12, UNRELEASED, { number: 102 }),
    ];
    const first = decide(freezeConfig, FROZEN, pulls);
    expect(first.effects.map((e) => (e.effect as { state: string }).state)).toEqual([
      "failure",
      "success",
      "success",
    ]);
    const stored = pulls.map((p, i) => {
      const e = first.effects[i]!.effect as { state: string; description: string };
      return { ...p, gateStatus: status(e.state, e.description, 50 + i) };
    });
    expect(decide(freezeConfig, FROZEN, stored)).toPlan([]);
  });

  it("R33: already as it should be in a repository released from main", () => {
    const pull = feature();
    const first = decide(freezeConfig, FROZEN, [pull], { repo: "fleetdm/confidential" });
    const e = first.effects[0]!.effect as { state: string; description: string };
    expect(e.state).toBe("success");
    const stored = feature({ gateStatus: status(e.state, e.description) });
    expect(decide(freezeConfig, FROZEN, [stored], { repo: "fleetdm/confidential" })).toPlan([]);
  });

  it("refuses a second pull request with the same number in a repository", () => {
    expect(() => new GateState().pull(feature()).pull(pr())).toThrow(
      "fleetdm/fleet#100 already exists",
    );
    expect(() =>
      new GateState().pull(feature()).merged(merged(100, "Part of #40", "2026-11-05T18:00:00Z")),
    ).toThrow("fleetdm/fleet#100 already exists");
    // The same number in another repository is another pull request.
    const two = new GateState()
      .repository(REPO)
      .repository("fleetdm/confidential")
      .pull(feature())
      .pull(feature(), "fleetdm/confidential")
      .input();
    expect(two.repositories.map((r) => r.releaseTrain!.pulls.length)).toEqual([1, 1]);
  });
});

describe("gate status identity", () => {
  it("build then parse gives the parts back", () => {
    const parts = { sha: HEAD, state: "failure" as const, rule: "R11", replaces: "41" };
    expect(gateStatusKey.parse(gateStatusKey.build(parts))).toEqual(parts);
    const first = {
      sha: HEAD.slice(0, 7),
      state: "success" as const,
      rule: "R9",
      replaces: "none",
    };
    expect(gateStatusKey.parse(gateStatusKey.build(first))).toEqual(first);
    // A status GitHub returned without an id is replaced by its time.
    const byTime = { ...parts, replaces: "2026-11-10T17:00:00Z" };
    expect(gateStatusKey.parse(gateStatusKey.build(byTime))).toEqual(byTime);
  });

  it("the key a decision plans parses back to the head, the state, the rule and the status replaced", () => {
    const out = decide(freezeConfig, FROZEN, [
      feature({ gateStatus: status("success", "R9: main is open", 41) }),
    ]);
    const { discriminator } = parseIdempotencyKey(out.effects[0]!.key);
    expect(gateStatusKey.parse(discriminator)).toEqual({
      sha: HEAD,
      state: "failure",
      rule: "R9",
      replaces: "41",
    });
    const fresh = decide(freezeConfig, FROZEN, [fixFor(12, UNRELEASED)]);
    expect(gateStatusKey.parse(parseIdempotencyKey(fresh.effects[0]!.key).discriminator)).toEqual({
      sha: HEAD,
      state: "success",
      rule: "R6",
      replaces: "none",
    });
  });

  it.each([
    ["an empty discriminator", ""],
    ["the old form with the description", `${HEAD}|failure|R9: main is frozen|after:41`],
    ["a sha that is not hex", `${"z".repeat(40)}|failure|R9|after:41`],
    ["a sha too short", "a1b2c3|failure|R9|after:41"],
    ["a state GitHub has but the gate never sets", `${HEAD}|pending|R9|after:41`],
    ["a rule that is not a handbook id", `${HEAD}|failure|merge-gate|after:41`],
    ["no status replaced", `${HEAD}|failure|R9`],
    ["an empty replaced status", `${HEAD}|failure|R9|after:`],
    ["a part too many", `${HEAD}|failure|R9|after:41|x`],
  ])("parse refuses %s", (_name, discriminator) => {
    expect(gateStatusKey.parse(discriminator)).toBeUndefined();
  });
});
