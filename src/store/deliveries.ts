// Webhook deliveries (`webhook_deliveries`): stored first, deduplicated by delivery id, then
// processed once from the job queue (queue.ts). The batched hot path (ingestDelivery) and
// processDelivery, which hands the caller a Store, are Store's own methods in store.ts; the
// SQL of both is here and in ingest-batch.ts.
import type { Db } from "./db.js";
import { Queries } from "./queries.js";
import { type DeliveryQueue, type DeliveryQueueOptions, openDeliveryQueue } from "./queue.js";
import { type DbRow, iso, isoOrNull, json, num, str, strOrNull, ts } from "./sql-values.js";
import type {
  DeliveryInput,
  DeliveryOutcome,
  DeliveryRow,
  DeliveryStats,
  PendingDelivery,
  RawDeliveryInput,
} from "./types.js";

/** What {@link toDelivery} reads. */
const DELIVERY_COLUMNS = `delivery_id, event, action, repository, received_at, processed_at, error,
  retries, payload`;

const MARK_PROCESSED =
  "UPDATE webhook_deliveries SET processed_at = now(), error = $2 WHERE delivery_id = $1";

export class DeliveryQueries extends Queries {
  /** Stores a delivery unless its id was seen before; true when it is new. */
  async insertDelivery(d: DeliveryInput): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO webhook_deliveries (delivery_id, event, action, repository, received_at,
                                       payload)
       VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()), $6::jsonb)
       ON CONFLICT (delivery_id) DO NOTHING
       RETURNING delivery_id`,
      [
        d.deliveryId,
        d.event,
        d.action ?? null,
        d.repository ?? null,
        ts(d.receivedAt),
        json(d.payload),
      ],
    );
    return rows.length > 0;
  }

  /** One plain INSERT per delivery, as ingestDelivery without batching (the bench's ceiling). */
  async insertDeliveryText(d: RawDeliveryInput): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO webhook_deliveries (delivery_id, event, action, repository, payload)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (delivery_id) DO NOTHING
       RETURNING 1 AS stored`,
      [d.deliveryId, d.event, d.action, d.repository, d.payload],
      { name: "bosun_ingest_delivery" },
    );
    return rows.length > 0;
  }

  /** Marks a delivery handled; with an error it is handled too (not retried). */
  async markDeliveryProcessed(
    deliveryId: string,
    result: { error?: string | null } = {},
  ): Promise<void> {
    await this.db.query(MARK_PROCESSED, [deliveryId, result.error ?? null]);
  }

  async getDelivery(deliveryId: string): Promise<DeliveryRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE delivery_id = $1`,
      [deliveryId],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /** Unprocessed deliveries, oldest first. */
  async pendingDeliveries(options: { limit?: number } = {}): Promise<DeliveryRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE processed_at IS NULL
       ORDER BY received_at, delivery_id LIMIT $1`,
      [options.limit ?? null],
    );
    return rows.map(toDelivery);
  }

  /** The job queue on this store's database (pg-boss; see queue.ts). Stop it before close(). */
  openDeliveryQueue(options?: DeliveryQueueOptions): Promise<DeliveryQueue> {
    return openDeliveryQueue(this.db, options);
  }

  /**
   * Unprocessed deliveries, oldest first, without payloads: what a sweep enqueues. Page with
   * `after` (the last row of the previous page); `receivedBefore` leaves out fresh ones.
   * `receivedAt` is given to the microsecond here (the database's precision), so that paging
   * by it neither repeats nor skips a row.
   */
  async pendingDeliveryIds(
    options: {
      limit?: number;
      after?: { receivedAt: string; deliveryId: string };
      receivedBefore?: string;
    } = {},
  ): Promise<(PendingDelivery & { receivedAt: string })[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT delivery_id, retries,
              to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at
         FROM webhook_deliveries
        WHERE processed_at IS NULL
          AND ($1::timestamptz IS NULL OR (received_at, delivery_id) > ($1::timestamptz, $2::text))
          AND ($3::timestamptz IS NULL OR received_at < $3::timestamptz)
        ORDER BY received_at, delivery_id
        LIMIT $4`,
      [
        ts(options.after?.receivedAt),
        options.after?.deliveryId ?? "",
        ts(options.receivedBefore),
        options.limit ?? null,
      ],
    );
    return rows.map((r) => ({ ...toPendingDelivery(r), receivedAt: str(r.received_at) }));
  }

  /**
   * Sends a failed delivery back to pending (its error cleared, `retries` counted up); returns
   * what to enqueue, or null when the delivery is unknown, pending, or processed without error.
   */
  async retryDelivery(deliveryId: string): Promise<PendingDelivery | null> {
    const { rows } = await this.db.query<DbRow>(
      `UPDATE webhook_deliveries SET processed_at = NULL, error = NULL, retries = retries + 1
        WHERE delivery_id = $1 AND processed_at IS NOT NULL AND error IS NOT NULL
        RETURNING delivery_id, retries`,
      [deliveryId],
    );
    return rows[0] ? toPendingDelivery(rows[0]) : null;
  }

  async deliveryStats(): Promise<DeliveryStats> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT count(*) FILTER (WHERE processed_at IS NULL) AS pending,
              count(*) FILTER (WHERE processed_at IS NOT NULL AND error IS NULL) AS processed,
              count(*) FILTER (WHERE error IS NOT NULL) AS failed
         FROM webhook_deliveries`,
    );
    const r = rows[0] ?? {};
    return {
      pending: num(r.pending ?? 0),
      processed: num(r.processed ?? 0),
      failed: num(r.failed ?? 0),
    };
  }
}

/**
 * Store.processDelivery's transaction: locks the delivery's row, skips it when it is unknown or
 * already processed, runs `apply` on the same transaction inside a savepoint, and marks the
 * delivery processed, with apply's error (its writes rolled back) when it threw.
 */
export function processDeliveryOnce(
  db: Db,
  deliveryId: string,
  apply: (tx: Db, delivery: DeliveryRow) => Promise<void>,
): Promise<DeliveryOutcome> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<DbRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
        WHERE delivery_id = $1 AND processed_at IS NULL
        FOR UPDATE`,
      [deliveryId],
    );
    const row = rows[0];
    if (!row) return { status: "skipped" } as const;
    // A savepoint keeps the transaction usable after apply fails, to record the error.
    await tx.query("SAVEPOINT apply_delivery");
    let error: string | null = null;
    try {
      await apply(tx, toDelivery(row));
      await tx.query("RELEASE SAVEPOINT apply_delivery");
    } catch (err) {
      await tx.query("ROLLBACK TO SAVEPOINT apply_delivery");
      error = err instanceof Error ? err.message : String(err);
    }
    await tx.query(MARK_PROCESSED, [deliveryId, error]);
    return error === null ? ({ status: "processed" } as const) : { status: "failed", error };
  });
}

function toDelivery(r: DbRow): DeliveryRow {
  return {
    deliveryId: str(r.delivery_id),
    event: str(r.event),
    action: strOrNull(r.action),
    repository: strOrNull(r.repository),
    receivedAt: iso(r.received_at),
    processedAt: isoOrNull(r.processed_at),
    error: strOrNull(r.error),
    retries: num(r.retries ?? 0),
    payload: r.payload ?? null,
  };
}

function toPendingDelivery(r: DbRow): PendingDelivery {
  return { deliveryId: str(r.delivery_id), retries: num(r.retries) };
}
