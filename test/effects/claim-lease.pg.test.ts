// Two Bosun processes on one PostgreSQL (two stores, two connections), one write that waits
// out GitHub's secondary rate limit (retry-after 120, three times) for longer than the claim
// lease (issue #20, item 4): the issue is filed once, and the audit log records that one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { execute } from "../../src/effects/executor.js";
import { assemblePlan, planned } from "../../src/effects/plan.js";
import { GitHubApplier } from "../../src/github/applier.js";
import { createClient } from "../../src/github/client.js";
import { openStore, type Store } from "../../src/store/index.js";
import { eventually } from "../support/eventually.js";
import { freshSchema, PG_URL, postgresAvailable } from "../support/postgres.js";

const available = await postgresAvailable("the claim lease on one PostgreSQL");
const TITLE = "Sprint 15 retro (PostgreSQL)";

describe.skipIf(!available)("the executor's claim lease, two processes on one PostgreSQL", () => {
  let emu: RunningEmulator;
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  const stores: Store[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ size: 10, seed: 4 });
    schema = await freshSchema();
    for (let i = 0; i < 2; i++) {
      stores.push(await openStore({ databaseUrl: PG_URL, schema: schema.schema }));
    }
  }, 120_000);
  afterAll(async () => {
    for (const s of stores) await s.close();
    await schema?.drop();
    await emu?.close();
  });

  const plan = () =>
    assemblePlan("plan-lease-pg", "2026-11-24T18:00:00Z", [
      {
        effects: [
          planned(
            "rituals",
            {
              type: "createIssue",
              repo: "fleetdm/fleet",
              title: TITLE,
              body: "retro",
              labels: [],
              assignees: [],
            },
            "retro:2026-11-24",
            "R47: the retro of 2026-11-24 is due",
          ),
        ],
      },
    ]);
  const applier = () =>
    new GitHubApplier(
      createClient({
        baseUrl: emu.url,
        auth: { kind: "token", token: "test-token" },
        writeSpacingMs: 0,
        // retry-after: 120 becomes 2.4 s: three waits outlast the 3 s lease.
        retryAfterBaseMs: 20,
        rateLimitRetries: 3,
      }),
    );

  it("a write rate-limited past its lease is filed once; the other process leaves it alone", async () => {
    emu.admin.addFault({
      kind: "secondary-rate-limit",
      count: 3,
      retryAfter: 120,
      path: "^POST /repos/fleetdm/fleet/issues$",
    });
    const leaseMs = 3_000;
    const first = execute(plan(), applier(), stores[0]!, {
      dryRun: false,
      owner: "process-a",
      leaseMs,
    });
    const faultsLeft = async () =>
      ((await (await fetch(`${emu.url}/_emulator/faults`)).json()) as unknown[]).length;
    await eventually(faultsLeft, (n) => n === 0, {
      within: 60_000,
      every: 50,
      what: "three rate-limited answers",
    });
    const second = await execute(plan(), applier(), stores[1]!, {
      dryRun: false,
      owner: "process-b",
      leaseMs,
    });
    expect(second.map((r) => r.status)).toEqual(["in-progress"]);
    expect((await first).map((r) => [r.status, r.error])).toEqual([["applied", undefined]]);
    const filed = emu.admin.core.state
      .repo("fleetdm", "fleet")!
      .issues.filter((i) => i.title === TITLE);
    expect(filed).toHaveLength(1);
    const audit = await stores[1]!.listAudit({ rule: "rituals", limit: 10 });
    expect(audit.map((a) => [a.status, a.claimedBy])).toEqual([["applied", "process-a"]]);
  }, 120_000);
});
