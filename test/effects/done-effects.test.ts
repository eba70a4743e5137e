// A rule that cannot see its result on GitHub (R17's QA deploy target, a repository variable)
// plans the same effect on every run. Once its key is done, a decision run leaves it out, so
// no run reports it again as if it were work (issue #20, item 9).
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, RecordingApplier } from "../../src/effects/executor.js";
import { planned } from "../../src/effects/plan.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { emptyOutput, planningRule } from "../../src/rules/rule.js";
import { decide } from "../../src/runtime/decide.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";

const NOW = Temporal.Instant.from("2026-11-13T16:00:00Z");

/** Always wants the QA deploy target to be the RC branch: it cannot read the variable back. */
const qaTarget = planningRule({
  name: "qa-target",
  ids: ["R17"],
  summary: "test: points the QA deploy target at the RC branch",
  config: {},
  load: async () => ({}),
  decide() {
    const out = emptyOutput();
    out.effects.push(
      planned(
        "R17",
        {
          type: "setVariable",
          repo: "fleetdm/fleet",
          name: "QA_DEPLOY_BRANCH",
          value: "rc-minor-fleet-v4.62.0",
        },
        "4.62.0",
        "R17: QA tests the RC branch of 4.62.0",
      ),
    );
    return out;
  },
});

describe("R17: an effect already done is not planned again", () => {
  let store: Store;
  let config: HandbookConfig;
  beforeEach(async () => {
    config = await exampleConfig();
    store = await openStore({ inMemory: true });
  });
  afterEach(async () => {
    await store.close();
  });

  it("R17: the second decision run leaves the applied setVariable out, and the executor reports nothing", async () => {
    const applier = new RecordingApplier();
    const options = { dryRun: false, owner: "a" };
    const first = await decide(store, config, NOW, "plan-1", { rules: [qaTarget] });
    expect(first.effects.map((e) => e.effect.type)).toEqual(["setVariable"]);
    expect((await execute(first, applier, store, options)).map((r) => r.status)).toEqual([
      "applied",
    ]);
    for (let run = 2; run <= 5; run++) {
      const again = await decide(store, config, NOW, `plan-${run}`, { rules: [qaTarget] });
      expect(again.effects).toEqual([]);
      expect(await execute(again, applier, store, options)).toEqual([]);
    }
    expect(applier.lines).toEqual([
      'fleetdm/fleet: variable QA_DEPLOY_BRANCH="rc-minor-fleet-v4.62.0"',
    ]);
  });

  it("R17: a failed attempt is planned again, so the next run retries it", async () => {
    const plan = await decide(store, config, NOW, "plan-1", { rules: [qaTarget] });
    const failing = { apply: async () => Promise.reject(new Error("502 Bad Gateway")) };
    await execute(plan, failing, store, { dryRun: false, owner: "a" });
    const again = await decide(store, config, NOW, "plan-2", { rules: [qaTarget] });
    expect(again.effects.map((e) => e.key)).toEqual(plan.effects.map((e) => e.key));
  });
});
