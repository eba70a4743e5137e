// R12: feature work partly merged when the freeze began is flagged for revert.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import "../../../../test/support/matchers.js";
import {
  type Case,
  checkContext,
  decide,
  FROZEN,
  feature,
  fixFor,
  freezeMode,
  MDM_APPROVALS,
  merged,
  OPEN,
  pt,
  RC_PERIOD,
  UNRELEASED,
  verdictCases,
  verdictOf,
} from "../builder.js";
import { partlyMerged, partlyMergedAtRcCut } from "./partly-merged.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

const CASES: Case[] = [
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
  // R12 in release-candidate mode: partly merged when the RC was cut (Fri 2026-11-13 08:00).
  [
    "R12: feature work partly merged when the RC was cut is flagged for revert on the RC",
    "rc",
    RC_PERIOD,
    feature,
    {
      state: "success",
      rule: "R12",
      says: "#40 (#31) partly merged when the RC was cut Fri 2026-11-13 08:00 PST: revert it on rc-minor-fleet-v4.62.0",
    },
    { merged: [merged(31, "Part of #40", "2026-11-05T18:00:00Z")] },
  ],
  [
    "R12: one minute after the RC cut, a part merged a minute before it is in the RC",
    "rc",
    pt("2026-11-13T08:01"),
    feature,
    { state: "success", rule: "R12" },
    { merged: [merged(31, "Part of #40", "2026-11-13T15:59:00Z")] },
  ],
  [
    "R12: a part merged after the RC cut is not in the RC",
    "rc",
    RC_PERIOD,
    feature,
    { state: "success", rule: "R14" },
    { merged: [merged(31, "Part of #40", "2026-11-13T16:00:00Z")] },
  ],
  [
    "R12: a part merged before the previous RC cut went into the previous RC, not this one",
    "rc",
    RC_PERIOD,
    feature,
    { state: "success", rule: "R14" },
    { merged: [merged(31, "Part of #40", "2026-10-23T14:00:00Z")] },
  ],
  [
    "R12: before the RC cut nothing is flagged: main is open",
    "rc",
    OPEN,
    feature,
    { state: "success", rule: "R14" },
    { merged: [merged(31, "Part of #40", "2026-11-05T18:00:00Z")] },
  ],
  [
    "R12: a bug fix is not feature work, whatever else merged for its issue",
    "rc",
    RC_PERIOD,
    () => fixFor(12, UNRELEASED),
    { state: "success", rule: "R6" },
    { merged: [merged(31, "For #12", "2026-11-05T18:00:00Z")] },
  ],
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });

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
});

describe("R12 in release-candidate mode", () => {
  it("R12: names each part merged before the RC cut as an observation to revert on the RC", () => {
    const out = decide(rcConfig, RC_PERIOD, [feature()], {
      merged: [merged(31, "Part of #40", "2026-11-05T18:00:00Z")],
    });
    expect(out.observations.map((o) => [o.target, o.message])).toEqual([
      [
        "fleetdm/fleet#31",
        "R12: flag for revert on rc-minor-fleet-v4.62.0: merged 2026-11-05T18:00:00Z as part of #40, whose work was still open (PR #100) when the RC rc-minor-fleet-v4.62.0 was cut (Fri 2026-11-13 08:00 PST)",
      ],
    ]);
  });

  it("R12: the reason cites R12 and the RC cut instant, and why the PR itself may merge into main", () => {
    const v = verdictOf(rcConfig, RC_PERIOD, feature(), {
      merged: [merged(31, "Part of #40", "2026-11-05T18:00:00Z")],
    });
    expect(v.reason).toMatch(
      /^R12: the RC rc-minor-fleet-v4\.62\.0 for 4\.62\.0 was cut from main at Fri 2026-11-13 08:00 PST/,
    );
    expect(v.reason).toContain("must be reverted on rc-minor-fleet-v4.62.0 (R12)");
    expect(v.reason).toContain("main stays open (R14)");
  });

  it("R12: decides alone only in the RC period, for feature work into main", () => {
    const pull = feature();
    const parts = { merged: [merged(31, "Part of #40", "2026-11-05T18:00:00Z")] };
    const rc = checkContext(rcConfig, RC_PERIOD, pull, parts);
    expect(partlyMergedAtRcCut.check(pull, rc)).toMatchObject({ state: "success", rule: "R12" });
    expect(rc.notes.map((n) => n.target)).toEqual(["fleetdm/fleet#31"]);
    expect(
      partlyMergedAtRcCut.check(pull, checkContext(rcConfig, OPEN, pull, parts)),
    ).toBeUndefined();
    expect(
      partlyMergedAtRcCut.check(pull, checkContext(freezeConfig, FROZEN, pull, parts)),
    ).toBeUndefined();
  });
});

describe("partly-merged check, alone", () => {
  it("R12: decides: a part merged before the freeze fails the rest and is flagged for revert", () => {
    const pull = feature();
    const ctx = checkContext(freezeConfig, FROZEN, pull, {
      merged: [merged(31, "Part of #40", "2026-11-05T18:00:00Z")],
    });
    expect(partlyMerged.check(pull, ctx)).toMatchObject({ state: "failure", rule: "R12" });
    expect(ctx.notes.map((n) => n.target)).toEqual(["fleetdm/fleet#31"]);
  });

  it("R12: passes on: nothing of the work merged before the freeze", () => {
    const pull = feature();
    const ctx = checkContext(freezeConfig, FROZEN, pull);
    expect(partlyMerged.check(pull, ctx)).toBeUndefined();
    expect(ctx.notes).toEqual([]);
  });
});
