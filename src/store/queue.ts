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
}

export interface DeliveryQueue {
  /**
   * Adds a job per delivery, unless one exists already. Calls arriving while an insert is
   * in flight are batched into the next one, so a burst costs few statements.
   */
  enqueue(deliveries: readonly PendingDelivery[]): Promise<void>;
  /** Runs this process's worker: handler gets delivery ids, in batches; one worker per queue. */
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
  boss.on("error", onError);
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
  return new PgBossDeliveryQueue(boss, sql, options, onError);
}

class PgBossDeliveryQueue implements DeliveryQueue {
  private readonly batchSize: number;
  private workerId: string | undefined;
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
      if (!this.inserting) this.inserting = this.insertWaiting();
    });
  }

  /** Inserts what is waiting, then what arrived meanwhile, until nothing waits. */
  private async insertWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
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
        if (this.workerId) this.boss.notifyWorker(this.workerId);
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    }
    this.inserting = null;
  }

  async work(handler: (deliveryIds: string[]) => Promise<void>): Promise<void> {
    if (this.workerId) throw new Error(`a worker for ${DELIVERY_QUEUE} already runs here`);
    this.workerId = await this.boss.work<{ deliveryId: string }>(
      DELIVERY_QUEUE,
      {
        batchSize: this.batchSize,
        pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
      },
      async (jobs) => {
        // Jobs fetched while stopping go back to the queue (failed jobs are retried).
        if (this.stopping) throw new Error("the webhook worker is stopping");
        await handler(jobs.map((job) => job.data.deliveryId));
        // A full batch means more may be waiting: fetch again without the polling pause.
        if (jobs.length === this.batchSize && this.workerId) {
          this.boss.notifyWorker(this.workerId);
        }
      },
    );
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.inserting?.catch(() => {});
    try {
      await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
    } catch (error) {
      this.onError(error as Error);
    }
    // pg-boss returns before a worker's last fetch settles; the store must not close under it.
    await this.sql.idle(10_000);
  }
}

/** pg-boss's `db` adapter over the store's driver, counting statements in flight. */
class TrackedSql {
  private active = 0;
  private onIdle: (() => void)[] = [];

  constructor(private readonly db: Db) {}

  async executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
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

  idle(timeoutMs: number): Promise<void> {
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
