// docs/adding-a-rule.md, followed: a rule is its folder (config.ts, index.ts, this test) and one
// line in the registry. Here the registry line is `[...RULES, bugInbox]`; everything else —
// schema, messages, routing, the decision run, /api/rules — follows from the rule's own folder.
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FULL_SYNC } from "../../../src/github/sync.js";
import { formatConfigError, parseConfig } from "../../../src/handbook/load.js";
import type { HandbookConfig } from "../../../src/handbook/schema.js";
import { describeRules, planningRules, RULES } from "../../../src/rules/index.js";
import { decide } from "../../../src/runtime/decide.js";
import { routeDelivery } from "../../../src/runtime/routing.js";
import { openStore, type Store } from "../../../src/store/index.js";
import { exampleConfig } from "../../support/app.js";
import { bugInbox, inboxKey } from "./index.js";

const REGISTRY = [...RULES, bugInbox];
const REPO = "fleetdm/fleet";
const NOW = Temporal.Instant.from("2026-12-02T17:00:00Z");
const MINIMAL = `organisation: fleetdm
repositories: [fleet]
roles:
  engineeringOutputDri: lukeheath
  releaseRitualDri: lukeheath
  headOfProductDesign: noahtalerman
  vpCustomerSuccess: zayhanlon
  onCall: { rotation: [lukeheath], startsOn: "2026-11-02" }
productGroups:
  - { id: mdm, name: MDM, label: "#g-mdm", engineeringManager: georgekarrv, qaLead: xpkoala }
releaseTrain:
  sprint: { anchor: "2026-11-02" }
`;

describe("adding a rule (docs/adding-a-rule.md): the bug-inbox example", () => {
  let store: Store;
  let config: HandbookConfig;

  beforeAll(async () => {
    config = { ...(await exampleConfig()), bugInbox: { enabled: true } };
    store = await openStore({ inMemory: true });
    await store.setCursor(REPO, FULL_SYNC, { cursor: "complete" });
    const at = "2026-12-01T10:00:00Z";
    const issue = (number: number, labels: string[]) => ({
      repo: REPO,
      number,
      isPullRequest: false,
      title: `Bug ${number}`,
      state: "open" as const,
      createdAt: at,
      updatedAt: at,
      labels,
    });
    await store.upsertIssues([issue(1, ["bug"]), issue(2, ["bug", ":reproduce"]), issue(3, [])]);
  });
  afterAll(() => store?.close());

  it("its settings join bosun.yml: defaults, and messages that name its keys", () => {
    const ok = parseConfig(`${MINIMAL}bugInbox: { enabled: true }\n`, "bosun.yml", {
      rules: REGISTRY,
    });
    expect(ok.ok && ok.config.bugInbox).toEqual({ enabled: true });
    const off = parseConfig(MINIMAL, "bosun.yml", { rules: REGISTRY });
    expect(off.ok && off.config.bugInbox).toEqual({ enabled: false });
    const typo = parseConfig(`${MINIMAL}bugInbox: { enabld: true }\n`, "bosun.yml", {
      rules: REGISTRY,
    });
    expect(!typo.ok && typo.errors.map(formatConfigError)).toEqual([
      'bosun.yml:13:13 bugInbox.enabld: unknown key "enabld" (did you mean "enabled"?); allowed keys: enabled',
    ]);
    // Its own section broken: config check says so, and at run time only this rule is skipped.
    expect(!typo.ok && typo.partial?.skippedRules.map((s) => s.rule)).toEqual(["bug-inbox"]);
  });

  it("R1: a bug without a state label goes to the inbox; one with a state is already as it should be", async () => {
    const plan = await decide(store, config, NOW, "example", { rules: [bugInbox] });
    expect(plan.effects.map((e) => [e.key, e.reason])).toEqual([
      [
        "bug-inbox:addLabels:fleetdm/fleet#1:1|%3Aincoming",
        'R1: fleetdm/fleet#1 is a bug with no state label; it starts in the inbox (":incoming", labels.bugStates[0])',
      ],
    ]);
    expect(inboxKey.parse(inboxKey.build({ number: 1, label: ":incoming" }))).toEqual({
      number: 1,
      label: ":incoming",
    });
  });

  it("an issue's webhook re-decides it for that issue alone", async () => {
    const route = routeDelivery(
      { event: "issues", action: "labeled", payload: { issue: { number: 2 } }, repository: REPO },
      planningRules(REGISTRY),
    );
    expect(route?.rules.map((r) => r.name)).toContain("bug-inbox");
    const scoped = await decide(store, config, NOW, "scoped", {
      rules: [bugInbox],
      scope: { repo: REPO, numbers: [2] },
    });
    expect(scoped.effects).toEqual([]);
  });

  it("it describes itself in /api/rules with its configuration path", () => {
    expect(describeRules(REGISTRY).at(-1)).toMatchObject({
      name: "bug-inbox",
      ids: ["R1"],
      configPaths: ["bugInbox", "labels"],
      events: ["issues.opened", "issues.labeled", "issues.unlabeled"],
    });
  });
});
