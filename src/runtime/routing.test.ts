import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../../test/support/app.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { planningRules } from "../rules/index.js";
import { openStore } from "../store/index.js";
import { msToNextInstant, routeDelivery } from "./routing.js";
import { Runtime } from "./runtime.js";

const delivery = (event: string, action: string | null, payload: unknown = {}) => ({
  event,
  action,
  payload,
  repository: "fleetdm/fleet",
});
const gateRelevant = (event: string, action: string | null) =>
  routeDelivery(delivery(event, action))?.rules.some((r) => r.name === "merge-gate") ?? false;

let config: HandbookConfig;
beforeAll(async () => {
  const example = await exampleConfig();
  config = { ...example, releaseTrain: { ...example.releaseTrain, mode: "freeze" } };
});

describe("routing: webhooks and instants re-decide the rules that declared them", () => {
  it.each([
    ["pull_request", "opened", true],
    ["pull_request", "edited", true],
    ["pull_request", "labeled", true],
    ["pull_request", "unlabeled", true],
    ["pull_request", "synchronize", true],
    ["pull_request", "edited", true],
    ["pull_request_review", "submitted", true],
    ["pull_request_review", "dismissed", true],
    ["issues", "labeled", true],
    ["milestone", "created", true],
    ["issue_comment", "created", false],
    ["push", null, false],
    ["status", null, false],
    ["pull_request", "assigned", false],
  ] as const)("%s.%s → decide again: %s", (event, action, relevant) => {
    expect(gateRelevant(event, action)).toBe(relevant);
  });

  it("a pull request's own delivery names it, so only its verdict is decided", () => {
    const pr = routeDelivery(delivery("pull_request", "opened", { pull_request: { number: 7 } }));
    expect(pr?.scope).toEqual({ repo: "fleetdm/fleet", numbers: [7] });
    expect(pr?.rules.map((r) => r.name)).toEqual(["merge-gate"]);
    const review = routeDelivery(
      delivery("pull_request_review", "submitted", '{"pull_request":{"number":8}}'),
    );
    expect(review?.scope).toEqual({ repo: "fleetdm/fleet", numbers: [8] });
    const issue = routeDelivery(delivery("issues", "labeled", { issue: { number: 9 } }));
    expect(issue?.scope).toBeUndefined();
  });

  it("a delivery that only some rules declared re-decides only those", () => {
    const label = routeDelivery(delivery("label", "deleted", { label: { name: "bug" } }));
    expect(label?.rules.map((r) => r.name)).toEqual(["label-vocabulary"]);
    expect(routeDelivery(delivery("label", "created"))).toBeUndefined();
  });

  it("every event a rule declares routes to it, and only planning rules are routed", () => {
    for (const rule of planningRules()) {
      for (const t of rule.triggers?.events ?? []) {
        const route = routeDelivery(delivery(t.event, t.actions?.[0] ?? null), [rule]);
        expect(route?.rules).toEqual([rule]);
      }
    }
  });

  it("R9/R11: the timer is set to the next transition: freeze, then deep freeze, then release", () => {
    const at = (iso: string) => msToNextInstant(config, Temporal.Instant.from(iso));
    expect(at("2026-11-10T16:59:00Z")).toMatchObject({
      ms: 60_000,
      what: "release train: freeze",
    });
    expect(at("2026-11-10T17:00:00Z")).toMatchObject({
      what: "release train: deep-freeze",
      at: "2026-11-15T17:00:00Z",
    });
    expect(at("2026-11-15T17:00:00Z")).toMatchObject({
      ms: 86_400_000,
      what: "release train: release",
    });
  });

  it("R14: in release-candidate mode the RC cut and the release are the transitions", () => {
    const rc = {
      ...config,
      releaseTrain: { ...config.releaseTrain, mode: "release-candidate" as const },
    };
    expect(msToNextInstant(rc, Temporal.Instant.from("2026-11-13T15:00:00Z"))).toMatchObject({
      ms: 3_600_000,
      what: "release train: rc-cut",
    });
  });

  it("requests for a decision arriving together fold into one run", async () => {
    const store = await openStore({ inMemory: true });
    const runtime = new Runtime({
      config,
      store,
      location: "memory",
      dryRun: true,
      clock: () => Temporal.Instant.from("2026-11-12T20:00:00Z"),
    });
    let runs = 0;
    const original = runtime.decideAndApply.bind(runtime);
    runtime.decideAndApply = () => {
      runs += 1;
      return original();
    };
    const burst = [
      runtime.requestDecision(20),
      runtime.requestDecision(20),
      runtime.requestDecision(20),
    ];
    expect(burst[0]).toBe(burst[2]);
    await Promise.all(burst);
    expect(runs).toBe(1);
    await runtime.requestDecision(0);
    expect(runs).toBe(2);
    await runtime.stop();
    await store.close();
  });
});
