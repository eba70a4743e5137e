// Two processes on one store, one write that waits out GitHub's secondary rate limit for longer
// than the claim lease (issue #20, item 4). The claim must outlive the wait, and a process whose
// claim was taken over must not send, or retry, its write.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import type { Effect } from "../../src/effects/effects.js";
import { type EffectApplier, execute } from "../../src/effects/executor.js";
import { assemblePlan, planned } from "../../src/effects/plan.js";
import { GitHubApplier } from "../../src/github/applier.js";
import { createClient } from "../../src/github/client.js";
import { openStore, type Store } from "../../src/store/index.js";
import { eventually } from "../support/eventually.js";

const TITLE = "Sprint 15 retro: notes";
const fileIssue = () =>
  assemblePlan("plan-lease", "2026-11-24T18:00:00Z", [
    {
      effects: [
        planned(
          "rituals",
          {
            type: "createIssue",
            repo: "fleetdm/fleet",
            title: TITLE,
            body: "<!-- bosun:ritual retro 2026-11-24 -->",
            labels: [],
            assignees: [],
          },
          "retro:2026-11-24",
          "R47: the retro of 2026-11-24 is due",
        ),
      ],
    },
  ]);

describe("the executor's claim lease across two processes", () => {
  let emu: RunningEmulator;
  let store: Store;
  beforeAll(async () => {
    emu = await startEmulator({ size: 10, seed: 3 });
    store = await openStore({ inMemory: true });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await emu?.close();
  });

  const client = () =>
    createClient({
      baseUrl: emu.url,
      auth: { kind: "token", token: "test-token" },
      writeSpacingMs: 0,
      // retry-after: 120 becomes 2.4 s: three waits outlast the 3 s lease below.
      retryAfterBaseMs: 20,
      rateLimitRetries: 3,
    });
  const filed = () =>
    emu.admin.core.state.repo("fleetdm", "fleet")!.issues.filter((i) => i.title === TITLE);
  const faultsLeft = async () =>
    ((await (await fetch(`${emu.url}/_emulator/faults`)).json()) as unknown[]).length;

  it("a write rate-limited past its lease keeps its claim: the other process does not file it again", async () => {
    emu.admin.addFault({
      kind: "secondary-rate-limit",
      count: 3,
      retryAfter: 120,
      path: "^POST /repos/fleetdm/fleet/issues$",
    });
    const leaseMs = 3_000;
    const first = execute(fileIssue(), new GitHubApplier(client()), store, {
      dryRun: false,
      owner: "process-a",
      leaseMs,
    });
    // The first process has been answered 403 three times: its first lease ran out long ago.
    await eventually(faultsLeft, (n) => n === 0, {
      within: 60_000,
      every: 50,
      what: "three rate-limited answers",
    });
    const second = await execute(fileIssue(), new GitHubApplier(client()), store, {
      dryRun: false,
      owner: "process-b",
      leaseMs,
    });
    expect(second.map((r) => r.status)).toEqual(["in-progress"]);
    const results = await first;
    expect(results.map((r) => [r.status, r.error])).toEqual([["applied", undefined]]);
    expect(filed()).toHaveLength(1);
    const audit = await store.listAudit({ rule: "rituals", limit: 10 });
    expect(audit.map((a) => [a.status, a.claimedBy])).toEqual([["applied", "process-a"]]);
  }, 120_000);

  it("a process whose claim was taken over stops its write instead of applying it", async () => {
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    // Stands in for a client waiting out a rate limit: it sends nothing once told to stop.
    const waiting: EffectApplier = {
      apply(_effect: Effect, context) {
        started();
        return new Promise((_resolve, reject) => {
          context?.signal?.addEventListener("abort", () => reject(context.signal!.reason));
        });
      },
    };
    const plan = assemblePlan("plan-lost", "2026-11-24T18:00:00Z", [
      {
        effects: [
          planned(
            "labels",
            { type: "createLabel", repo: "fleetdm/fleet", name: "lease", color: "ededed" },
            "lease",
            "labels: lease is missing",
          ),
        ],
      },
    ]);
    // A lease of 0 ms has run out by the time another process asks: it may take the key over.
    const first = execute(plan, waiting, store, {
      dryRun: false,
      owner: "process-a",
      leaseMs: 0,
      heartbeatMs: 200,
    });
    await inFlight;
    const second = await execute(plan, new GitHubApplier(client()), store, {
      dryRun: false,
      owner: "process-b",
    });
    expect(second.map((r) => r.status)).toEqual(["applied"]);
    const [lost] = await first;
    expect(lost!.status).toBe("in-progress");
    expect(lost!.error).toContain("another process took it over");
    // The audit log keeps the second process's outcome, not overwritten by the first's.
    const owner = await store.auditByKey(plan.effects[0]!.key);
    expect([owner?.status, owner?.claimedBy]).toEqual(["applied", "process-b"]);
  }, 60_000);
});
