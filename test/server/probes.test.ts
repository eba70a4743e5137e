// /healthz (alive) and /readyz (store open, migrations done, first sync finished).
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index.js";
import { createClient } from "../../src/github/client.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { assessReadiness } from "../../src/server/probes.js";
import { LATEST_VERSION, openStore } from "../../src/store/index.js";
import { exampleConfig, testServer } from "../support/app.js";

describe("readiness", () => {
  const idle = { running: false, runs: 0 };

  it("is ready once the store answers at the latest schema and a sync has finished", () => {
    const r = assessReadiness({
      store: { schemaVersion: LATEST_VERSION },
      sync: { ...idle, runs: 1, lastSucceededAt: "2026-11-24T18:00:00Z" },
    });
    expect(r).toMatchObject({ status: "ready", notReady: [] });
  });

  it("names what is not ready: the first sync (running, failed), old migrations, a closed store", () => {
    const running = assessReadiness({
      store: { schemaVersion: LATEST_VERSION },
      sync: { running: true, runs: 0, phase: "issues fleetdm/fleet", done: 2, total: 9 },
    });
    expect(running.notReady).toEqual(["sync"]);
    expect(running.checks.sync.detail).toBe("first sync running: issues fleetdm/fleet 2/9");
    const failed = assessReadiness({
      store: { schemaVersion: LATEST_VERSION },
      sync: { ...idle, runs: 1, lastError: "GitHub answered 502" },
    });
    expect(failed.checks.sync.detail).toMatch(/^first sync failed: GitHub answered 502/);
    const old = assessReadiness({ store: { schemaVersion: LATEST_VERSION - 1 }, sync: "off" });
    expect(old.notReady).toEqual(["migrations"]);
    const down = assessReadiness({ store: { error: "connection refused" }, sync: "off" });
    expect(down.notReady).toEqual(["store", "migrations"]);
    const stopping = assessReadiness({
      store: { schemaVersion: LATEST_VERSION },
      sync: "off",
      stopping: "SIGTERM",
    });
    expect(stopping.notReady).toEqual(["running"]);
    expect(stopping.checks.running.detail).toBe("shutting down (SIGTERM)");
  });

  it("without GitHub credentials (--offline) the sync is not waited for", () => {
    expect(assessReadiness({ store: { schemaVersion: LATEST_VERSION }, sync: "off" }).status).toBe(
      "ready",
    );
  });
});

describe("/healthz and /readyz", () => {
  it("a server that never synced is alive (200) and not ready (503, naming the sync)", async () => {
    const t = await testServer();
    try {
      expect((await t.app.inject("/healthz")).statusCode).toBe(200);
      const ready = await t.app.inject("/readyz");
      expect(ready.statusCode).toBe(503);
      expect(ready.headers["content-type"]).toContain("application/json");
      expect(ready.json()).toMatchObject({
        status: "not ready",
        notReady: ["sync"],
        checks: {
          store: { ok: true },
          migrations: { ok: true },
          sync: { ok: false, detail: "first sync not started" },
        },
      });
    } finally {
      await t.close();
    }
  });

  describe("a runtime against the emulator", () => {
    const cleanup: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanup.reverse()) await c();
    });

    it("is not ready until its first sync has finished, then ready", async () => {
      const emu = await startEmulator({ size: 40, seed: 2 });
      cleanup.push(() => emu.close());
      const store = await openStore({ inMemory: true });
      cleanup.push(() => store.close());
      const config = await exampleConfig();
      const runtime = new Runtime({
        config: { ...config, github: { ...config.github, apiUrl: emu.url } },
        store,
        location: "memory",
        client: createClient({
          baseUrl: emu.url,
          auth: { kind: "token", token: "t" },
          serverErrorRetries: 0,
        }),
        dryRun: true,
      });
      const app = await runtime.server();
      cleanup.push(() => runtime.stop());

      const before = await app.inject("/readyz");
      expect(before.statusCode).toBe(503);
      expect(before.json().checks.sync.detail).toBe("first sync not started");
      const health = await app.inject("/healthz");
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({
        status: "ok",
        store: { backend: "pglite", schemaVersion: LATEST_VERSION, location: "memory" },
      });

      // A failed first sync is named, and readiness waits for one that finishes.
      emu.admin.addFault({ kind: "server-error", status: 502, path: "^GET /repos/[^/]+/[^/]+$" });
      await expect(runtime.syncOnce()).rejects.toThrow();
      const failed = await app.inject("/readyz");
      expect(failed.statusCode).toBe(503);
      expect(failed.json().checks.sync.detail).toMatch(/^first sync failed: /);

      emu.admin.clearFaults();
      await runtime.syncOnce();
      const after = await app.inject("/readyz");
      expect(after.statusCode).toBe(200);
      expect(after.json()).toMatchObject({ status: "ready", notReady: [] });
    }, 120_000);
  });
});
