import type { LockInfo } from "./lock-info.js";

/** The store's schema is newer than this Bosun understands; opening it changed nothing. */
export class StoreTooNewError extends Error {
  override readonly name = "StoreTooNewError";
  constructor(
    readonly storeVersion: number,
    readonly knownVersion: number,
    /** The setting that points at this store, named in the advice. */
    readonly setting: "BOSUN_DATA_DIR" | "DATABASE_URL" = "BOSUN_DATA_DIR",
  ) {
    super(
      `this store was written by a newer Bosun (schema v${storeVersion}, this Bosun knows up to v${knownVersion}); upgrade Bosun or point ${setting} elsewhere — nothing was changed`,
    );
  }
}

/** Another live process holds the embedded store's lock file. */
export class StoreLockedError extends Error {
  override readonly name = "StoreLockedError";
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
    message: string,
  ) {
    super(message);
  }
}
