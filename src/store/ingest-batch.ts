// Storing webhook deliveries under load: deliveries that arrive while an insert is in flight
// are stored together by the next one, as one multi-row INSERT. Each INSERT is a commit, and
// a commit waits for the write-ahead log to reach the disk; sharing it among the deliveries
// of a burst is what lets the endpoint keep up with plain single-row INSERTs although every
// request also pays for HTTP, the signature and parsing. A delivery alone is stored at once
// (a batch of one), so nothing waits for company.
import type { Db } from "./db.js";
import type { RawDeliveryInput } from "./types.js";

export interface IngestBatchOptions {
  /** INSERTs in flight at once: one can wait for its commit while the next is parsed. */
  maxInFlight?: number;
  /** Deliveries per INSERT. */
  maxRows?: number;
  /** Payload bytes per INSERT (GitHub's payloads go up to 25 MB). */
  maxBytes?: number;
}

interface Waiting {
  delivery: RawDeliveryInput;
  resolve: (isNew: boolean) => void;
  reject: (error: unknown) => void;
}

const COLUMNS = 5;

export class IngestBatcher {
  private readonly maxInFlight: number;
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Db,
    options: IngestBatchOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.maxRows = options.maxRows ?? 64;
    this.maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  }

  /** Stores the delivery unless its id is known; true when it is new. */
  ingest(delivery: RawDeliveryInput): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ delivery, resolve, reject });
      this.startNext();
    });
  }

  private startNext(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.insert(batch).finally(() => {
        this.inFlight--;
        this.startNext();
      });
    }
  }

  private take(): Waiting[] {
    let bytes = 0;
    let count = 0;
    for (const w of this.waiting) {
      if (
        count === this.maxRows ||
        (count > 0 && bytes + w.delivery.payload.length > this.maxBytes)
      ) {
        break;
      }
      bytes += w.delivery.payload.length;
      count++;
    }
    return this.waiting.splice(0, count);
  }

  private async insert(batch: Waiting[]): Promise<void> {
    // A delivery id twice in one batch (a redelivery racing the original): the first is the
    // insert, the others are answered as duplicates.
    const first = new Map<string, Waiting>();
    const repeats: Waiting[] = [];
    for (const w of batch) {
      if (first.has(w.delivery.deliveryId)) repeats.push(w);
      else first.set(w.delivery.deliveryId, w);
    }
    const rows = [...first.values()];
    try {
      const { rows: stored } = await this.db.query<{ delivery_id: string }>(
        insertSql(rows.length),
        rows.flatMap(({ delivery: d }) => [
          d.deliveryId,
          d.event,
          d.action,
          d.repository,
          d.payload,
        ]),
        // One prepared statement per batch size; sizes are bounded by maxRows.
        { name: `bosun_ingest_deliveries_${rows.length}` },
      );
      const isNew = new Set(stored.map((r) => r.delivery_id));
      for (const w of rows) w.resolve(isNew.has(w.delivery.deliveryId));
      for (const w of repeats) w.resolve(false);
    } catch (error) {
      if (rows.length === 1) {
        for (const w of batch) w.reject(error);
        return;
      }
      // One bad payload (one PostgreSQL refuses as jsonb) must not fail its neighbours:
      // each is stored on its own, and only the bad one fails.
      for (const w of rows) await this.insert([w]);
      for (const w of repeats) w.resolve(false);
    }
  }
}

const statements = new Map<number, string>();

/** INSERT of n deliveries; the payload text is cast to jsonb by the database. */
function insertSql(n: number): string {
  let sql = statements.get(n);
  if (!sql) {
    const values = Array.from({ length: n }, (_, i) => {
      const p = i * COLUMNS;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb)`;
    });
    sql = `INSERT INTO webhook_deliveries (delivery_id, event, action, repository, payload)
           VALUES ${values.join(", ")}
           ON CONFLICT (delivery_id) DO NOTHING
           RETURNING delivery_id`;
    statements.set(n, sql);
  }
  return sql;
}
