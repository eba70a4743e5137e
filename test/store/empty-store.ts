import type { Db } from "../../src/store/db.js";
import { STORE_TABLES } from "../../src/store/index.js";

/** Deletes every row but the migration history, so one migrated database serves many tests. */
export async function emptyStore(db: Db): Promise<void> {
  const tables = STORE_TABLES.filter((t) => t !== "schema_migrations");
  await db.exec(`TRUNCATE ${tables.join(", ")} RESTART IDENTITY CASCADE`);
}
