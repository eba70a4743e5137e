// `bosun kpi` as a user runs it (the compiled CLI): a synced embedded store, each format, and
// the one-line refusals.
import { spawn } from "node:child_process";
import path from "node:path";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultOrgSpec, type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { kpiReport } from "../../src/api/kpi.js";
import { syncRepository } from "../../src/github/sync.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import type { KpiView } from "../../src/rules/kpi/index.js";
import { openStore } from "../../src/store/index.js";
import { EXAMPLE, exampleConfig, testServer } from "../support/app.js";
import { BIN, bosun, tempDir } from "../support/cli.js";
import { emulatorClient } from "../support/github.js";

const AS_OF = "2026-01-12"; // a Monday: 09:00 PST that day

/** The CLI without blocking this process, which serves the server it talks to. */
function bosunAsync(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: "", BOSUN_SERVER: "", BOSUN_CONFIG: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("bosun kpi", () => {
  let emu: RunningEmulator;
  let synced: string;
  let config: HandbookConfig;
  let expected: KpiView;

  beforeAll(async () => {
    config = await exampleConfig();
    emu = await startEmulator({
      size: 300,
      seed: 8,
      org: defaultOrgSpec(new Date("2026-03-01T00:00:00Z")),
    });
    synced = tempDir("bosun-kpi-");
    const store = await openStore({ dataDir: synced });
    try {
      const client = emulatorClient(emu.url, store);
      for (const repo of ["fleetdm/fleet", "fleetdm/confidential"])
        await syncRepository({ client, store }, repo);
      expected = await kpiReport(store, config, Temporal.Now.instant(), AS_OF);
    } finally {
      await store.close();
    }
  }, 120_000);

  afterAll(async () => {
    await emu?.close();
  });

  const run = (args: string[], dir = synced) =>
    bosun(["kpi", "--config", EXAMPLE, ...args], { BOSUN_DATA_DIR: dir });

  it("R2: --format csv prints the 20 figures on one line, nothing else", () => {
    const r = run(["--as-of", AS_OF, "--format", "csv"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${expected.csv}\n`);
    expect(r.stdout.trimEnd().split(",")).toHaveLength(20);
  });

  it("R2: --format json has asOf, repositories and the 20 columns as {name, value}", () => {
    const r = run(["--as-of", AS_OF, "--format", "json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as KpiView;
    expect(json.asOf).toBe("2026-01-12T17:00:00Z");
    expect(json.repositories).toEqual(["fleetdm/fleet"]);
    expect(json.columns.map((c) => [c.name, c.value])).toEqual(
      expected.columns.map((c) => [c.name, c.value]),
    );
  });

  it("R2: the table and markdown formats, and --compat script", () => {
    const table = run(["--as-of", AS_OF]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("KPI report as of 2026-01-12T17:00:00Z (exact): fleetdm/fleet");
    expect(table.stdout).toContain(`CSV: ${expected.csv}`);
    const md = run(["--as-of", AS_OF, "--format", "markdown"]);
    expect(md.stdout).toContain("| 18 | Open bugs |");
    const script = run(["--as-of", AS_OF, "--compat", "script", "--format", "json"]);
    expect((JSON.parse(script.stdout) as KpiView).mode).toBe("script");
  });

  it("R2: a date that cannot be parsed, or before the repository existed: one line, exit 2", () => {
    for (const [date, message] of [
      ["31/12/2025", '--as-of: not a date: "31/12/2025"'],
      ["2019-06-01", "is before the repositories existed"],
    ]) {
      const r = run(["--as-of", date!]);
      expect(r.code, date).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n"), date).toHaveLength(1);
      expect(r.stderr).toContain(message);
    }
    expect(run(["--format", "xml"]).code).toBe(2);
    expect(run(["--compat", "sheet"]).code).toBe(2);
  });

  it("R2: a store that has never synced: one line, exit 1", () => {
    const r = run([], path.join(tempDir("bosun-kpi-empty-"), "store"));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("bosun: the store has never synced fleetdm/fleet");
  });

  it("R2: --server reads a running server's store, with the same refusals", async () => {
    const server = await testServer();
    try {
      const url = await server.app.listen({ port: 0, host: "127.0.0.1" });
      const notSynced = await bosunAsync(["kpi", "--server", url]);
      expect(notSynced.code).toBe(1);
      expect(notSynced.stderr).toMatch(/^bosun: the store has never synced fleetdm\/fleet: /);
      const badDate = await bosunAsync(["kpi", "--server", url, "--as-of", "yesterday"]);
      expect(badDate.code).toBe(2);
      expect(badDate.stderr).toMatch(/^bosun: --as-of: not a date: "yesterday"/);
    } finally {
      await server.close();
    }
  });
});
