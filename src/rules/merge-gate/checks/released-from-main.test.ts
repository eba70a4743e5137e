// R33: repositories released straight from main skip the release train.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import "../../../../test/support/matchers.js";
import {
  decide,
  FROZEN,
  feature,
  fixFor,
  freezeMode,
  runCheck,
  status,
  UNRELEASED,
  verdictOf,
} from "../builder.js";
import { releasedFromMain } from "./released-from-main.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

describe("merge gate verdicts", () => {
  it("R33: a repository released from main is not gated by the release train", () => {
    const v = verdictOf(freezeConfig, FROZEN, feature(), { repo: "fleetdm/confidential" });
    expect(v).toMatchObject({ state: "success", rule: "R33" });
  });
});

describe("merge gate state, built by hand", () => {
  it("R33: already as it should be in a repository released from main", () => {
    const pull = feature();
    const first = decide(freezeConfig, FROZEN, [pull], { repo: "fleetdm/confidential" });
    const e = first.effects[0]!.effect as { state: string; description: string };
    expect(e.state).toBe("success");
    const stored = feature({ gateStatus: status(e.state, e.description) });
    expect(decide(freezeConfig, FROZEN, [stored], { repo: "fleetdm/confidential" })).toPlan([]);
  });
});

describe("released-from-main check, alone", () => {
  it("R33: decides: feature work in a repository released from main passes, frozen or not", () => {
    const v = runCheck(releasedFromMain, freezeConfig, FROZEN, feature(), {
      releasedFromMain: true,
    });
    expect(v).toMatchObject({ state: "success", rule: "R33" });
  });

  it("R33: passes on: a repository on the release train", () => {
    expect(
      runCheck(releasedFromMain, freezeConfig, FROZEN, fixFor(12, UNRELEASED)),
    ).toBeUndefined();
  });
});
