import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import {
  gateRelevant,
  msToNextTransition,
  pullOfDelivery,
} from "../../src/runtime/gate-runtime.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { openStore } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";

let config: HandbookConfig;
beforeAll(async () => {
  const example = await exampleConfig();
  config = { ...example, releaseTrain: { ...example.releaseTrain, mode: "freeze" } };
});

describe("re-evaluation triggers", () => {
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
    expect(
      pullOfDelivery({ event: "pull_request", payload: { pull_request: { number: 7 } } }),
    ).toBe(7);
    expect(
      pullOfDelivery({ event: "pull_request_review", payload: '{"pull_request":{"number":8}}' }),
    ).toBe(8);
    expect(pullOfDelivery({ event: "issues", payload: { issue: { number: 9 } } })).toBeUndefined();
  });

  it("R9/R11: the timer is set to the next transition: freeze, then deep freeze, then release", () => {
    const at = (iso: string) => msToNextTransition(config, Temporal.Instant.from(iso));
    expect(at("2026-11-10T16:59:00Z")).toMatchObject({ ms: 60_000, kind: "freeze" });
    expect(at("2026-11-10T17:00:00Z")).toMatchObject({
      kind: "deep-freeze",
      at: "2026-11-15T09:00:00-08:00[America/Los_Angeles]",
    });
    expect(at("2026-11-15T17:00:00Z")).toMatchObject({ ms: 86_400_000, kind: "release" });
  });

  it("R14: in release-candidate mode the RC cut and the release are the transitions", () => {
    const rc = {
      ...config,
      releaseTrain: { ...config.releaseTrain, mode: "release-candidate" as const },
    };
    expect(msToNextTransition(rc, Temporal.Instant.from("2026-11-13T15:00:00Z"))).toMatchObject({
      ms: 3_600_000,
      kind: "rc-cut",
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
