// R10: during the freeze, a change that is neither docs nor a bug fix nor code (CI
// configuration) merges once the author's engineering manager confirms.
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../../../test/support/app.js";
import {
  type Case,
  DEEP,
  FROZEN,
  freezeMode,
  MDM_APPROVALS,
  OPEN,
  pr,
  RC_PERIOD,
  review,
  runCheck,
  verdictCases,
  verdictOf,
} from "../builder.js";
import { managerConfirmation } from "./manager-confirmation.js";

const rcConfig = await exampleConfig();
const freezeConfig = freezeMode(rcConfig);

const CI = ".github/workflows/test.yml";
/** A CI-only PR by @mna, a member of MDM (engineering manager @georgekarrv). */
const ci = (over: Parameters<typeof pr>[0] = {}) => pr({ files: [CI], ...over });
const EM = () => [review("georgekarrv", "APPROVED")];

const CASES: Case[] = [
  [
    "R10: a CI-only PR approved by its author's engineering manager merges during the freeze",
    "freeze",
    FROZEN,
    () => ci({ reviews: EM() }),
    { state: "success", rule: "R10", says: "confirmed by manager @georgekarrv" },
  ],
  [
    "R10: a CI-only PR without its manager's approval waits for it, naming the manager",
    "freeze",
    FROZEN,
    () => ci(),
    { state: "failure", rule: "R10", says: "confirm with your manager; R10 needs @georgekarrv" },
  ],
  [
    "R10: another group's engineering manager is not the author's manager",
    "freeze",
    FROZEN,
    () => ci({ reviews: [review("sharon-fdm", "APPROVED")] }),
    { state: "failure", rule: "R10", says: "R10 needs @georgekarrv" },
  ],
  [
    "R10: docs and CI files together hold no code either: the manager confirms",
    "freeze",
    FROZEN,
    () => ci({ files: ["docs/a.md", CI], reviews: EM() }),
    { state: "success", rule: "R10" },
  ],
  [
    "R10: code and CI together is feature work: the manager's approval alone is not the R13 exception",
    "freeze",
    FROZEN,
    () => ci({ files: ["server/service/hosts.go", CI], labels: ["#g-mdm"], reviews: EM() }),
    { state: "failure", rule: "R9", says: "R13 needs @AndreyKizimenko @lukeheath" },
  ],
  [
    "R10/R13: the three roles' exception lets a CI-only PR in too",
    "freeze",
    FROZEN,
    () => ci({ labels: ["#g-mdm"], reviews: MDM_APPROVALS() }),
    { state: "success", rule: "R13" },
  ],
  [
    "R10/R11: in the deep freeze the manager's confirmation does not let a CI-only PR in",
    "freeze",
    DEEP,
    () => ci({ reviews: EM() }),
    { state: "failure", rule: "R11" },
  ],
  [
    "R10: an author in no product group is confirmed by the manager of the PR's group label",
    "freeze",
    FROZEN,
    () =>
      ci({
        author: "outsider",
        labels: ["#g-endpoint-ops"],
        reviews: [review("sharon-fdm", "APPROVED")],
      }),
    { state: "success", rule: "R10", says: "confirmed by manager @sharon-fdm" },
  ],
  [
    "R10: no group by membership or label: the confirmation cannot be given, and the status says so",
    "freeze",
    FROZEN,
    () => ci({ author: "outsider", reviews: EM() }),
    {
      state: "failure",
      rule: "R10",
      says: "no manager can confirm this non-code PR: @outsider is in no product group",
    },
  ],
  [
    "R10: an engineering manager's own CI-only PR has no other manager configured to confirm",
    "freeze",
    FROZEN,
    () => ci({ author: "georgekarrv", labels: ["#g-mdm"] }),
    { state: "failure", rule: "R10", says: "@georgekarrv is the EM of MDM" },
  ],
  [
    "R10: before the freeze a CI-only PR merges with no confirmation",
    "freeze",
    OPEN,
    () => ci(),
    { state: "success", rule: "R9" },
  ],
  [
    "R10: in release-candidate mode main stays open to a CI-only PR",
    "rc",
    RC_PERIOD,
    () => ci(),
    { state: "success", rule: "R14" },
  ],
];

describe("merge gate verdicts", () => {
  verdictCases(CASES, { freeze: freezeConfig, rc: rcConfig });

  it("R10: the reason says what the PR is and who confirmed it", () => {
    const v = verdictOf(freezeConfig, FROZEN, ci({ reviews: EM() }));
    expect(v.reason).toContain("@georgekarrv approved");
    expect(v.reason).toContain(
      "1 changed file(s), docs and releaseTrain.mergeGate.nonCodePaths only",
    );
  });

  it("R10: nonCodePaths is configuration: without it a CI-only PR is feature work", () => {
    const config = {
      ...freezeConfig,
      releaseTrain: {
        ...freezeConfig.releaseTrain,
        mergeGate: { ...freezeConfig.releaseTrain.mergeGate, nonCodePaths: [] },
      },
    };
    expect(verdictOf(config, FROZEN, ci({ reviews: EM() })).rule).toBe("R9");
  });
});

describe("manager-confirmation check, alone", () => {
  it("R10: decides: a CI-only PR into frozen main, confirmed or waiting for its manager", () => {
    expect(
      runCheck(managerConfirmation, freezeConfig, FROZEN, ci({ reviews: EM() })),
    ).toMatchObject({ state: "success", rule: "R10" });
    expect(runCheck(managerConfirmation, freezeConfig, FROZEN, ci())).toMatchObject({
      state: "failure",
      rule: "R10",
    });
  });

  it("R10: passes on: code, docs-only changes and the deep freeze are not its to decide", () => {
    const code = pr({ reviews: EM() });
    expect(runCheck(managerConfirmation, freezeConfig, FROZEN, code)).toBeUndefined();
    const docs = pr({ files: ["docs/a.md"] });
    expect(runCheck(managerConfirmation, freezeConfig, FROZEN, docs)).toBeUndefined();
    expect(
      runCheck(managerConfirmation, freezeConfig, DEEP, ci({ reviews: EM() })),
    ).toBeUndefined();
  });
});
