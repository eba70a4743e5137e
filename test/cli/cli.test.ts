import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLE, ROOT } from "../support/app.js";
import { bosun, bosunBackground, E2E_TIMEOUT_MS, tempDir } from "../support/cli.js";
import { eventually } from "../support/eventually.js";

const dirs: string[] = [];
const fresh = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("bosun CLI", () => {
  it("--help lists the commands with examples", () => {
    const r = bosun(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["config", "serve", "plan", "why", "preview", "emulator", "Examples:"])
      expect(r.stdout).toContain(c);
  });

  it("an unknown command is a one-line error with exit code 2", () => {
    const r = bosun(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it("config check passes the example and prints a one-screen summary", () => {
    const r = bosun(["config", "check", "bosun.example.yml"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").length).toBeLessThanOrEqual(26);
    expect(r.stdout).toMatch(/Repositories\s+fleet, confidential/);
    expect(r.stdout).toMatch(/next RC cut\s+\d{4}-\d{2}-\d{2} 08:00 -0[78]:00/);
  });

  it("config check --json gives the summary as data", () => {
    const r = bosun(["config", "check", "bosun.example.yml", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, summary: { organisation: "fleetdm" } });
  });

  it("config check names file:line:column and key of each problem and exits 1", () => {
    const file = path.join(ROOT, "test/fixtures/config/broken-mode.yml");
    const r = bosun(["config", "check", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken-mode\.yml:\d+:\d+ releaseTrain\.mode/);
  });

  it("a missing configuration file is a clear error", () => {
    const r = bosun(["config", "check", "nope.yml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nope.yml");
  });

  it("an invalid bosun.yml never starts the server and writes nothing", () => {
    const data = path.join(fresh(), "store");
    const r = bosun(["serve", "--config", "test/fixtures/config/broken-mode.yml", "--port", "0"], {
      BOSUN_DATA_DIR: data,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken-mode\.yml:\d+:\d+ releaseTrain\.mode/);
    expect(existsSync(data)).toBe(false);
  });

  it("why with an empty target exits 2 with a message, and leaves no store behind", () => {
    const data = path.join(fresh(), "store");
    for (const target of ["", "   "]) {
      const r = bosun(["why", target, "--config", EXAMPLE], { BOSUN_DATA_DIR: data });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/target must not be empty/);
    }
    expect(existsSync(data)).toBe(false);
  });

  it("flags checked against the configuration exit 2 before a store is created", () => {
    const data = path.join(fresh(), "store");
    const cases: [string[], RegExp][] = [
      [["deploy", "check", "--env", "prod", "--image", "x:v1"], /--env: no environment "prod"/],
      [
        ["deploy", "check", "--env", "dogfood", "--image", "x:v1", "--at", "soon"],
        /--at: "soon" is not an instant/,
      ],
      [["deploy", "record", "--env", "prod", "--image", "x:v1"], /--env: no environment "prod"/],
      [["kpi", "--as-of", "last week"], /--as-of: not a date: "last week"/],
    ];
    for (const [args, message] of cases) {
      const r = bosun([...args, "--config", EXAMPLE], { BOSUN_DATA_DIR: data });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(data)).toBe(false);
  });

  it("plan without --dry-run says how to get a plan", () => {
    const r = bosun(["plan", "--config", EXAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--dry-run");
  });

  it("plan --dry-run prints the plan from the embedded store", () => {
    const data = fresh();
    const r = bosun(["plan", "--dry-run", "--config", EXAMPLE], { BOSUN_DATA_DIR: data });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("dry run");
    expect(r.stdout).toContain("not synced yet");
    const json = bosun(["plan", "--dry-run", "--json", "--config", EXAMPLE], {
      BOSUN_DATA_DIR: data,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({ effects: [], observations: expect.any(Array) });
  });

  it("plan --at rejects what is not an instant", () => {
    const r = bosun(["plan", "--dry-run", "--at", "next tuesday", "--config", EXAMPLE], {
      BOSUN_DATA_DIR: fresh(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--at");
  });

  it("why explains when Bosun has done nothing", () => {
    const r = bosun(["why", "fleet#1", "--config", EXAMPLE], { BOSUN_DATA_DIR: fresh() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("has done nothing to fleet#1");
  });

  it("serve locks the embedded store: the CLI reads through it, a second server is refused", async () => {
    const data = fresh();
    const server = bosunBackground(
      ["serve", "--config", EXAMPLE, "--port", "0", "--offline"],
      { BOSUN_DATA_DIR: data },
      /at (http:\/\/127\.0\.0\.1:\d+)/,
    );
    try {
      const [, url] = await server.started;
      const health = await fetch(`${url}/healthz`).then((r) => r.json());
      expect(health).toMatchObject({ status: "ok", store: { backend: "pglite" } });

      const why = bosun(["why", "#1", "--json", "--config", EXAMPLE], { BOSUN_DATA_DIR: data });
      expect(why.stderr).toBe("");
      expect(JSON.parse(why.stdout)).toEqual([]);

      const second = bosun(["serve", "--config", EXAMPLE, "--port", "0", "--offline"], {
        BOSUN_DATA_DIR: data,
      });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/in use by .*bosun serve.*pid \d+/);
    } finally {
      await server.stop();
    }
    expect(readdirSync(data)).not.toContain("bosun.lock");
  });
});

describe("bosun emulator", () => {
  it("serves a generated organisation that any GitHub client can read", async () => {
    const emu = bosunBackground(
      ["emulator", "--port", "0", "--size", "60", "--seed", "4", "--no-activity"],
      {},
      /GitHub emulator: (http:\/\/127\.0\.0\.1:\d+)/,
    );
    try {
      const [, url] = await emu.started;
      const issues = (await fetch(`${url}/repos/fleetdm/fleet/issues?state=all&per_page=5`).then(
        (r) => r.json(),
      )) as unknown[];
      expect(issues).toHaveLength(5);
    } finally {
      await emu.stop();
    }
  });

  it("refuses a size it cannot generate", () => {
    const r = bosun(["emulator", "--size", "-3"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("count from 0 to 100000");
  });
});

describe("bosun serve against GitHub (the emulator)", () => {
  it(
    "syncs with a token, takes signed webhooks, and reports it all on /api/status",
    async () => {
      const { startEmulator } = await import("../../emulator/index.js");
      const { readFileSync, writeFileSync } = await import("node:fs");
      const emu = await startEmulator({ size: 80, seed: 6 });
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
      const server = bosunBackground(
        ["serve", "--config", config, "--port", "0", "--dry-run"],
        {
          BOSUN_DATA_DIR: path.join(dir, "store"),
          GITHUB_TOKEN: "test-token",
          BOSUN_WEBHOOK_SECRET: "s3cret",
        },
        /at (http:\/\/127\.0\.0\.1:\d+)/,
      );
      try {
        const [, url] = await server.started;
        expect(server.output()).toContain(`GitHub     ${emu.url} as a token, dry run`);
        const status = await eventually(
          async () =>
            (await fetch(`${url}/api/status`).then((r) => r.json())) as {
              repositories: { synced: boolean; issues: number }[];
            },
          (s) => s.repositories.every((r) => r.synced),
          { what: "every repository synced" },
        );
        expect(status.repositories.reduce((n, r) => n + r.issues, 0)).toBeGreaterThan(0);
        const unsigned = await fetch(`${url}/webhooks/github`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "ping",
            "x-github-delivery": "d1",
          },
          body: "{}",
        });
        expect(unsigned.status).toBe(401);
        // Dry run: nothing was written to GitHub. GraphQL queries (reviews) are reads; its only
        // writes, board moves, need a board in the configuration.
        const writes = Object.entries(emu.admin.requests().byEndpoint).filter(
          ([k]) => !k.startsWith("GET ") && k !== "POST /graphql",
        );
        expect(writes).toEqual([]);
      } finally {
        await server.stop();
        await emu.close();
      }
    },
    E2E_TIMEOUT_MS,
  );
});

describe("bosun preview", () => {
  it(
    "R49: one command, no token: a generated organisation, synced, served, with webhooks from the emulator",
    async () => {
      const data = fresh();
      const preview = bosunBackground(
        ["preview", "--size", "150", "--seed", "3", "--port", "0", "--emulator-port", "0"],
        { BOSUN_DATA_DIR: data },
        /^Ready: dashboard (http:\/\/127\.0\.0\.1:\d+)\/ · GitHub emulator (http:\/\/127\.0\.0\.1:\d+)/m,
      );
      try {
        const [, dashboard, emulator] = await preview.started;
        const status = (await fetch(`${dashboard}/api/status`).then((r) => r.json())) as {
          repositories: {
            fullName: string;
            synced: boolean;
            issues: number;
            pullRequests: number;
          }[];
        };
        // Ready is printed only once the first full sync is in the store.
        expect(status.repositories.map((r) => r.synced)).toEqual([true, true]);
        const total = status.repositories.reduce((n, r) => n + r.issues + r.pullRequests, 0);
        expect(total).toBe(150);
        // Live activity arrives as signed webhooks and lands in the store.
        await fetch(`${emulator}/_emulator/activity/steps`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ count: 3 }),
        });
        const deliveries = await eventually(
          async () => {
            const s = (await fetch(`${dashboard}/api/status`).then((r) => r.json())) as {
              counts: Record<string, number>;
            };
            return s.counts.webhook_deliveries ?? 0;
          },
          (n) => n > 0,
          { what: "a webhook delivery stored" },
        );
        expect(deliveries).toBeGreaterThan(0);
        const page = await fetch(`${dashboard}/`).then((r) => r.text());
        expect(page).toContain("fleetdm/fleet");
      } finally {
        await preview.stop();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
