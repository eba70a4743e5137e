import { spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SHUTDOWN_DEADLINE_MS, shutdown } from "./shutdown.js";

afterEach(() => {
  vi.useRealTimers();
});

function harness(steps: { name: string; run: (signal: string) => Promise<unknown> }[]) {
  const said: string[] = [];
  const exits: number[] = [];
  const stop = shutdown({
    steps,
    say: (msg) => void said.push(msg),
    exit: (code) => void exits.push(code),
    now: () => Date.now(),
  });
  return { stop, said, exits };
}

describe("shutdown on a signal", () => {
  it("runs the steps in order, with the signal, and exits 0 saying how long it took", async () => {
    const order: string[] = [];
    const h = harness([
      { name: "server", run: async (signal) => void order.push(`server ${signal}`) },
      { name: "store", run: async () => void order.push("store") },
    ]);
    await h.stop("SIGTERM");
    expect(order).toEqual(["server SIGTERM", "store"]);
    expect(h.exits).toEqual([0]);
    expect(h.said[0]).toBe("SIGTERM: stopping");
    expect(h.said.at(-1)).toMatch(/^stopped in \d+\.\d\d s$/);
  });

  it("a failing step is reported and the next still runs", async () => {
    const h = harness([
      { name: "server", run: () => Promise.reject(new Error("boom")) },
      { name: "store", run: async () => undefined },
    ]);
    await h.stop("SIGINT");
    expect(h.said).toContain("stopping server failed: boom");
    expect(h.exits).toEqual([0]);
  });

  it("a second signal does not cut the steps short", async () => {
    let release = () => {};
    const h = harness([{ name: "server", run: () => new Promise<void>((r) => (release = r)) }]);
    const first = h.stop("SIGINT");
    void h.stop("SIGINT");
    expect(h.said[1]).toMatch(/^SIGINT again: still stopping \(server\); exiting within \d/);
    expect(h.exits).toEqual([]);
    release();
    await first;
    expect(h.exits).toEqual([0]);
  });

  it("past the deadline it names the step still running and exits 1", async () => {
    vi.useFakeTimers();
    const h = harness([{ name: "the store", run: () => new Promise(() => {}) }]);
    void h.stop("SIGTERM");
    await vi.advanceTimersByTimeAsync(SHUTDOWN_DEADLINE_MS - 1);
    expect(h.exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.exits).toEqual([1]);
    expect(h.said.at(-1)).toBe(
      "shutdown did not finish within 9 s (still stopping: the store); exiting with code 1",
    );
    // Docker and Kubernetes kill 10 s after SIGTERM: the deadline leaves time to exit.
    expect(SHUTDOWN_DEADLINE_MS).toBeLessThan(10_000);
  });
});

describe("the watchdog", () => {
  it("kills a process whose main thread is blocked past the deadline", async () => {
    // The compiled module (npm test builds dist/ first), in a process of its own.
    const shutdownJs = pathToFileURL(
      path.resolve(import.meta.dirname, "../../dist/src/cli/shutdown.js"),
    ).href;
    const script = `
      const { exitOnSignals } = await import(${JSON.stringify(shutdownJs)});
      exitOnSignals({
        deadlineMs: 300,
        say: (msg) => process.stderr.write(msg + "\\n"),
        steps: [{ name: "a blocked main thread", run: async () => {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
        } }],
      });
      setInterval(() => {}, 1000);
      process.stdout.write("ready\\n");`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    try {
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      child.kill("SIGTERM");
      expect(await exited).toBe("SIGKILL");
      expect(err).toContain("SIGTERM: stopping");
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 60_000);
});
