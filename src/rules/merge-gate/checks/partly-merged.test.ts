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
  freezeMode,
  MDM_APPROVALS,
  merged,
  verdictOf,
} from "../builder.js";
import { partlyMerged } from "./partly-merged.js";

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
