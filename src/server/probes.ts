// The two probes a supervisor asks (Docker's HEALTHCHECK, Kubernetes, a load balancer):
// `GET /healthz`, the process is alive and answering; `GET /readyz`, it is ready for work:
// the store is open, its migrations are done and the first sync has finished. A process that
// is alive but not ready (a first full sync of a large organisation takes minutes) must not be
// restarted, only kept out of rotation, so the two answer separately.
import type { FastifyInstance } from "fastify";
import type { DataSource } from "../api/views.js";
import type { SyncStateView } from "../runtime/sync-state.js";
import { LATEST_VERSION } from "../store/index.js";

export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  status: "ready" | "not ready";
  /** The names of the checks that are not ok, e.g. `["sync"]`. */
  notReady: string[];
  checks: {
    store: ReadinessCheck;
    migrations: ReadinessCheck;
    sync: ReadinessCheck;
    running: ReadinessCheck;
  };
}

export interface Probes {
  /** `/healthz`: cheap, never waits for GitHub or a sync. */
  health(): Promise<Record<string, unknown>>;
  readiness(): Promise<Readiness>;
}

export interface ReadinessInput {
  /** The store answered (with its schema version), or the error it gave. */
  store: { schemaVersion: number } | { error: string };
  /** The sync's state, or "off" when this process has no GitHub credentials. */
  sync: SyncStateView | "off";
  /** Set once shutdown began: the process finishes what it holds and takes nothing new. */
  stopping?: string;
  /** Now, in epoch milliseconds, to measure a running sync's silence against. */
  now?: number;
  /** A running sync that made no progress for this long is stalled: not ready. Default 5 min. */
  syncStallMs?: number;
}

export const DEFAULT_SYNC_STALL_MS = 5 * 60_000;

/** Decides readiness from what the process knows; pure. */
export function assessReadiness(input: ReadinessInput): Readiness {
  const store: ReadinessCheck =
    "error" in input.store
      ? { ok: false, detail: `the store does not answer: ${input.store.error}` }
      : { ok: true, detail: "open" };
  const migrations: ReadinessCheck =
    "error" in input.store
      ? { ok: false, detail: "unknown until the store answers" }
      : input.store.schemaVersion >= LATEST_VERSION
        ? { ok: true, detail: `done (schema version ${input.store.schemaVersion})` }
        : {
            ok: false,
            detail: `schema version ${input.store.schemaVersion}, expected ${LATEST_VERSION}`,
          };
  const checks = {
    store,
    migrations,
    sync: stallCheck(input) ?? syncCheck(input.sync),
    running: input.stopping
      ? { ok: false, detail: `shutting down (${input.stopping})` }
      : { ok: true, detail: "taking work" },
  };
  const notReady = Object.entries(checks)
    .filter(([, c]) => !c.ok)
    .map(([name]) => name);
  return { status: notReady.length === 0 ? "ready" : "not ready", notReady, checks };
}

/**
 * A sync whose GitHub stopped answering stays "running"; without this the process would look
 * ready (or still busy with its first sync) for as long as it hangs.
 */
function stallCheck(input: ReadinessInput): ReadinessCheck | undefined {
  const sync = input.sync;
  if (sync === "off" || !sync.running || !sync.lastProgressAt || input.now === undefined)
    return undefined;
  const stallMs = input.syncStallMs ?? DEFAULT_SYNC_STALL_MS;
  const silentMs = input.now - Date.parse(sync.lastProgressAt);
  if (!(silentMs > stallMs)) return undefined;
  const where = sync.phase ? ` (at ${sync.phase} ${sync.done ?? 0}/${sync.total ?? "?"})` : "";
  return {
    ok: false,
    detail: `sync stalled: no progress for ${Math.round(silentMs / 1000)} s${where}, more than ${stallMs / 1000} s; is GitHub answering?`,
  };
}

function syncCheck(sync: SyncStateView | "off"): ReadinessCheck {
  if (sync === "off")
    return { ok: true, detail: "off: no GitHub credentials, serving the store as it is" };
  if (sync.lastSucceededAt)
    return { ok: true, detail: `first sync finished; last at ${sync.lastSucceededAt}` };
  if (sync.running) {
    const where = sync.phase && sync.total ? `: ${sync.phase} ${sync.done ?? 0}/${sync.total}` : "";
    return { ok: false, detail: `first sync running${where}` };
  }
  if (sync.lastError)
    return {
      ok: false,
      detail: `first sync failed: ${sync.lastError}; the next run resumes where it stopped`,
    };
  return { ok: false, detail: "first sync not started" };
}

/** Probes from the read API alone, for a server without a runtime (tests, tools). */
export function dataProbes(data: DataSource): Probes {
  return {
    health: async () => ({ store: (await data.status()).store }),
    readiness: async () => {
      try {
        const status = await data.status();
        return assessReadiness({
          store: { schemaVersion: status.store.schemaVersion },
          sync: status.sync,
        });
      } catch (err) {
        return assessReadiness({
          store: { error: (err as Error).message },
          sync: { running: false, runs: 0 },
        });
      }
    },
  };
}

export function registerProbeRoutes(app: FastifyInstance, probes: Probes): void {
  app.get("/healthz", async () => ({ status: "ok", ...(await probes.health()) }));
  app.get("/readyz", async (_req, reply) => {
    const readiness = await probes.readiness();
    reply.code(readiness.status === "ready" ? 200 : 503);
    return readiness;
  });
}
