// R47 exactly once with two Bosun processes on one PostgreSQL, against the GitHub emulator:
// each "process" has its own connection pool, executor owner and GitHub client, and they decide
// and apply at the same moments. Also: a process that crashes after filing but before recording.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { execute } from "../../src/effects/executor.js";
import { GitHubApplier } from "../../src/github/applier.js";
import type { GitHubClient } from "../../src/github/client.js";
import { syncRepository } from "../../src/github/sync.js";
import { type HandbookConfig, ritualSchema } from "../../src/handbook/schema.js";
import { rituals } from "../../src/rules/rituals/index.js";
import { parseRitualMarker } from "../../src/rules/rituals/marker.js";
import { decide } from "../../src/runtime/decide.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { emulatorClient } from "../support/github.js";

const url =
  process.env.DATABASE_TEST_URL ??
  process.env.DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const reachable = await probe(url);
if (reachable !== true) {
  const advice = `PostgreSQL at ${url} is not reachable (${reachable}); start one or set DATABASE_URL.`;
  if (process.env.CI) {
    describe("rituals exactly once on PostgreSQL", () => {
      it("PostgreSQL is reachable (required when CI is set)", () => {
        throw new Error(advice);
      });
    });
  } else console.warn(`skipping the rituals PostgreSQL test: ${advice}`);
}

async function probe(connectionString: string): Promise<true | string> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Process {
  store: Store;
  client: GitHubClient;
  owner: string;
}

describe.runIf(reachable === true)("R47: exactly once with two processes on one PostgreSQL", () => {
  const schema = `bosun_rituals_${randomBytes(6).toString("hex")}`;
  let emulator: RunningEmulator;
  let config: HandbookConfig;
  let a: Process;
  let b: Process;

  beforeAll(async () => {
    emulator = await startEmulator({ size: 0 });
    await admin(`CREATE SCHEMA ${schema}`);
    const base = await exampleConfig();
    config = {
      ...base,
      rituals: [
        {
          task: "Weekly bug review",
          startedOn: "2026-01-07",
          frequency: "Weekly",
          dri: "lukeheath",
          catchUp: "all",
          autoIssue: { labels: ["bug"], repo: "fleet" },
        },
        {
          task: "Check browser compatibility",
          startedOn: "2024-03-06",
          frequency: "Monthly",
          dri: "eashaw",
          autoIssue: { labels: [], repo: "confidential" },
        },
        {
          task: "Daily standup notes",
          startedOn: "2026-11-01",
          frequency: "Daily",
          dri: "sharon-fdm",
          catchUp: "all",
          autoIssue: { labels: [], repo: "fleet" },
        },
      ].map((r) => ritualSchema.parse(r)),
    };
    const open = async (name: string): Promise<Process> => {
      const store = await openStore({ databaseUrl: url, schema });
      return { store, client: emulatorClient(emulator.url, store), owner: `process-${name}` };
    };
    [a, b] = await Promise.all([open("a"), open("b")]);
  });

  afterAll(async () => {
    await a?.store.close();
    await b?.store.close();
    await emulator?.close();
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
  });

  const repos = () => config.repositories.map((r) => `${config.organisation}/${r.name}`);
  const sync = async (p: Process) => {
    for (const repo of repos()) await syncRepository({ client: p.client, store: p.store }, repo);
  };
  const round = async (p: Process, now: string) => {
    const plan = await decide(
      p.store,
      config,
      Temporal.Instant.from(now),
      `plan-${p.owner}-${now}`,
      { rules: [rituals] },
    );
    return execute(plan, new GitHubApplier(p.client), p.store, { dryRun: false, owner: p.owner });
  };
  /** ritual@occurrence -> how many issues on GitHub carry that marker. */
  const filedOnGitHub = async () => {
    const counts = new Map<string, number>();
    for (const repo of repos()) {
      const [owner, name] = repo.split("/") as [string, string];
      const issues = await a.client.paginate(a.client.rest.issues.listForRepo, {
        owner,
        repo: name,
        state: "all",
        per_page: 100,
      });
      for (const issue of issues) {
        const m = parseRitualMarker(issue.body);
        if (m)
          counts.set(
            `${m.ritualId}@${m.occurrence}`,
            (counts.get(`${m.ritualId}@${m.occurrence}`) ?? 0) + 1,
          );
      }
    }
    return counts;
  };

  it("R47: both processes decide and apply at the same moments; every occurrence is filed once", {
    timeout: 120_000,
  }, async () => {
    await sync(a);
    // Three moments, both processes at each, a sync between (as `serve` keeps the store current).
    for (const now of ["2026-12-01T18:00:00Z", "2026-12-02T18:00:00Z", "2026-12-04T18:00:00Z"]) {
      const [ra, rb] = await Promise.all([round(a, now), round(b, now)]);
      const applied = [...ra, ...rb].filter((r) => r.status === "applied").map((r) => r.key);
      expect(new Set(applied).size).toBe(applied.length);
      expect([...ra, ...rb].filter((r) => r.status === "failed")).toEqual([]);
      await sync(b);
    }
    const counts = await filedOnGitHub();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Both processes read the one start the first round recorded (Dec 1, 18:00Z).
    expect(await a.store.ritualsStart("fleetdm")).toBe("2026-12-01T18:00:00.000Z");
    expect(await b.store.ritualsStart("FleetDM")).toBe("2026-12-01T18:00:00.000Z");
    // Nothing due before that is filed: not the weekly Nov 25, the monthly Nov 6 or the daily
    // Dec 1 (09:00 PST). Then weekly: Dec 2; daily with catch-up: Dec 2, then Dec 3 and 4 together.
    expect([...counts.keys()].sort()).toEqual([
      ...[2, 3, 4].map((d) => `daily-standup-notes@2026-12-0${d}`),
      "weekly-bug-review@2026-12-02",
    ]);
    // Converged: another round at the same moment plans nothing.
    const again = await round(b, "2026-12-04T18:00:00Z");
    expect(again).toEqual([]);
  });

  it("R47: a process that crashes after filing, before recording: the other one converges on the marker", {
    timeout: 60_000,
  }, async () => {
    const now = "2026-12-05T18:00:00Z";
    const plan = await decide(a.store, config, Temporal.Instant.from(now), "plan-crash", {
      rules: [rituals],
    });
    const [effect] = plan.effects;
    expect(plan.effects.map((e) => e.key)).toEqual([
      "R47:createIssue:fleetdm/fleet:daily-standup-notes@2026-12-05",
    ]);
    // Process A claims with a short lease and files the issue, then "crashes": no finishEffect.
    const claim = await a.store.claimEffect({
      key: effect!.key,
      planId: plan.id,
      rule: effect!.rule,
      effectType: effect!.effect.type,
      target: effect!.target,
      effect: effect!.effect,
      reason: effect!.reason,
      owner: a.owner,
      leaseMs: 50,
    });
    expect(claim.claimed).toBe(true);
    await new GitHubApplier(a.client).apply(effect!.effect);
    await new Promise((r) => setTimeout(r, 100));
    // The lease has expired; process B syncs (the webhook or the next sync brings the issue) and decides.
    await sync(b);
    const results = await round(b, now);
    expect(results.map((r) => r.key)).not.toContain(effect!.key);
    expect((await filedOnGitHub()).get("daily-standup-notes@2026-12-05")).toBe(1);
    // While the lease holds, a process that has not seen the issue yet is told it is in progress.
    const next = "2026-12-06T18:00:00Z";
    const planned = await decide(b.store, config, Temporal.Instant.from(next), "plan-lease", {
      rules: [rituals],
    });
    const held = planned.effects.find((e) => e.key.includes("daily-standup-notes@2026-12-06"))!;
    await a.store.claimEffect({
      key: held.key,
      planId: planned.id,
      rule: held.rule,
      effectType: held.effect.type,
      target: held.target,
      effect: held.effect,
      reason: held.reason,
      owner: a.owner,
      leaseMs: 60_000,
    });
    const during = await execute(planned, new GitHubApplier(b.client), b.store, {
      dryRun: false,
      owner: b.owner,
    });
    expect(during.map((r) => [r.key.split(":").at(-1), r.status])).toEqual([
      ["check-browser-compatibility@2026-12-06", "applied"],
      ["daily-standup-notes@2026-12-06", "in-progress"],
    ]);
    expect((await filedOnGitHub()).get("daily-standup-notes@2026-12-06")).toBeUndefined();
  });
});
