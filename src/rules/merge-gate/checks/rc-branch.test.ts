// R14-R16: release-candidate mode: main stays open, the RC takes unreleased bug fixes only.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import {
  type Case,
  feature,
  fixFor,
  freezeMode,
  MDM_APPROVALS,
  pr,
  RC,
  RC_PERIOD,
  RELEASED,
  review,
  runCheck,
  verdictCases,
} from "../builder.js";
import { exceptions } from "./exceptions.js";
import { rcBranch } from "./rc-branch.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

/** The MDM engineering manager's and QA lead's approvals, without the release DRI's. */
const EM_QA = () => [review("georgekarrv", "APPROVED"), review("AndreyKizimenko", "APPROVED")];

const CASES: Case[] = [
  // R14-R16: release-candidate mode.
  [
    "R14: in release-candidate mode main stays open during the RC period",
    "rc",
    RC_PERIOD,
    feature,
    { state: "success", rule: "R14", says: "main is open (release-candidate mode" },
  ],
  [
    "R15: a released bug fix does not go into the RC",
    "rc",
    RC_PERIOD,
    () => fixFor(12, RELEASED, { baseRef: RC }),
    { state: "failure", rule: "R15", says: "#12 is a released bug" },
  ],
  [
    "R15: a released bug fix into the RC merges with EM and QA approval, without the release DRI's",
    "rc",
    RC_PERIOD,
    () => fixFor(12, RELEASED, { baseRef: RC, reviews: EM_QA() }),
    {
      state: "success",
      rule: "R15",
      says: "released bug fix #12 into rc-minor-fleet-v4.62.0 approved by @georgekarrv @AndreyKizimenko (EM and QA)",
    },
  ],
  [
    "R15: a released bug fix into the RC names the EM and QA approvals it still needs, not the DRI's",
    "rc",
    RC_PERIOD,
    () => fixFor(12, RELEASED, { baseRef: RC, reviews: [review("georgekarrv", "APPROVED")] }),
    {
      state: "failure",
      rule: "R15",
      says: "only with EM and QA approval; R15 needs @AndreyKizimenko",
    },
  ],
  [
    "R15: the other group's EM and QA lead do not approve a released bug fix of MDM",
    "rc",
    RC_PERIOD,
    () =>
      fixFor(12, RELEASED, {
        baseRef: RC,
        reviews: [review("sharon-fdm", "APPROVED"), review("xpkoala", "APPROVED")],
      }),
    { state: "failure", rule: "R15", says: "R15 needs @georgekarrv @AndreyKizimenko" },
  ],
  [
    "R15: a bug labelled both released and unreleased is released: into the RC with EM and QA approval",
    "rc",
    RC_PERIOD,
    () => fixFor(12, ["bug", "~released bug", "~unreleased bug", "#g-mdm"], { baseRef: RC }),
    { state: "failure", rule: "R15", says: "#12 is a released bug" },
  ],
  [
    "R16: feature work into the RC with EM and QA approval still needs the release DRI",
    "rc",
    RC_PERIOD,
    () => feature({ baseRef: RC, reviews: EM_QA() }),
    { state: "failure", rule: "R15", says: "R16 needs @lukeheath" },
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
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });
});

describe("rc-branch check, alone", () => {
  it("R15: decides: feature work into the RC is refused, naming the R16 approvals", () => {
    const v = runCheck(rcBranch, rcConfig, RC_PERIOD, feature({ baseRef: RC }));
    expect(v).toMatchObject({ state: "failure", rule: "R15" });
    expect(v!.description).toContain("R16 needs @georgekarrv @AndreyKizimenko @lukeheath");
  });

  it("R15: the exceptions check lets a released bug fix in with EM and QA approval alone", () => {
    const pull = fixFor(12, RELEASED, { baseRef: RC, reviews: EM_QA() });
    const v = runCheck(exceptions, rcConfig, RC_PERIOD, pull);
    expect(v).toMatchObject({ state: "success", rule: "R15" });
    expect(v!.reason).toContain("the engineering manager and QA lead of MDM approved");
    expect(v!.reason).not.toContain("release DRI");
  });

  it("R15: passes on: feature work into main in release-candidate mode", () => {
    expect(runCheck(rcBranch, rcConfig, RC_PERIOD, feature())).toBeUndefined();
  });
});
