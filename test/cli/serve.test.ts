// `bosun serve` as a container runs it: what it says when its environment is incomplete, and
// how it stops on SIGTERM (docker stop, Kubernetes) while it is working.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { FULL_SYNC } from "../../src/github/sync.js";
import { openStore } from "../../src/store/index.js";
import { EXAMPLE, ROOT } from "../support/app.js";
import { bosun, bosunBackground, tempDir } from "../support/cli.js";

const dirs: string[] = [];
const fresh = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
// Servers still running when a test gave up (a timeout) are stopped with the file.
const servers: ReturnType<typeof bosunBackground>[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const NO_CREDENTIALS = { GITHUB_TOKEN: "", GITHUB_APP_ID: "", GITHUB_APP_INSTALLATION_ID: "" };

describe("bosun serve: an incomplete environment is named, and nothing starts", () => {
  it("without GitHub credentials it names the variables to set and exits 2, writing nothing", () => {
    const data = path.join(fresh(), "store");
    const r = bosun(["serve", "--config", EXAMPLE, "--port", "0"], {
      ...NO_CREDENTIALS,
      BOSUN_DATA_DIR: data,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bosun: no GitHub credentials: set GITHUB_TOKEN /);
    for (const name of [
      "GITHUB_APP_ID",
      "GITHUB_APP_PRIVATE_KEY_FILE",
      "GITHUB_APP_INSTALLATION_ID",
      "--offline",
    ])
      expect(r.stderr).toContain(name);
    expect(r.stderr).not.toContain("    at ");
    expect(existsSync(data)).toBe(false);
  });

  it("without DATABASE_URL and a writable data folder it says how to give one and exits 2", () => {
    const file = path.join(fresh(), "not-a-folder");
    writeFileSync(file, "");
    const data = path.join(file, "data");
    const r = bosun(["serve", "--config", EXAMPLE, "--port", "0"], {
      GITHUB_TOKEN: "t",
      BOSUN_DATA_DIR: data,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`bosun: the data folder ${data} cannot be written (ENOTDIR)`);
    expect(r.stderr).toContain("set BOSUN_DATA_DIR to a writable folder");
    expect(r.stderr).toContain("mount a volume there");
    expect(r.stderr).toContain("or set DATABASE_URL");
  });

  it("an unreachable DATABASE_URL is named, without its password, exit 1", () => {
    const r = bosun(["serve", "--config", EXAMPLE, "--port", "0"], {
      GITHUB_TOKEN: "t",
      DATABASE_URL: "postgres://bosun:hunter2@127.0.0.1:1/bosun",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^bosun: cannot use the PostgreSQL database at DATABASE_URL \(postgres:\/\/bosun@127\.0\.0\.1:1\/bosun\)/,
    );
    expect(r.stderr).not.toContain("hunter2");
  });
});

/** A configuration pointing at the emulator, in a fresh folder. */
function configFor(emu: RunningEmulator): { dir: string; config: string } {
  const dir = fresh();
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

async function poll<T>(what: string, read: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM, then the exit code and how long the process took to exit. */
async function terminate(server: ReturnType<typeof bosunBackground>) {
  const exited = new Promise<number | null>((resolve) => server.child.on("exit", resolve));
  const started = performance.now();
  server.child.kill("SIGTERM");
  const code = await exited;
  return { code, ms: performance.now() - started };
}

describe("bosun serve: SIGTERM while working", () => {
  it("during the first sync: stops after the current page, releases the store, exits 0 within 10 s", async () => {
    const emu = await startEmulator({ size: 400, seed: 5 });
    // Every read takes a while, so the first sync is surely running when the signal comes.
    emu.admin.addFault({ kind: "slow", path: "^GET ", delayMs: 150 });
    const { dir, config } = configFor(emu);
    const data = path.join(dir, "store");
    const server = bosunBackground(
      ["serve", "--config", config, "--port", "0", "--dry-run"],
      { GITHUB_TOKEN: "t", BOSUN_DATA_DIR: data, BOSUN_WEBHOOK_SECRET: "s", LOG_LEVEL: "info" },
      /at (http:\/\/127\.0\.0\.1:\d+)/,
    );
    servers.push(server);
    try {
      const [, url] = await server.started;
      const detail = await poll("the first sync to run", async () => {
        const r = (await fetch(`${url}/readyz`).then((r) => r.json())) as {
          checks: { sync: { detail: string } };
        };
        return r.checks.sync.detail.startsWith("first sync running")
          ? r.checks.sync.detail
          : undefined;
      });
      expect(existsSync(path.join(data, "bosun.lock"))).toBe(true);
      const { code, ms } = await terminate(server);
      console.log(
        `serve: SIGTERM during the first sync (${detail}): exited in ${(ms / 1000).toFixed(2)} s`,
      );
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
      expect(server.output()).toMatch(/"msg":"stopped in \d+\.\d\d s"/);
      expect(existsSync(path.join(data, "bosun.lock"))).toBe(false);
      // The store opens again at once (the lock is gone); the full sync resumes next start.
      const store = await openStore({ dataDir: data });
      try {
        expect((await store.getCursor("fleetdm/fleet", FULL_SYNC))?.cursor).not.toBe("complete");
      } finally {
        await store.close();
      }
    } finally {
      await server.stop();
      await emu.close();
    }
  }, 180_000);

  it("while applying effects: finishes the effect in hand, leaves none claimed, exits 0 within 10 s", async () => {
    const emu = await startEmulator({ size: 120, seed: 8 });
    // Writes take a while (and Bosun spaces them a second apart, as GitHub asks).
    emu.admin.addFault({ kind: "slow", path: "^(POST|PATCH|PUT|DELETE) ", delayMs: 300 });
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
      await poll("a first effect applied", async () => {
        const s = (await fetch(`${url}/api/status`).then((r) => r.json())) as {
          recent: { status: string }[];
        };
        return s.recent.some((e) => e.status === "applied") ? true : undefined;
      });
      const { code, ms } = await terminate(server);
      console.log(`serve: SIGTERM while applying effects: exited in ${(ms / 1000).toFixed(2)} s`);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
      expect(existsSync(path.join(data, "bosun.lock"))).toBe(false);
      const store = await openStore({ dataDir: data });
      try {
        const audit = await store.listAudit({ limit: 1000 });
        expect(audit.filter((e) => e.status === "applied").length).toBeGreaterThan(0);
        expect(audit.filter((e) => e.status === "claimed")).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await server.stop();
      await emu.close();
    }
  }, 180_000);
});
