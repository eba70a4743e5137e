// An error raised on the server reaches the CLI as the same BosunError: RemoteData reads the
// code from the answer (no message parsing) and keeps the message byte for byte; the compiled
// CLI then exits with that code's exit code.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KpiInputError, KpiNotReadyError } from "../../src/api/kpi.js";
import { RitualInputError } from "../../src/api/rituals.js";
import { RemoteData } from "../../src/cli/remote.js";
import { BosunError, ERROR_CODES, type ErrorCode } from "../../src/errors.js";
import { DeployInputError } from "../../src/rules/deploy-guard/index.js";
import { testServer } from "../support/app.js";
import { BIN } from "../support/cli.js";

type Running = Awaited<ReturnType<typeof testServer>>;

/** What `call` rejects with, or a failure if it resolves. */
async function rejection(call: Promise<unknown>): Promise<BosunError> {
  try {
    await call;
  } catch (err) {
    return err as BosunError;
  }
  throw new Error("expected a rejection");
}

function bosunAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: "", BOSUN_SERVER: "", BOSUN_CONFIG: "" },
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("server errors in RemoteData", () => {
  let server: Running;
  let url: string;
  let remote: RemoteData;

  beforeAll(async () => {
    server = await testServer();
    url = await server.app.listen({ port: 0, host: "127.0.0.1" });
    remote = new RemoteData(url);
  });

  afterAll(async () => {
    await server?.close();
  });

  const cases: [
    string,
    ErrorCode,
    abstract new (...args: never) => Error,
    (d: RemoteData | Running["data"]) => Promise<unknown>,
  ][] = [
    [
      "a KPI report before the first sync",
      "not-ready",
      KpiNotReadyError,
      (d) => d.kpi(undefined, {}),
    ],
    ["an unreadable --as-of", "bad-input", KpiInputError, (d) => d.kpi("yesterday", {})],
    [
      "a calendar date that does not exist",
      "bad-input",
      BosunError,
      (d) => d.releaseCalendar({ from: "2026-13-01" }),
    ],
    [
      "a calendar range that runs backwards",
      "bad-input",
      BosunError,
      (d) => d.releaseCalendar({ from: "2026-12-01", to: "2026-11-01" }),
    ],
    [
      "an unknown deploy environment",
      "bad-input",
      DeployInputError,
      (d) => d.deployCheck({ environment: "prod", image: "fleetdm/fleet:v4.62.0" }),
    ],
    [
      "a branch recorded as deployed (R29)",
      "bad-input",
      DeployInputError,
      (d) => d.deployRecord({ environment: "dogfood", image: "fleetdm/fleet:main" }),
    ],
    [
      "a ritual date that does not exist",
      "bad-input",
      RitualInputError,
      (d) => d.rituals({ from: "2026-02-30" }),
    ],
    ["an unknown runbook", "not-found", RitualInputError, (d) => d.runbook("nope")],
    [
      "a plan at something that is not an instant",
      "bad-input",
      BosunError,
      (d) => d.plan("friday"),
    ],
  ];

  it.each(cases)("%s: the same code and message on both sides", async (_, code, Local, call) => {
    const thrown = await rejection(call(server.data));
    expect(thrown).toBeInstanceOf(Local);
    expect(thrown.code).toBe(code);
    const received = await rejection(call(remote));
    expect(received).toBeInstanceOf(BosunError);
    expect(received.code).toBe(code);
    expect(received.message).toBe(thrown.message);
  });

  it("the answer is { error, code } with the code's HTTP status", async () => {
    const res = await fetch(`${url}/api/runbooks/nope`);
    expect(res.status).toBe(ERROR_CODES["not-found"].http);
    const body = (await res.json()) as { error: string; code: string };
    expect(Object.keys(body).sort()).toEqual(["code", "error"]);
    expect(body.code).toBe("not-found");
    const route = await fetch(`${url}/api/nope`);
    expect(route.status).toBe(404);
    expect(await route.json()).toEqual({ error: "no route GET /api/nope", code: "not-found" });
  });

  it("a server-side failure is internal: 500, no message or stack trace of its own", async () => {
    const original = server.data.runbooks;
    server.data.runbooks = async () => {
      throw new Error("secret: connection string postgres://user:pw@db");
    };
    try {
      const res = await fetch(`${url}/api/runbooks`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain("secret");
      expect(text).not.toContain("    at ");
      const received = await rejection(remote.runbooks());
      expect(received.code).toBe("internal");
      expect(received.message).toMatch(
        /^the server failed to answer GET \/api\/runbooks \(request [^)]+\); its log has the details$/,
      );
    } finally {
      server.data.runbooks = original;
    }
  });

  it("the compiled CLI exits with the code's exit code and prints the message on one line", async () => {
    const calendar = await bosunAsync(["calendar", "--server", url, "--from", "2026-13-01"]);
    expect(calendar.code).toBe(ERROR_CODES["bad-input"].exit);
    expect(calendar.stderr).toBe('bosun: --from: "2026-13-01" is not a date in the calendar\n');
    const runbook = await bosunAsync(["runbook", "show", "nope", "--server", url]);
    expect(runbook.code).toBe(ERROR_CODES["not-found"].exit);
    expect(runbook.stderr).toMatch(/^bosun: no runbook "nope"; import one with .*\n$/);
    const deploy = await bosunAsync([
      "deploy",
      "check",
      "--server",
      url,
      "--env",
      "prod",
      "--image",
      "fleetdm/fleet:v4.62.0",
    ]);
    expect(deploy.code).toBe(2);
    expect(deploy.stderr).toBe(
      'bosun: --env: no environment "prod" in deployGuard.environments (configured: "dogfood")\n',
    );
  });
});

describe("RemoteData without a Bosun answer", () => {
  let old: Server;
  let url: string;

  beforeAll(async () => {
    // An older server: { error } without a code, so the status decides.
    old = createServer((req, res) => {
      const [status, body] = req.url?.startsWith("/api/kpi")
        ? [409, JSON.stringify({ error: "the store has never synced fleetdm/fleet" })]
        : req.url?.startsWith("/api/runbooks/")
          ? [404, JSON.stringify({ error: 'no runbook "x"' })]
          : [502, "Bad Gateway"];
      res.writeHead(status, { "content-type": "application/json" }).end(body);
    });
    await new Promise<void>((resolve) => old.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(old.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => old?.close(resolve));
  });

  it("an older server's answer still has a sensible code, from its status", async () => {
    const remote = new RemoteData(url);
    expect(await rejection(remote.kpi(undefined, {}))).toMatchObject({
      code: "not-ready",
      message: "the store has never synced fleetdm/fleet",
    });
    expect(await rejection(remote.runbook("x"))).toMatchObject({
      code: "not-found",
      message: 'no runbook "x"',
    });
    expect(await rejection(remote.status())).toMatchObject({
      code: "unavailable",
      message: `the Bosun server at ${url} (GET /api/status) answered 502: Bad Gateway`,
    });
  });

  it("a server that cannot be reached is unavailable (exit 1)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await rejection(new RemoteData(`http://127.0.0.1:${port}`).status());
    expect(err.code).toBe("unavailable");
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/^cannot reach the Bosun server at http:\/\/127\.0\.0\.1:\d+ \(/);
  });
});
