// Two Bosun servers share one PostgreSQL and one GitHub: each effect must happen once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { vocabulary } from "../../src/rules/labels/index.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { emulatorClient } from "../support/github.js";
import { freshSchema, PG_URL, postgresAvailable } from "../support/postgres.js";

const available = await postgresAvailable("two servers on one PostgreSQL");

describe.skipIf(!available)("two servers on one PostgreSQL", () => {
  let emu: RunningEmulator;
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  const stores: Store[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ size: 120, seed: 11 });
    schema = await freshSchema();
  }, 120_000);

  afterAll(async () => {
    for (const s of stores) await s.close();
    await schema?.drop();
    await emu?.close();
  });

  it("applies each planned effect exactly once when both decide at the same moment", async () => {
    const config = await exampleConfig();
    // Take away labels the handbook needs, so both servers plan to create them.
    const writer = emulatorClient(emu.url);
    const missing = vocabulary(config)
      .slice(0, 6)
      .map((l) => l.name);
    for (const repo of ["fleet", "confidential"]) {
      for (const name of missing) {
        await writer.rest.issues.deleteLabel({ owner: "fleetdm", repo, name });
      }
    }

    const servers = await Promise.all(
      ["a", "b"].map(async () => {
        const store = await openStore({ databaseUrl: PG_URL, schema: schema.schema });
        stores.push(store);
        return new Runtime({
          config,
          store,
          location: "PostgreSQL",
          client: emulatorClient(emu.url, store),
          dryRun: false,
        });
      }),
    );
    await servers[0]!.syncOnce();
    emu.admin.resetRequests();

    // What the label rule will do: the deleted labels, and any the rituals name that were never there.
    const planned = (await servers[0]!.data.plan()).effects.filter(
      (e) => e.rule === "label-vocabulary",
    );
    const deleted = planned.filter((e) => missing.includes((e.effect as { name: string }).name));
    expect(deleted).toHaveLength(missing.length * 2);

    const [a, b] = await Promise.all(servers.map((s) => s.decideAndApply()));
    // Other rules may act too (rituals, the merge gate); this test watches the label effects.
    const labelEffects = (rs: typeof a) => rs!.filter((r) => r.rule === "label-vocabulary");
    const applied = [...labelEffects(a), ...labelEffects(b)].filter((r) => r.status === "applied");
    expect(applied.map((r) => r.key).sort()).toEqual(planned.map((e) => e.key).sort());
    expect(new Set(applied.map((r) => r.key)).size).toBe(applied.length);
    expect(emu.admin.requests().byEndpoint["POST /repos/:owner/:repo/labels"]).toBe(planned.length);

    // Every key is recorded once as applied; a third run by either server does nothing.
    const again = await servers[1]!.decideAndApply();
    expect(again.filter((r) => r.status === "applied")).toEqual([]);
    const audit = await stores[0]!.listAudit({ rule: "label-vocabulary", limit: 100 });
    expect(audit.filter((e) => e.status === "applied")).toHaveLength(planned.length);
    // Whatever else the rules did, no key was applied twice.
    const all = [...a!, ...b!].filter((r) => r.status === "applied");
    expect(new Set(all.map((r) => r.key)).size).toBe(all.length);
  }, 180_000);
});
