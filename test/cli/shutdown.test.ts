// Issue #20, item 7: SIGTERM while a write hangs. Before requests could be abandoned, stopping
// waited for every write and its retries (432 s against a GitHub that never answered; 53 s
// during a 50-write run), past a container's grace period, and the process was killed.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type FaultSpec, type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { openStore } from "../../src/store/index.js";
import { EXAMPLE, ROOT } from "../support/app.js";
import { bosunBackground, E2E_TIMEOUT_MS, tempDir } from "../support/cli.js";

/** REST writes; POST /graphql carries the sync's reads (reviews) and must stay fast. */
const WRITES = "^(POST|PATCH|PUT|DELETE) (?!/graphql)";

const dirs: string[] = [];
const servers: ReturnType<typeof bosunBackground>[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function configFor(emu: RunningEmulator): { dir: string; config: string } {
  const dir = tempDir();
  dirs.push(dir);
  const config = path.join(dir, "bosun.yml");
  writeFileSync(
    config,
    readFileSync(EXAMPLE, "utf8")
      .replace(/^ {2}apiUrl: .*$/m, `  apiUrl: ${emu.url}`)
      .replace(
        /^ritualsFile: .*$/m,
        `ritualsFile: ${path.join(ROOT, "examples/engineering.rituals.yml")}`,
      ),
  );
  return { dir, config };
}

async function poll<T>(what: string, read: () => Promise<T | undefined>, ms = 150_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts serve against the emulator with `fault` on every write, SIGTERMs it mid-write. */
async function stopDuringWrite(fault: FaultSpec) {
  const emu = await startEmulator({ size: 120, seed: 8 });
  emu.admin.addFault(fault);
  const { dir, config } = configFor(emu);
  const data = path.join(dir, "store");
  const server = bosunBackground(
    ["serve", "--config", config, "--port", "0"],
    { GITHUB_TOKEN: "t", BOSUN_DATA_DIR: data, BOSUN_WEBHOOK_SECRET: "s", LOG_LEVEL: "info" },
    /at (http:\/\/127\.0\.0\.1:\d+)/,
  );
  servers.push(server);
  try {
    const [, url] = await server.started;
    // A claim in the audit log is a write under way (or waiting to retry).
    await poll("a write under way", async () => {
      const s = (await fetch(`${url}/api/status`).then((r) => r.json())) as {
        recent: { status: string }[];
      };
      return s.recent.some((e) => e.status === "claimed") ? true : undefined;
    });
    const exited = new Promise<number | null>((resolve) => server.child.on("exit", resolve));
    const started = performance.now();
    server.child.kill("SIGTERM");
    const code = await exited;
    const ms = performance.now() - started;
    const store = await openStore({ dataDir: data });
    try {
      const audit = await store.listAudit({ limit: 1000 });
      return {
        code,
        ms,
        claimed: audit.filter((e) => e.status === "claimed"),
        output: server.output(),
      };
    } finally {
      await store.close();
    }
  } finally {
    await server.stop();
    await emu.close();
  }
}

describe("bosun serve: SIGTERM while a write hangs", () => {
  it(
    "a write GitHub takes a minute to answer is abandoned: exit 0 within 10 s, no claim left",
    async () => {
      const r = await stopDuringWrite({
        kind: "slow",
        path: WRITES,
        delayMs: 60_000,
      });
      console.log(`serve: SIGTERM during a hanging write: exited in ${(r.ms / 1000).toFixed(2)} s`);
      expect(r.code, r.output).toBe(0);
      expect(r.ms).toBeLessThan(10_000);
      expect(r.claimed).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    "a write waiting out a secondary rate limit (retry-after 120) is abandoned: exit 0 within 10 s",
    async () => {
      const r = await stopDuringWrite({
        kind: "secondary-rate-limit",
        path: WRITES,
        status: 403,
        retryAfter: 120,
      });
      console.log(
        `serve: SIGTERM during a rate-limited write: exited in ${(r.ms / 1000).toFixed(2)} s`,
      );
      expect(r.code, r.output).toBe(0);
      expect(r.ms).toBeLessThan(10_000);
      expect(r.claimed).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );
});
