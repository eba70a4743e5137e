// Issue #20, item 7: a GitHub address that accepts connections and never answers. Before
// request timeouts the sync stayed "running" for minutes, /readyz never said why, and a
// shutdown waited for every retry.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/github/client.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { assessReadiness } from "../../src/server/probes.js";
import { LATEST_VERSION, openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { eventually } from "../support/eventually.js";

let silent: Server;
let silentUrl: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  // Takes the connection, reads the request, answers nothing.
  silent = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    socket.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const address = silent.address();
  if (!address || typeof address === "string") throw new Error("no port");
  silentUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

async function runtimeAgainstSilence(
  store: Store,
  client: { requestTimeoutMs: number; signal?: AbortSignal },
  syncStallMs?: number,
) {
  const config = await exampleConfig();
  return new Runtime({
    config: { ...config, github: { ...config.github, apiUrl: silentUrl } },
    store,
    location: "memory",
    client: createClient({
      baseUrl: silentUrl,
      auth: { kind: "token", token: "t" },
      serverErrorRetries: 0,
      ...client,
    }),
    dryRun: true,
    ...(syncStallMs ? { syncStallMs } : {}),
  });
}

describe("GitHub that never answers", () => {
  it("fails the sync with a timeout error, and /readyz names it", async () => {
    const store = await openStore({ inMemory: true });
    const runtime = await runtimeAgainstSilence(store, { requestTimeoutMs: 300 });
    try {
      const app = await runtime.server();
      const started = performance.now();
      await expect(runtime.syncOnce()).rejects.toThrow(/GitHub did not answer GET .* within 0.3 s/);
      // Generous for a loaded machine; without a timeout it never ends at all.
      expect(performance.now() - started).toBeLessThan(20_000);
      const ready = await app.inject("/readyz");
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.sync.detail).toMatch(/^first sync failed: GitHub did not answer/);
    } finally {
      await runtime.stop();
      await store.close();
    }
  }, 60_000);

  it("reports a stalled sync as not ready, and a stop abandons the hanging request", async () => {
    const store = await openStore({ inMemory: true });
    const stop = new AbortController();
    // A timeout far longer than the test: only the stall check and the abort can end this.
    const runtime = await runtimeAgainstSilence(
      store,
      { requestTimeoutMs: 600_000, signal: stop.signal },
      1,
    );
    try {
      const app = await runtime.server();
      const sync = runtime.syncOnce();
      sync.catch(() => {});
      const stalled = await eventually(
        () => app.inject("/readyz"),
        (ready) => /^sync stalled: no progress for/.test(ready.json().checks.sync.detail),
        { within: 30_000, every: 20, what: "/readyz naming the stall" },
      );
      expect(stalled.statusCode).toBe(503);
      expect(stalled.json().notReady).toEqual(["sync"]);

      const started = performance.now();
      stop.abort(new Error("Bosun is stopping (SIGTERM)"));
      await runtime.stop("SIGTERM");
      await expect(sync).rejects.toThrow(/GitHub request abandoned: Bosun is stopping/);
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      await runtime.stop();
      await store.close();
    }
  }, 60_000);
});

describe("readiness of a running sync", () => {
  const at = Date.parse("2026-11-24T18:00:00Z");
  const running = {
    running: true,
    runs: 3,
    lastSucceededAt: "2026-11-24T17:00:00Z",
    phase: "issues fleetdm/fleet",
    done: 4,
    total: 9,
    lastProgressAt: "2026-11-24T18:00:00.000Z",
  };

  it("stays ready while the sync moves, and says it stalled once silent past the limit", () => {
    const moving = assessReadiness({
      store: { schemaVersion: LATEST_VERSION },
      sync: running,
      now: at + 60_000,
      syncStallMs: 120_000,
    });
    expect(moving.status).toBe("ready");
    const stalled = assessReadiness({
      store: { schemaVersion: LATEST_VERSION },
      sync: running,
      now: at + 180_000,
      syncStallMs: 120_000,
    });
    expect(stalled.status).toBe("not ready");
    expect(stalled.notReady).toEqual(["sync"]);
    expect(stalled.checks.sync.detail).toBe(
      "sync stalled: no progress for 180 s (at issues fleetdm/fleet 4/9), more than 120 s; is GitHub answering?",
    );
  });
});
