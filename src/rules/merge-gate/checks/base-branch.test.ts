// R6/R7: bug fixes go into main; patch branches are not theirs.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import {
  type Case,
  fixFor,
  freezeMode,
  OPEN,
  RELEASED,
  runCheck,
  UNRELEASED,
  verdictOf,
} from "../builder.js";
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
