// The smallest driver surface both backends share. Queries use $1-style parameters, which
// PGlite and PostgreSQL both accept, so one set of SQL serves both.
//
// Both drivers are imported lazily: `bosun --help` and other commands that never open a
// store must not pay for loading PGlite's WebAssembly build or pg.
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";
import { quoteIdent } from "./sql-values.js";

export type Backend = "pglite" | "postgres";

/**
 * `name` makes PostgreSQL keep the statement prepared on each connection: parsed and planned
 * once, not per call. For the few statements on a hot path (webhook ingestion); PGlite,
 * in-process, gains nothing from it and ignores it.
 */
export interface QueryOptions {
  name?: string;
}

export interface Db {
  readonly backend: Backend;
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<{ rows: T[] }>;
  /** Runs one or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs fn in a transaction: committed when fn resolves, rolled back when it throws.
   * Inside a transaction, `transaction` joins the outer one instead of nesting.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Runs fn while holding the store's set-up lock (a PostgreSQL advisory lock on a connection
   * of its own, keyed by schema), so processes starting together on one database set up the
   * schema and the queue one after the other. PGlite has one process per store: fn just runs.
   */
  withSetupLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// First key of the two-int advisory lock that migrations and the queue's set-up share; the
// second is a hash of the schema, so stores in different schemas of one database do not wait
// for each other. "bos".
export const SETUP_LOCK_KEY = 0x626f73;
const SETUP_LOCK_SQL = "hashtext(coalesce(current_schema(), ''))";

/** PGlite on disk at dataDir, or in memory when dataDir is undefined. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const { PGlite } = await import("@electric-sql/pglite");
  const pglite = await PGlite.create(dataDir);
  return new PgliteDb(pglite);
}

export interface PostgresOptions {
  connectionString: string;
  /** Sets search_path for every connection, so one database can hold several stores. */
  schema?: string;
  max?: number;
}

export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  // An idle client that loses its connection emits 'error' on the pool; unhandled, that
  // would kill the process. The pool drops that client and the next query reports trouble.
  pool.on("error", () => {});
  return new PoolDb(pool);
}

class PgliteDb implements Db {
  readonly backend = "pglite";
  constructor(private readonly pglite: PGlite) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<{ rows: T[] }> {
    const result = await this.pglite.query<T>(sql, params);
    return { rows: result.rows };
  }

  async exec(sql: string): Promise<void> {
    await this.pglite.exec(sql);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(new PgliteTxDb(tx)));
  }

  withSetupLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

class PgliteTxDb implements Db {
  readonly backend = "pglite";
  constructor(private readonly tx: Transaction) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<{ rows: T[] }> {
    const result = await this.tx.query<T>(sql, params);
    return { rows: result.rows };
  }

  async exec(sql: string): Promise<void> {
    await this.tx.exec(sql);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }

  withSetupLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  close(): Promise<void> {
    return Promise.reject(new Error("close the store, not a transaction"));
  }
}

class PoolDb implements Db {
  readonly backend = "postgres";
  constructor(private readonly pool: Pool) {}

  async query<T>(
    sql: string,
    params: unknown[] = [],
    options?: QueryOptions,
  ): Promise<{ rows: T[] }> {
    const result = await this.pool.query(
      options?.name
        ? { name: options.name, text: sql, values: params }
        : { text: sql, values: params },
    );
    return { rows: result.rows as T[] };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      await client.query("BEGIN");
      const result = await fn(new ClientDb(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A client whose ROLLBACK failed may be mid-transaction; destroy it rather than
      // hand it to the next caller.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async withSetupLock<T>(fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(`SELECT pg_advisory_lock($1, ${SETUP_LOCK_SQL})`, [SETUP_LOCK_KEY]);
      try {
        return await fn();
      } finally {
        await client
          .query(`SELECT pg_advisory_unlock($1, ${SETUP_LOCK_SQL})`, [SETUP_LOCK_KEY])
          .catch((error: unknown) => {
            // A connection still holding the lock must not go back to the pool: destroyed,
            // it releases the lock with its session.
            broken = error instanceof Error ? error : new Error(String(error));
          });
      }
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.ended ? Promise.resolve() : this.pool.end();
  }
}

class ClientDb implements Db {
  readonly backend = "postgres";
  constructor(private readonly client: PoolClient) {}

  async query<T>(
    sql: string,
    params: unknown[] = [],
    options?: QueryOptions,
  ): Promise<{ rows: T[] }> {
    const result = await this.client.query(
      options?.name
        ? { name: options.name, text: sql, values: params }
        : { text: sql, values: params },
    );
    return { rows: result.rows as T[] };
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }

  withSetupLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  close(): Promise<void> {
    return Promise.reject(new Error("close the store, not a transaction"));
  }
}
