// R6/R7: bug fixes go into main; patch branches are not theirs.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import {
  type Case,
  commits,
  FROZEN,
  fixFor,
  freezeMode,
  GateState,
  HEAD,
  MAIN_AFTER_TAG,
  OPEN,
  RELEASED,
  REPO,
  releaseCompare,
  runCheck,
  TAG_SHA,
  TRAIN,
  UNRELEASED,
  verdictCases,
  verdictOf,
} from "../builder.js";
import { mergeGate } from "../index.js";
import { baseBranch } from "./base-branch.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

const CASES: Case[] = [
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
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });
});

describe("base-branch check, alone", () => {
  it("R6: decides: an unreleased bug fix into another branch than main fails", () => {
    const v = runCheck(
      baseBranch,
      rcConfig,
      OPEN,
      fixFor(12, UNRELEASED, { baseRef: "feature-x" }),
    );
    expect(v).toMatchObject({ state: "failure", rule: "R6" });
    expect(v!.description).toContain("goes into main, not feature-x");
  });

  it("R6: passes on: the same fix into main", () => {
    expect(runCheck(baseBranch, rcConfig, OPEN, fixFor(12, UNRELEASED))).toBeUndefined();
  });
});

describe("R7: a released-bug fix branches off the latest release tag", () => {
  /** Main's commit the RC branch was cut from, before the tag (RC mode: the tag is on the RC). */
  const CUT = "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0";
  const RC_COMMIT = "dddddddddddddddddddddddddddddddddddddddd";
  const OLDER_TAG = "0ddba110000000000000000000000000000000ff";

  it("R7: branched off main after the tag (the head contains the tag, and main's later work) fails, naming where", () => {
    const pull = fixFor(12, RELEASED, {
      commits: commits(MAIN_AFTER_TAG, [HEAD, "For #12: count hosts once"]),
      releaseCompare: releaseCompare({ commits: [MAIN_AFTER_TAG, HEAD] }),
    });
    const v = verdictOf(freezeConfig, OPEN, pull);
    expect(v).toMatchObject({ state: "failure", rule: "R7" });
    expect(v.description).toBe(
      "R7: branched off main at 5e6f7a8, after fleet-v4.61.1; rebase onto fleet-v4.61.1",
    );
    expect(v.reason).toContain(
      "the head a1b2c3d contains fleet-v4.61.1 but also 1 commit of main after it",
    );
    expect(v.reason).toContain("git rebase --onto fleet-v4.61.1 5e6f7a8");
  });

  it("R7: branched off main after the RC cut (the tag on the RC branch) fails: the tag does not contain it", () => {
    const pull = fixFor(12, RELEASED, {
      commits: commits(MAIN_AFTER_TAG, [HEAD, "For #12"]),
      releaseCompare: releaseCompare({
        status: "diverged",
        behindBy: 3,
        mergeBaseSha: CUT,
        commits: ["eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", MAIN_AFTER_TAG, HEAD],
      }),
    });
    const v = verdictOf(rcConfig, OPEN, pull);
    expect(v.description).toBe(
      "R7: branched off main at 5e6f7a8, which fleet-v4.61.1 does not contain; rebase onto fleet-v4.61.1",
    );
    expect(v.reason).toContain("carries 2 commits of main that fleet-v4.61.1 does not contain");
  });

  it("R7: merging main into the fix later brings main's work along: fails, naming main's commit", () => {
    const MERGE = "9999999999999999999999999999999999999999";
    const pull = fixFor(12, RELEASED, {
      commits: {
        list: [
          {
            sha: "1111111111111111111111111111111111111111",
            message: "For #12",
            parents: [TAG_SHA],
          },
          {
            sha: MERGE,
            message: "Merge branch 'main'",
            parents: ["1111111111111111111111111111111111111111", MAIN_AFTER_TAG],
          },
        ],
        complete: true,
      },
      headSha: MERGE,
      releaseCompare: releaseCompare({
        commits: [MAIN_AFTER_TAG, "1111111111111111111111111111111111111111", MERGE],
      }),
    });
    const v = verdictOf(freezeConfig, OPEN, pull);
    expect(v.description).toBe(
      "R7: merged main at 5e6f7a8, after fleet-v4.61.1; rebase onto fleet-v4.61.1",
    );
  });

  it("R7: more commits after the tag than the fix has of its own settles it without the list", () => {
    const pull = fixFor(12, RELEASED, {
      commits: commits(MAIN_AFTER_TAG, [HEAD, "For #12"]),
      releaseCompare: releaseCompare({ aheadBy: 140, commits: [] }),
    });
    const v = verdictOf(freezeConfig, FROZEN, pull);
    expect(v.description).toBe(
      "R7: branched off main at 5e6f7a8, after fleet-v4.61.1; rebase onto fleet-v4.61.1",
    );
    expect(v.reason).toContain("at least 139 commits of main after it");
  });

  it("R7: a head sharing no history with the tag fails", () => {
    const pull = fixFor(12, RELEASED, {
      releaseCompare: releaseCompare({
        status: "unrelated",
        tagSha: null,
        mergeBaseSha: null,
        commits: [],
      }),
    });
    expect(verdictOf(rcConfig, OPEN, pull).description).toBe(
      "R7: shares no history with fleet-v4.61.1; rebase onto fleet-v4.61.1",
    );
  });

  it("R7: branched off the tag passes, and the reason says the base was checked", () => {
    const v = verdictOf(rcConfig, OPEN, fixFor(12, RELEASED));
    expect(v).toMatchObject({ state: "success", rule: "R7" });
    expect(v.reason).toContain(
      "branched off fleet-v4.61.1: the head carries no commit of main that fleet-v4.61.1 does not contain",
    );
  });

  it("R7: branched off the tag on the RC branch passes, though the fix's commits include the RC's", () => {
    const pull = fixFor(12, RELEASED, {
      // pulls/{n}/commits lists what main lacks: the RC's own commit too.
      commits: commits(CUT, [RC_COMMIT, "Cherry-pick #90"], [HEAD, "For #12"]),
      releaseCompare: releaseCompare({ commits: [HEAD] }),
    });
    expect(verdictOf(rcConfig, OPEN, pull)).toMatchObject({ state: "success", rule: "R7" });
  });

  it("R7: branched off a commit the tag contains (an older release) passes: no later feature work comes along", () => {
    const pull = fixFor(12, RELEASED, {
      commits: commits(OLDER_TAG, [HEAD, "For #12"]),
      releaseCompare: releaseCompare({
        status: "diverged",
        behindBy: 2,
        mergeBaseSha: OLDER_TAG,
        commits: [HEAD],
      }),
    });
    expect(verdictOf(freezeConfig, OPEN, pull)).toMatchObject({ state: "success", rule: "R7" });
  });

  it("R7: until the head is compared with the latest tag, the gate waits and does not claim the check ran", () => {
    for (const releaseCompareAt of [
      null,
      releaseCompare({ tag: "fleet-v4.61.0", commits: [HEAD] }),
    ]) {
      const v = verdictOf(
        rcConfig,
        OPEN,
        fixFor(12, RELEASED, { releaseCompare: releaseCompareAt }),
      );
      expect(v).toMatchObject({ state: "failure", rule: "R7" });
      expect(v.description).toBe(
        "R7: waiting to check where this released-bug fix #12 branched off: the head a1b2c3d is not compared with fleet-v4.61.1 yet",
      );
      expect(v.reason).not.toContain("branched off the latest release tag (");
      expect(v.reason).not.toContain("branched off fleet-v4.61.1");
    }
    const unread = verdictOf(rcConfig, OPEN, fixFor(12, RELEASED, { commits: null }));
    // R8 asks for the commits first; both wait for the same sync.
    expect(unread).toMatchObject({ state: "failure", rule: "R8" });
  });

  it("R7: without a release tag here to compare with, the fix passes on, and nothing claims its base was checked", () => {
    const OTHER = "fleetdm/osquery-extension";
    // A repository that tags no release: its versions come from fleetdm/fleet's.
    const input = new GateState()
      .repository(REPO, TRAIN)
      .repository(OTHER, { milestones: [] })
      .pull(fixFor(12, RELEASED, { releaseCompare: null }), OTHER)
      .input();
    const out = mergeGate.decide(input, rcConfig, OPEN);
    expect(
      out.effects.map((e) => [
        e.effect.type === "setCommitStatus" && e.effect.state,
        e.reason.slice(0, 3),
      ]),
    ).toEqual([["success", "R7:"]]);
    expect(out.effects[0]!.reason).toContain(
      `its base was not checked: ${OTHER} has no tag fleet-v4.61.1 to compare with`,
    );
    expect(out.observations.map((o) => [o.target, o.message])).toContainEqual([
      `${OTHER}#100`,
      `R7: the base of this released-bug fix was not checked: ${OTHER} has no tag fleet-v4.61.1 to compare with`,
    ]);
    // Nothing tagged anywhere: the same, saying so.
    const untagged = mergeGate.decide(
      new GateState()
        .repository(REPO, { milestones: TRAIN.milestones })
        .pull(fixFor(12, RELEASED, { releaseCompare: null }))
        .input(),
      rcConfig,
      OPEN,
    );
    expect(untagged.effects[0]!.reason).toContain(
      'its base was not checked: no release is tagged yet (releaseTrain.tag "fleet-v{version}")',
    );
  });

  it("R7: unreleased bug fixes branch off main: their base is not compared with the tag", () => {
    const pull = fixFor(12, UNRELEASED, {
      commits: commits(MAIN_AFTER_TAG, [HEAD, "For #12"]),
      releaseCompare: null,
    });
    expect(verdictOf(rcConfig, OPEN, pull)).toMatchObject({ state: "success", rule: "R6" });
  });
});
