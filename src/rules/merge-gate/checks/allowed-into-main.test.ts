// R6/R7, R9-R11, R14: what merges into main without an exception.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import {
  BLOCKER,
  DEEP,
  FROZEN,
  feature,
  fixFor,
  freezeMode,
  OPEN,
  pr,
  RELEASED,
  runCheck,
} from "../builder.js";
import { allowedIntoMain } from "./allowed-into-main.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

describe("allowed-into-main check, alone", () => {
  it("R9: decides: feature work merges into main while it is open", () => {
    const v = runCheck(allowedIntoMain, freezeConfig, OPEN, feature());
    expect(v).toMatchObject({ state: "success", rule: "R9" });
  });

  it("R10: decides: a docs-only change merges into frozen main", () => {
    const v = runCheck(allowedIntoMain, freezeConfig, FROZEN, pr({ files: ["docs/a.md"] }));
    expect(v).toMatchObject({ state: "success", rule: "R10" });
  });

  it("R11: decides: a release-blocker fix merges in the deep freeze", () => {
    const v = runCheck(allowedIntoMain, freezeConfig, DEEP, fixFor(12, BLOCKER));
    expect(v).toMatchObject({ state: "success", rule: "R7" });
  });

  it("R14: decides: in release-candidate mode main stays open", () => {
    const v = runCheck(allowedIntoMain, rcConfig, FROZEN, feature());
    expect(v).toMatchObject({ state: "success", rule: "R14" });
  });

  it("R9: passes on: feature work into frozen main needs an exception", () => {
    expect(runCheck(allowedIntoMain, freezeConfig, FROZEN, feature())).toBeUndefined();
  });

  it("R11: passes on: a released bug fix without ~release blocker in the deep freeze", () => {
    expect(runCheck(allowedIntoMain, freezeConfig, DEEP, fixFor(12, RELEASED))).toBeUndefined();
  });
});
