// R11: the deep freeze in the final 24 hours before the release.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import {
  BLOCKER,
  type Case,
  DEEP,
  FROZEN,
  feature,
  fixFor,
  freezeMode,
  MDM_APPROVALS,
  pr,
  pt,
  RELEASED,
  runCheck,
  UNRELEASED,
  verdictCases,
  verdictOf,
} from "../builder.js";
import { deepFreeze } from "./deep-freeze.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

const CASES: Case[] = [
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
    "R11: a fix for a bug labelled ~release-blocker (the older handbook's spelling, an alias) merges in the deep freeze",
    "freeze",
    DEEP,
    () => fixFor(12, ["bug", "~released bug", "~release-blocker", "#g-mdm"]),
    { state: "success", rule: "R7" },
  ],
  [
    "R11: a fix for a bug labelled ~unreleased-bug (an alias) merges in the deep freeze",
    "freeze",
    DEEP,
    () => fixFor(12, ["bug", "~unreleased-bug", "#g-mdm"]),
    { state: "success", rule: "R6", says: "fix for unreleased bug #12" },
  ],
  [
    "R11: a bug labelled both ~released bug and ~unreleased bug is a released bug: it waits",
    "freeze",
    DEEP,
    () => fixFor(12, ["bug", "~released bug", "~unreleased bug", "#g-mdm"]),
    { state: "failure", rule: "R11" },
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
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });
});

describe("label spellings", () => {
  it("R11: the reason names the spelling the issue carries", () => {
    const v = verdictOf(freezeConfig, DEEP, fixFor(12, ["bug", "~unreleased-bug", "#g-mdm"]));
    expect(v.reason).toContain("[PR fleetdm/fleet#100: #12 (~unreleased-bug)]");
  });

  it("R11: a bug with both the released and the unreleased label is released, and the reason says why", () => {
    const v = verdictOf(
      freezeConfig,
      DEEP,
      fixFor(12, ["bug", "~released bug", "~unreleased bug", "#g-mdm"]),
    );
    expect(v.reason).toContain(
      "#12 (~released bug), also #12 (~unreleased bug): a bug in a released version is a released bug",
    );
  });

  it("R11: without the aliases configured, the older spelling is not a blocker", () => {
    const config = {
      ...freezeConfig,
      labels: {
        ...freezeConfig.labels,
        aliases: { ...freezeConfig.labels.aliases, releaseBlocker: [] },
      },
    };
    const pull = fixFor(12, ["bug", "~released bug", "~release-blocker", "#g-mdm"]);
    expect(verdictOf(config, DEEP, pull).rule).toBe("R11");
  });
});

describe("deep-freeze check, alone", () => {
  it("R11: decides: a released bug fix without ~release blocker waits in the deep freeze", () => {
    const v = runCheck(deepFreeze, freezeConfig, DEEP, fixFor(12, RELEASED));
    expect(v).toMatchObject({ state: "failure", rule: "R11" });
    expect(v!.description).toContain("only ~release blocker or ~unreleased bug fixes");
  });

  it("R11: passes on: the same fix in the ordinary freeze is not the deep freeze's", () => {
    expect(runCheck(deepFreeze, freezeConfig, FROZEN, fixFor(12, RELEASED))).toBeUndefined();
  });
});
