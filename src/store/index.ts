// Entry point of the store. Importing this module is cheap: the database drivers load only
// when openStore runs.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Db, openPglite, openPostgres } from "./db.js";
import { acquireLock, type LockHandle, type LockHolder } from "./lock.js";
import { migrate } from "./migrations.js";
import { Store } from "./store.js";

export type { Backend, Db } from "./db.js";
export { StoreLockedError, StoreTooNewError } from "./errors.js";
export { type LockHolder, type LockInfo, readLock, updateLock } from "./lock.js";
export { LATEST_VERSION } from "./migrations.js";
export type {
  OrgMemberInput,
  OrgPeopleView,
  PeopleSnapshot,
  TeamInput,
  TeamMemberInput,
} from "./people.js";
export type { DeliveryQueue, DeliveryQueueOptions } from "./queue.js";
export { Store } from "./store.js";
export * from "./types.js";

export interface OpenStoreOptions {
  /** Embedded store directory (`./.bosun/` or BOSUN_DATA_DIR); PGlite keeps its files in `<dataDir>/pglite/`. */
  dataDir?: string;
  /** PostgreSQL connection string; wins over dataDir when given. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (search_path); the schema must exist. */
  schema?: string;
  /** An embedded store in memory, gone on close (tests, previews). */
  inMemory?: boolean;
  /** Who holds the embedded store's lock, as shown to anyone else who tries to open it. */
  holder?: LockHolder;
  /** Told about things worth a log line (a stale lock taken over). */
  onWarning?: (message: string) => void;
}

/**
 * Opens the store and brings its schema up to date. Throws StoreLockedError when another
 * live process holds an embedded store, StoreTooNewError when the store was written by a
 * newer Bosun (in which case nothing was changed).
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const db = await openPostgres({
      connectionString: options.databaseUrl,
      ...(options.schema ? { schema: options.schema } : {}),
    });
    return migrated(db, () => {});
  }
  if (options.inMemory) return migrated(await openPglite(), () => {});
  if (!options.dataDir) {
    throw new Error(
      "openStore needs a dataDir (BOSUN_DATA_DIR, default ./.bosun/), a databaseUrl (DATABASE_URL) or inMemory",
    );
  }
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock: LockHandle = acquireLock(dataDir, options.holder, {
    onWarning: options.onWarning ?? ((message) => console.warn(`bosun: ${message}`)),
  });
  let db: Db;
  try {
    db = await openPglite(join(dataDir, "pglite"));
  } catch (error) {
    lock.release();
    throw error;
  }
  return migrated(db, () => lock.release());
}

async function migrated(db: Db, release: () => void): Promise<Store> {
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    release();
    throw error;
  }
  return new Store(db, release);
}

/**
 * Where the store lives according to the environment: DATABASE_URL when set, otherwise
 * BOSUN_DATA_DIR, otherwise `.bosun/` in the working directory.
 */
export function storeOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Pick<OpenStoreOptions, "dataDir" | "databaseUrl"> {
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL };
  return { dataDir: resolve(cwd, env.BOSUN_DATA_DIR || ".bosun") };
}
