// R9/R30: only main and, in release-candidate mode, RC branches are gated.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import { type Case, FROZEN, feature, freezeMode, RC, runCheck, verdictCases } from "../builder.js";
import { ungatedBranch } from "./ungated-branch.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

const CASES: Case[] = [
  // R14-R16: release-candidate mode.
  [
    "R9: in freeze mode RC-named branches are not gated",
    "freeze",
    FROZEN,
    () => feature({ baseRef: RC }),
    { state: "success", rule: "R9", says: "not gated" },
  ],
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });
});

describe("ungated-branch check, alone", () => {
  it("R9: decides: feature work into another branch than main is not gated", () => {
    const v = runCheck(ungatedBranch, freezeConfig, FROZEN, feature({ baseRef: "feature-x" }));
    expect(v).toMatchObject({ state: "success", rule: "R9" });
  });

  it("R30: decides: a patch branch is not gated either, citing R30", () => {
    const pull = feature({ baseRef: "patch-fleet-v4.61.2" });
    expect(runCheck(ungatedBranch, freezeConfig, FROZEN, pull)).toMatchObject({ rule: "R30" });
  });

  it("R9: passes on: feature work into main", () => {
    expect(runCheck(ungatedBranch, freezeConfig, FROZEN, feature())).toBeUndefined();
  });

  it("R9: passes on: in release-candidate mode the RC branch is gated", () => {
    expect(runCheck(ungatedBranch, rcConfig, FROZEN, feature({ baseRef: RC }))).toBeUndefined();
  });
});
