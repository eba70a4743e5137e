// The KPI report from a synced store, over the JSON API: zero GitHub requests per report,
// bad input refused, weekly snapshots stored once, the cache refreshed when the store changes.
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultOrgSpec, type RunningEmulator, startEmulator } from "../../emulator/index.js";
import type { KpiHistoryView } from "../../src/api/kpi.js";
import { kpiIndex, kpiSnapshotJob, readKpiIndex, storeWeeklySnapshots } from "../../src/api/kpi.js";
import { syncRepository } from "../../src/github/sync.js";
import { type KpiView, kpiSettings, kpiView, reportWindows } from "../../src/rules/kpi/index.js";
import { testServer } from "../support/app.js";
import { emulatorClient } from "../support/github.js";

const NOW = Temporal.Instant.from("2026-11-24T18:00:00Z"); // testServer's clock

describe("GET /api/kpi", () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let emu: RunningEmulator;

  beforeAll(async () => {
    server = await testServer(NOW);
    emu = await startEmulator({
      size: 300,
      seed: 11,
      org: defaultOrgSpec(new Date("2026-11-20T00:00:00Z")),
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await emu?.close();
  });

  const get = (url: string) => server.app.inject({ method: "GET", url });

  it("R2: refuses to report from a store that has never synced (409, one line)", async () => {
    const res = await get("/api/kpi");
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatch(/^the store has never synced fleetdm\/fleet: /);
    expect((await get("/api/kpi/history")).statusCode).toBe(409);
  });

  it("R2: serves the report as of any date with zero GitHub requests", async () => {
    const client = emulatorClient(emu.url, server.store);
    for (const repo of ["fleetdm/fleet", "fleetdm/confidential"])
      await syncRepository({ client, store: server.store }, repo);
    emu.admin.resetRequests();
    const res = await get("/api/kpi?asOf=2026-11-02");
    expect(res.statusCode).toBe(200);
    const body = res.json() as KpiView;
    expect(body.asOf).toBe("2026-11-02T17:00:00Z");
    expect(body.repositories).toEqual(["fleetdm/fleet"]);
    expect(body.columns).toHaveLength(20);
    expect(Object.keys(body.columns[0]!)).toEqual(["index", "key", "name", "value"]);
    expect(body.csv.split(",")).toHaveLength(20);
    expect(body.columns[17]!.value).toBeGreaterThan(0);
    const script = (await get("/api/kpi?asOf=2026-11-02&compat=script")).json() as KpiView;
    expect(script.mode).toBe("script");
    expect(emu.admin.requests().total).toBe(0);
  });

  it("R2: bad asOf and compat values answer 400 with what was wrong", async () => {
    const cases: [string, RegExp][] = [
      ["/api/kpi?asOf=next%20tuesday", /^not a date: "next tuesday"; use YYYY-MM-DD/],
      ["/api/kpi?asOf=2026-02-30", /^not a date: "2026-02-30"/],
      ["/api/kpi?asOf=2019-01-01", /is before the repositories existed/],
      ["/api/kpi?asOf=2030-01-01", /is in the future/],
      ["/api/kpi?compat=spreadsheet", /^compat must be "script"/],
      ["/api/kpi/history?weeks=0", /^weeks must be a whole number/],
    ];
    for (const [url, message] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error, url).toMatch(message);
    }
  });

  it("R2: the history replays past weeks, then reads the stored weekly snapshots", async () => {
    const before = (await get("/api/kpi/history?weeks=10")).json() as KpiHistoryView;
    expect(before.weeks).toHaveLength(10);
    expect(before.sources.every((s) => s === "computed")).toBe(true);
    expect(before.values.every((row) => row.length === 20)).toBe(true);

    const summary = await kpiSnapshotJob.run({
      store: server.store,
      config: server.config,
      now: NOW,
    });
    expect(summary).toMatch(/^stored 9 weekly KPI snapshot/);
    const after = (await get("/api/kpi/history?weeks=10")).json() as KpiHistoryView;
    expect(after.sources.filter((s) => s === "stored")).toHaveLength(9);
    // Stored or replayed, a week reads the same.
    expect(after.values).toEqual(before.values);
    // Converges: once every week since the repository's creation is stored, nothing more.
    const rest = await storeWeeklySnapshots(server.store, server.config, NOW, 1000);
    expect(rest.length).toBeGreaterThan(20);
    expect(await storeWeeklySnapshots(server.store, server.config, NOW, 1000)).toEqual([]);
  });

  it("R2: after live activity, an incremental sync and a deletion, the data kept up to date reports what a full reading does", async () => {
    const client = emulatorClient(emu.url, server.store);
    const before = await kpiIndex(server.store, server.config);
    const lines = await emu.admin.activitySteps(60);
    expect(lines.length).toBe(60);
    const report = await syncRepository({ client, store: server.store }, "fleetdm/fleet");
    expect(report.kind).toBe("incremental");
    const bug = (await server.store.listIssues({ repo: "fleetdm/fleet", label: "bug" }))[0]!;
    await server.store.deleteIssue("fleetdm/fleet", bug.number);
    const kept = await kpiIndex(server.store, server.config);
    const whole = await readKpiIndex(server.store, server.config);
    expect(kept.histories.length).toBe(whole.histories.length);
    expect(kept.histories.length).not.toBe(before.histories.length);
    const s = kpiSettings(server.config);
    const zone = server.config.calendar.timeZone;
    for (const at of [
      NOW,
      NOW.subtract({ hours: 24 * 3 }),
      Temporal.Instant.from("2026-06-01T00:00:00Z"),
    ]) {
      for (const mode of ["exact", "script"] as const) {
        expect(kpiView(kept, s, reportWindows(at, zone), mode)).toEqual(
          kpiView(whole, s, reportWindows(at, zone), mode),
        );
      }
    }
  });

  it("R2: the parsed data is cached until the store changes", async () => {
    const a = await kpiIndex(server.store, server.config);
    expect(await kpiIndex(server.store, server.config)).toBe(a);
    // A labeled webhook rewrites the issue; so does the next sync.
    const row = (await server.store.getIssue("fleetdm/fleet", 1))!;
    await server.store.upsertIssue({
      ...row,
      labels: [...row.labels, "customer-acme"],
      updatedAt: "2026-11-24T17:00:00.000Z",
    });
    const b = await kpiIndex(server.store, server.config);
    expect(b).not.toBe(a);
    expect(await kpiIndex(server.store, server.config)).toBe(b);
  });
});
