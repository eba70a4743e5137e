import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Effect } from "../../src/effects/effects.js";
import { type EffectApplier, execute, RecordingApplier } from "../../src/effects/executor.js";
import { assemblePlan, planned } from "../../src/effects/plan.js";
import { openStore, type Store } from "../../src/store/index.js";

const label = (name: string) =>
  planned(
    "labels",
    { type: "createLabel", repo: "fleetdm/fleet", name, color: "ededed" },
    name,
    `labels: ${name} is missing`,
  );
const plan = (...names: string[]) =>
  assemblePlan("plan-1", "2026-11-24T18:00:00Z", [{ effects: names.map(label) }]);

describe("executor", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ inMemory: true });
  });
  afterEach(async () => {
    await store.close();
  });

  it("applies each effect once and records it in the audit log", async () => {
    const applier = new RecordingApplier();
    const first = await execute(plan("bug", "story"), applier, store, {
      dryRun: false,
      owner: "a",
    });
    expect(first.map((r) => r.status)).toEqual(["applied", "applied"]);
    const again = await execute(plan("bug", "story"), applier, store, {
      dryRun: false,
      owner: "b",
    });
    expect(again.map((r) => r.status)).toEqual(["already-done", "already-done"]);
    expect(applier.lines).toEqual([
      'fleetdm/fleet: create label "bug" (#ededed)',
      'fleetdm/fleet: create label "story" (#ededed)',
    ]);
    const audit = await store.auditForTarget("fleetdm/fleet", { limit: 10 });
    expect(audit.map((a) => a.status).sort()).toEqual(["applied", "applied"]);
  });

  it("stopping (an aborted signal) finishes the effect in hand and claims no further one", async () => {
    const stopping = new AbortController();
    const applied: string[] = [];
    // Shutdown arrives while the second effect is being applied.
    const applier: EffectApplier = {
      async apply(effect: Effect) {
        applied.push((effect as { name: string }).name);
        if (applied.length === 2) stopping.abort();
        return {};
      },
    };
    const results = await execute(plan("bug", "story", "epic"), applier, store, {
      dryRun: false,
      owner: "a",
      signal: stopping.signal,
    });
    expect(results.map((r) => `${r.target} ${r.status}`)).toEqual([
      "fleetdm/fleet applied",
      "fleetdm/fleet applied",
    ]);
    const audit = await store.auditForTarget("fleetdm/fleet", { limit: 10 });
    // Nothing is left claimed: the third effect was never claimed, the next run applies it.
    expect(audit.map((a) => a.status)).toEqual(["applied", "applied"]);
    const next = await execute(plan("bug", "story", "epic"), new RecordingApplier(), store, {
      dryRun: false,
      owner: "b",
    });
    expect(next.map((r) => r.status)).toEqual(["already-done", "already-done", "applied"]);
  });

  it("a dry run records what it would do and does not block the real run", async () => {
    const applier = new RecordingApplier();
    const dry = await execute(plan("bug"), applier, store, { dryRun: true, owner: "a" });
    expect(dry[0]!.status).toBe("dry-run");
    expect(applier.lines).toEqual([]);
    const real = await execute(plan("bug"), applier, store, { dryRun: false, owner: "a" });
    expect(real[0]!.status).toBe("applied");
  });

  it("records a failure with GitHub's message and retries it on the next run", async () => {
    let calls = 0;
    const flaky: EffectApplier = {
      async apply(_effect: Effect) {
        calls += 1;
        if (calls === 1) throw new Error("GitHub answered 502 Bad Gateway");
        return { ok: true };
      },
    };
    const first = await execute(plan("bug"), flaky, store, { dryRun: false, owner: "a" });
    expect(first[0]).toMatchObject({ status: "failed", error: "GitHub answered 502 Bad Gateway" });
    const second = await execute(plan("bug"), flaky, store, { dryRun: false, owner: "a" });
    expect(second[0]!.status).toBe("applied");
    expect(calls).toBe(2);
  });

  it("stops at its write budget and says which setting decided it", async () => {
    const applier = new RecordingApplier();
    const results = await execute(plan("a", "b", "c"), applier, store, {
      dryRun: false,
      owner: "a",
      budget: 2,
    });
    expect(results.map((r) => r.status)).toEqual(["applied", "applied", "deferred"]);
    expect(results[2]!.error).toContain("budget");
    const next = await execute(plan("a", "b", "c"), applier, store, {
      dryRun: false,
      owner: "a",
      budget: 2,
    });
    expect(next.map((r) => r.status)).toEqual(["already-done", "already-done", "applied"]);
  });

  it("leaves an effect another process is applying alone until its lease expires", async () => {
    await store.claimEffect({
      key: label("bug").key,
      effectType: "createLabel",
      target: "fleetdm/fleet",
      effect: {},
      owner: "other",
      leaseMs: 60_000,
    });
    const applier = new RecordingApplier();
    const results = await execute(plan("bug"), applier, store, { dryRun: false, owner: "me" });
    expect(results[0]!.status).toBe("in-progress");
    expect(applier.lines).toEqual([]);
  });
});
