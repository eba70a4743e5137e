// Graceful shutdown for the long-running commands (`serve`, `preview`): on SIGTERM or SIGINT,
// run the stop steps in order, then exit 0; if they have not finished by the deadline, say which
// step is still running and exit 1. Docker (`docker stop`) and Kubernetes send SIGTERM and kill
// after 10 s (Docker's default), so the deadline leaves a second for the exit itself.
// A second signal does not cut the steps short: under `npx` or `npm run`, npm forwards the
// terminal's Ctrl-C to a process that has already received it, so two signals are routine.
// The store's lock is released on exit in any case (store/lock.ts).
// The deadline is a timer on the main thread, and a blocked main thread cannot run it (the
// logger flushing into a stdout nobody reads blocks inside process.exit). So a watchdog thread,
// started with the first signal, kills the process half a second after the deadline.
import { Worker } from "node:worker_threads";

export const SHUTDOWN_DEADLINE_MS = 9_000;

export interface ShutdownStep {
  /** What the step stops, as said when it is the one still running at the deadline. */
  name: string;
  /** Gets the signal's name (why it stops). */
  run: (signal: string) => Promise<unknown>;
}

export interface ShutdownOptions {
  steps: ShutdownStep[];
  deadlineMs?: number;
  /** One line for a person or a log: where shutdown is. */
  say: (message: string, fields?: Record<string, unknown>) => void;
  exit?: (code: number) => void;
  now?: () => number;
}

/** Stops on the first SIGTERM or SIGINT; returns the function the signals call (for tests). */
export function exitOnSignals(options: ShutdownOptions): (signal: string) => Promise<void> {
  const stop = shutdown(options);
  let watching = false;
  const onSignal = (signal: string) => {
    if (!watching) {
      watching = true;
      watchdog((options.deadlineMs ?? SHUTDOWN_DEADLINE_MS) + 500);
    }
    return stop(signal);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    process.on(signal, () => void onSignal(signal));
  return onSignal;
}

/** Kills this process after `ms`, from a thread of its own: the last resort of the deadline. */
function watchdog(ms: number): void {
  const worker = new Worker(
    `const { workerData } = require("node:worker_threads");
     setTimeout(() => process.kill(workerData.pid, "SIGKILL"), workerData.ms);`,
    // No inherited flags: `--input-type=module` would make this CommonJS code a module.
    { eval: true, execArgv: [], workerData: { pid: process.pid, ms } },
  );
  // It must not keep a process that has finished stopping alive.
  worker.unref();
}

export function shutdown(options: ShutdownOptions): (signal: string) => Promise<void> {
  const deadlineMs = options.deadlineMs ?? SHUTDOWN_DEADLINE_MS;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const now = options.now ?? (() => performance.now());
  let running: Promise<void> | undefined;
  let current = "starting";
  let startedAt = 0;
  return (signal: string) => {
    if (running) {
      const left = Math.max(0, deadlineMs - (now() - startedAt)) / 1000;
      options.say(
        `${signal} again: still stopping (${current}); exiting within ${left.toFixed(1)} s`,
      );
      return running;
    }
    startedAt = now();
    options.say(`${signal}: stopping`, { signal });
    const deadline = setTimeout(() => {
      options.say(
        `shutdown did not finish within ${deadlineMs / 1000} s (still stopping: ${current}); exiting with code 1`,
        { signal, pending: current },
      );
      exit(1);
    }, deadlineMs);
    running = (async () => {
      for (const step of options.steps) {
        current = step.name;
        try {
          await step.run(signal);
        } catch (err) {
          options.say(`stopping ${step.name} failed: ${(err as Error).message}`, {
            step: step.name,
          });
        }
      }
      clearTimeout(deadline);
      const ms = Math.round(now() - startedAt);
      options.say(`stopped in ${(ms / 1000).toFixed(2)} s`, { signal, shutdownMs: ms });
      exit(0);
    })();
    return running;
  };
}
