// R13/R16: the exception approved by the engineering manager, QA lead and release DRI.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import { approvers } from "../approvals.js";
import {
  type Case,
  FROZEN,
  feature,
  freezeMode,
  HEAD,
  MDM_APPROVALS,
  OLD_HEAD,
  pr,
  RC,
  RC_PERIOD,
  review,
  runCheck,
  state,
  verdictCases,
  verdictOf,
} from "../builder.js";
import { gateVerdicts } from "../index.js";
import { exceptions } from "./exceptions.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

const CASES: Case[] = [
  // R13: exception approved by the engineering manager, QA lead and release DRI.
  [
    "R13: EM, QA lead and release DRI of the PR's group approve: success",
    "freeze",
    FROZEN,
    () => feature({ reviews: MDM_APPROVALS() }),
    {
      state: "success",
      rule: "R13",
      says: "freeze exception approved by @georgekarrv @AndreyKizimenko @lukeheath",
    },
  ],
  [
    "R13: the group can come from the PR's own label",
    "freeze",
    FROZEN,
    () =>
      pr({
        labels: ["#g-endpoint-ops"],
        reviews: [
          review("sharon-fdm", "APPROVED"),
          review("xpkoala", "APPROVED"),
          review("lukeheath", "APPROVED"),
        ],
      }),
    { state: "success", rule: "R13" },
  ],
  [
    "R13: two of three approvals are not enough",
    "freeze",
    FROZEN,
    () => feature({ reviews: MDM_APPROVALS().slice(0, 2) }),
    { state: "failure", rule: "R9", says: "R13 needs @lukeheath" },
  ],
  [
    "R13: approvals by the other group's EM and QA lead do not count",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [
          review("sharon-fdm", "APPROVED"),
          review("xpkoala", "APPROVED"),
          review("lukeheath", "APPROVED"),
        ],
      }),
    { state: "failure", rule: "R9", says: "needs @georgekarrv @AndreyKizimenko" },
  ],
  [
    "R13: a dismissed approval does not count",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [...MDM_APPROVALS(), review("lukeheath", "DISMISSED", "2026-11-12T11:00:00Z")],
      }),
    { state: "failure", rule: "R9", says: "needs @lukeheath" },
  ],
  [
    "R13: changes requested after an approval withdraw it",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [
          ...MDM_APPROVALS(),
          review("georgekarrv", "CHANGES_REQUESTED", "2026-11-12T11:00:00Z"),
        ],
      }),
    { state: "failure", rule: "R9", says: "needs @georgekarrv" },
  ],
  [
    "R13: a later comment does not withdraw an approval",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [...MDM_APPROVALS(), review("georgekarrv", "COMMENTED", "2026-11-12T11:00:00Z")],
      }),
    { state: "success", rule: "R13" },
  ],
  [
    "R13: approvals are matched to logins regardless of case",
    "freeze",
    FROZEN,
    () =>
      feature({
        reviews: [
          review("GeorgeKarrV", "APPROVED"),
          review("andreykizimenko", "APPROVED"),
          review("LUKEHEATH", "APPROVED"),
        ],
      }),
    { state: "success", rule: "R13" },
  ],
  [
    "R13: without a product group label the exception cannot be resolved, and says so",
    "freeze",
    FROZEN,
    () => pr({ reviews: MDM_APPROVALS() }),
    { state: "failure", rule: "R9", says: "R13 exception impossible: no product group label" },
  ],
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });

  it("R13: with approvalsOnHeadOnly, an approval given before the latest push does not count", () => {
    const config = {
      ...freezeConfig,
      releaseTrain: {
        ...freezeConfig.releaseTrain,
        mergeGate: { ...freezeConfig.releaseTrain.mergeGate, approvalsOnHeadOnly: true },
      },
    };
    const reviews = [
      ...MDM_APPROVALS().slice(0, 2),
      review("lukeheath", "APPROVED", undefined, OLD_HEAD),
    ];
    expect(verdictOf(config, FROZEN, feature({ reviews })).description).toContain(
      "needs @lukeheath",
    );
    expect(verdictOf(freezeConfig, FROZEN, feature({ reviews })).rule).toBe("R13");
  });

  it("R13: a role whose login GitHub does not know fails the exception and says which, even when the others approve", () => {
    const pull = feature({ reviews: MDM_APPROVALS() });
    expect(verdictOf(freezeConfig, FROZEN, pull).state).toBe("success");
    const [v] = gateVerdicts(
      state([pull]).missingLogin("AndreyKizimenko").input(),
      freezeConfig,
      FROZEN,
    );
    expect(v!.verdict.state).toBe("failure");
    expect(v!.verdict.reason).toContain("@AndreyKizimenko does not exist on GitHub");
    expect(v!.verdict.reason).toContain("productGroups[].engineeringManager/qaLead");
  });
});

describe("building blocks", () => {
  it("R13: approvals: each reviewer's latest decisive review counts", () => {
    const ok = approvers(
      [
        review("a", "APPROVED", "2026-11-01T00:00:00Z"),
        review("a", "COMMENTED", "2026-11-02T00:00:00Z"),
        review("b", "APPROVED", "2026-11-01T00:00:00Z"),
        review("b", "DISMISSED", "2026-11-02T00:00:00Z"),
        review("c", "PENDING"),
      ],
      HEAD,
      false,
    );
    expect([...ok]).toEqual(["a"]);
  });
});

describe("exceptions check, alone", () => {
  it("R13: decides: the three roles approve feature work into frozen main", () => {
    const v = runCheck(exceptions, freezeConfig, FROZEN, feature({ reviews: MDM_APPROVALS() }));
    expect(v).toMatchObject({ state: "success", rule: "R13" });
  });

  it("R16: decides: the three roles approve feature work into the RC", () => {
    const pull = feature({ baseRef: RC, reviews: MDM_APPROVALS() });
    expect(runCheck(exceptions, rcConfig, RC_PERIOD, pull)).toMatchObject({
      state: "success",
      rule: "R16",
    });
  });

  it("R13: passes on: two of three approvals leave the refusal to the next checks", () => {
    const pull = feature({ reviews: MDM_APPROVALS().slice(0, 2) });
    expect(runCheck(exceptions, freezeConfig, FROZEN, pull)).toBeUndefined();
  });
});
