// Runs the compiled CLI as a user would (`npm test` rebuilds dist/ first).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./app.js";

export const BIN = path.join(ROOT, "bin", "bosun.js");

export function tempDir(prefix = "bosun-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function bosun(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "", BOSUN_SERVER: "", BOSUN_CONFIG: "", ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Bound for a spawned command's start: generous, for a loaded 2-core machine. */
export const START_WITHIN_MS = 150_000;
/** Test limit for an end-to-end test that starts processes and waits for them. */
export const E2E_TIMEOUT_MS = 300_000;

/** Starts a long-running command and resolves once its output matches `ready`. */
export function bosunBackground(args: string[], env: Record<string, string>, ready: RegExp) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: "",
      BOSUN_SERVER: "",
      BOSUN_CONFIG: "",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const started = new Promise<RegExpMatchArray>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(ready);
      if (m) resolve(m);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`exited ${code} before ready:\n${out}`)));
    setTimeout(
      () => reject(new Error(`not ready after ${START_WITHIN_MS / 1000} s:\n${out}`)),
      START_WITHIN_MS,
    ).unref();
  });
  return {
    child,
    started,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
