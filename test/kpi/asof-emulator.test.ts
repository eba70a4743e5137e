// The as-of report for a past date, computed from a store synced today, equals the report a
// store synced back then would have given: the emulator replays its history up to that date.
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultOrgSpec, type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { kpiReport } from "../../src/api/kpi.js";
import { syncRepository } from "../../src/github/sync.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { emulatorClient } from "../support/github.js";

const REPOS = ["fleetdm/fleet", "fleetdm/confidential"];
const NOW = new Date("2026-03-01T00:00:00Z");
// Monday 2026-01-12 09:00 PST, a week boundary. GitHub renders times in whole seconds, so the
// replay runs to the last millisecond of that second: both stores then hold the same events.
const PAST = Temporal.Instant.from("2026-01-12T17:00:00Z");

async function syncedStore(emu: RunningEmulator): Promise<Store> {
  const store = await openStore({ inMemory: true });
  const client = emulatorClient(emu.url, store);
  for (const repo of REPOS) await syncRepository({ client, store }, repo);
  return store;
}

describe("as-of KPI report against a replayed emulator", () => {
  const emulators: RunningEmulator[] = [];
  let config: HandbookConfig;
  let today: Store;
  let back: Store;

  beforeAll(async () => {
    config = await exampleConfig();
    const org = defaultOrgSpec(NOW);
    const full = await startEmulator({ size: 400, seed: 3, org });
    const replay = await startEmulator({
      size: 400,
      seed: 3,
      org,
      until: new Date(PAST.epochMilliseconds + 999),
    });
    emulators.push(full, replay);
    [today, back] = await Promise.all([syncedStore(full), syncedStore(replay)]);
  }, 180_000);

  afterAll(async () => {
    await today?.close();
    await back?.close();
    for (const e of emulators) await e.close();
  });

  it("R2: the report as of a past week boundary equals the one a store synced then gives", async () => {
    const now = Temporal.Instant.from(NOW.toISOString());
    const asOf = PAST.toString();
    const replayed = await kpiReport(today, config, now, asOf);
    const then = await kpiReport(back, config, PAST.add({ seconds: 1 }), asOf);
    expect(replayed).toEqual(then);
    // Not a vacuous equality: the week has open bugs, PRs and closings.
    const value = (n: number) => replayed.columns[n - 1]!.value ?? 0;
    expect(value(18)).toBeGreaterThan(5);
    expect(value(4)).toBeGreaterThan(0);
    expect(value(7) + value(9)).toBeGreaterThan(0);
    // And the past differs from today: history was really replayed.
    const current = await kpiReport(today, config, now);
    expect(current.columns).not.toEqual(replayed.columns);
  });

  it("R1: the script-compatible figures and R1's agree too", async () => {
    const now = Temporal.Instant.from(NOW.toISOString());
    const asOf = PAST.toString();
    const a = await kpiReport(today, config, now, asOf, { compat: "script" });
    const b = await kpiReport(back, config, PAST.add({ seconds: 1 }), asOf, { compat: "script" });
    expect(a).toEqual(b);
    expect(a.r1.open).toBeGreaterThan(0);
  });
});
