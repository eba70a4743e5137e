// The job queue that carries webhook deliveries from the endpoint to the worker: pg-boss on
// the store's own database (ADR 0008). The endpoint stores a delivery first (one INSERT) and
// enqueues it afterwards; the worker sweeps unprocessed deliveries into the queue when it
// starts and periodically, so a crash between storing and enqueueing loses nothing. Job ids
// are derived from (delivery id, retries), which makes every enqueue idempotent: the endpoint
// and any number of sweeping workers may enqueue the same delivery, it gets one job.
//
// pg-boss talks to the database only through `executeSql`, which this module implements on
// the store's driver, so PGlite works as well as PostgreSQL and no other module issues SQL.
import { createHash } from "node:crypto";
import type PgBoss from "pg-boss";
import type { Db } from "./db.js";
import type { PendingDelivery } from "./types.js";

export const DELIVERY_QUEUE = "github-webhook-deliveries";

export interface DeliveryQueueOptions {
  /** Errors pg-boss meets on its own timers (polling, maintenance). Default: stderr. */
  onError?: (error: Error) => void;
  /** Jobs a worker takes per fetch. */
  batchSize?: number;
  /** How often an idle worker polls the database; a local enqueue wakes it at once. */
  pollingIntervalSeconds?: number;
  /**
   * How long an enqueue waits for others to share its insert. Under a burst this turns one
   * statement per delivery into one per few milliseconds; it delays processing, not answers.
   */
  gatherMs?: number;
}

export interface DeliveryQueue {
  /**
   * Adds a job per delivery, unless one exists already. Calls arriving while an insert is
   * in flight are batched into the next one, so a burst costs few statements.
   */
  enqueue(deliveries: readonly PendingDelivery[]): Promise<void>;
  /**
   * Runs this process's worker: handler gets delivery ids, in batches; one worker per queue.
   * When the handler throws, the batch's jobs fail and pg-boss retries them later.
   */
  work(handler: (deliveryIds: string[]) => Promise<void>): Promise<void>;
  /** Stops the worker and pg-boss's timers and waits for their statements; the store stays open. */
  stop(): Promise<void>;
}

/** The pg-boss schema beside a store: `bosun_queue` for `public`, `<schema>_queue` otherwise. */
export function queueSchemaFor(storeSchema: string): string {
  return storeSchema === "public" ? "bosun_queue" : `${storeSchema}_queue`;
}

/** A job id (a UUID, as pg-boss requires) that is the same whoever enqueues the delivery. */
export function deliveryJobId(delivery: PendingDelivery): string {
  const hex = createHash("sha256")
    .update(`bosun-webhook-delivery:${delivery.deliveryId}#${delivery.retries}`)
    .digest("hex");
  // Shaped as an RFC 4122 name-based UUID (version 5 nibble, variant bits).
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function openDeliveryQueue(
  db: Db,
  options: DeliveryQueueOptions = {},
): Promise<DeliveryQueue> {
  const { default: PgBossClass } = await import("pg-boss");
  const sql = new TrackedSql(db);
  const { rows } = await db.query<{ schema: string }>("SELECT current_schema() AS schema");
  const boss = new PgBossClass({
    db: sql,
    schema: queueSchemaFor(rows[0]?.schema ?? "public"),
    // Bosun schedules its own work; pg-boss's cron clock would only add queries.
    schedule: false,
    supervise: true,
    migrate: true,
  });
  const onError =
    options.onError ??
    ((error: Error) => process.stderr.write(`bosun: webhook queue: ${error.message}\n`));
  // After stop, statements are refused (see TrackedSql) and what pg-boss reports of that is noise.
  boss.on("error", (error: Error) => {
    if (!sql.closed) onError(error);
  });
  // pg-boss creates its schema with CREATE SCHEMA IF NOT EXISTS, which two processes starting
  // together on a fresh database both run, and one dies of a duplicate key in pg_namespace.
  await db.withSetupLock(async () => {
    await boss.start();
    await boss.createQueue(DELIVERY_QUEUE, {
      name: DELIVERY_QUEUE,
      policy: "standard",
      // A job fails only when the database does (a bad payload is recorded on the delivery and
      // the job completes), so retries wait for the database to come back.
      retryLimit: 10,
      retryDelay: 5,
      retryBackoff: true,
      // A worker that dies mid-job leaves it active; after this it is handed out again.
      expireInSeconds: 300,
    });
  });
  return new PgBossDeliveryQueue(boss, sql, options, onError);
}

class PgBossDeliveryQueue implements DeliveryQueue {
  private readonly batchSize: number;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private stopping = false;
  private waiting: PendingDelivery[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private inserting: Promise<void> | null = null;

  constructor(
    private readonly boss: PgBoss,
    private readonly sql: TrackedSql,
    private readonly options: DeliveryQueueOptions,
    private readonly onError: (error: Error) => void,
  ) {
    this.batchSize = options.batchSize ?? 25;
  }

  enqueue(deliveries: readonly PendingDelivery[]): Promise<void> {
    if (deliveries.length === 0) return Promise.resolve();
    if (this.stopping) return Promise.reject(new Error("the webhook queue is stopping"));
    return new Promise((resolve, reject) => {
      this.waiting.push(...deliveries);
      this.waiters.push({ resolve, reject });
      this.inserting ??= this.insertWaiting();
    });
  }

  /** Inserts what is waiting, then what arrived meanwhile, until nothing waits. */
  private async insertWaiting(): Promise<void> {
    const gatherMs = this.options.gatherMs ?? 5;
    while (this.waiting.length > 0) {
      if (gatherMs > 0) await new Promise((resolve) => setTimeout(resolve, gatherMs));
      const batch = this.waiting;
      const waiters = this.waiters;
      this.waiting = [];
      this.waiters = [];
      try {
        await this.boss.insert(
          batch.map((d) => ({
            name: DELIVERY_QUEUE,
            id: deliveryJobId(d),
            data: { deliveryId: d.deliveryId },
          })),
        );
        for (const w of waiters) w.resolve();
        this.wake?.();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    }
    this.inserting = null;
  }

  /**
   * Fetches, runs the handler, completes (or fails, for a retry) each batch, all awaited:
   * pg-boss's own work() loop leaves completions unawaited, which would outlive stop() and
   * meet a closed store.
   */
  async work(handler: (deliveryIds: string[]) => Promise<void>): Promise<void> {
    if (this.loop) throw new Error(`a worker for ${DELIVERY_QUEUE} already runs here`);
    this.loop = this.runLoop(handler);
  }

  private async runLoop(handler: (deliveryIds: string[]) => Promise<void>): Promise<void> {
    const pollingMs = (this.options.pollingIntervalSeconds ?? 2) * 1000;
    while (!this.stopping) {
      let fetched = 0;
      try {
        const jobs = await this.boss.fetch<{ deliveryId: string }>(DELIVERY_QUEUE, {
          batchSize: this.batchSize,
        });
        fetched = jobs.length;
        if (fetched > 0) {
          const ids = jobs.map((job) => job.id);
          try {
            await handler(jobs.map((job) => job.data.deliveryId));
            await this.boss.complete(DELIVERY_QUEUE, ids);
          } catch (error) {
            this.onError(error as Error);
            await this.boss.fail(DELIVERY_QUEUE, ids);
          }
        }
      } catch (error) {
        this.onError(error as Error);
      }
      // A full batch means more may be waiting: fetch again at once; otherwise wait for an
      // enqueue here to wake the loop, or for the polling interval (work enqueued elsewhere).
      if (fetched < this.batchSize && !this.stopping) await this.sleep(pollingMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake?.();
    await this.inserting?.catch(() => {});
    // The batch in hand is finished (and completed) before the loop ends.
    await this.loop;
    try {
      await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
    } catch (error) {
      this.onError(error as Error);
    }
    // pg-boss returns before its last statements settle (a maintenance step); the store
    // must not close under them, nor see new ones.
    await this.sql.close(10_000);
  }
}

/**
 * pg-boss's `db` adapter over the store's driver. It counts statements in flight, and once
 * closed refuses new ones, so stopping the queue leaves the store free to close.
 */
class TrackedSql {
  closed = false;
  private active = 0;
  private onIdle: (() => void)[] = [];

  constructor(private readonly db: Db) {}

  async executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    if (this.closed) throw new Error("the webhook queue is stopped");
    this.active++;
    try {
      // pg-boss sends its schema scripts ("BEGIN; ...; COMMIT;") without parameters; PGlite
      // runs several statements only through exec, which returns no rows (none are needed).
      if ((!values || values.length === 0) && /^\s*BEGIN\s*;/i.test(text)) {
        await this.db.exec(text);
        return { rows: [] };
      }
      return await this.db.query(text, values ?? []);
    } finally {
      this.active--;
      if (this.active === 0) for (const resolve of this.onIdle.splice(0)) resolve();
    }
  }

  /** Refuses new statements and waits (up to timeoutMs) for those in flight. */
  close(timeoutMs: number): Promise<void> {
    this.closed = true;
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.onIdle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
