// R15: unreleased bug fixes reach the RC as cherry-picks of a fix already merged into main.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import {
  type Case,
  feature,
  fixFor,
  freezeMode,
  merged,
  RC,
  RC_PERIOD,
  runCheck,
  UNRELEASED,
  verdictCases,
} from "../builder.js";
import { rcCherryPick } from "./rc-cherry-pick.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

const CASES: Case[] = [
  // R14-R16: release-candidate mode.
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
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });
});

describe("rc-cherry-pick check, alone", () => {
  it("R15: decides: an unreleased bug fix into the RC, already on main, merges", () => {
    const pull = fixFor(12, UNRELEASED, { baseRef: RC });
    const v = runCheck(rcCherryPick, rcConfig, RC_PERIOD, pull, {
      merged: [merged(90, "For #12", "2026-11-13T20:00:00Z")],
    });
    expect(v).toMatchObject({ state: "success", rule: "R15" });
    expect(v!.reason).toContain("(on main as #90)");
  });

  it("R15: passes on: feature work into the RC is for the exception or the refusal", () => {
    expect(runCheck(rcCherryPick, rcConfig, RC_PERIOD, feature({ baseRef: RC }))).toBeUndefined();
  });
});
