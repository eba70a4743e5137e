// The store as a whole: its schema version, row counts, and the planner's statistics.
import { appliedVersions } from "./migrations.js";
import { Queries } from "./queries.js";
import { type DbRow, num, quoteIdent } from "./sql-values.js";
import { STORE_TABLES, type StoreStats } from "./types.js";

export class MaintenanceQueries extends Queries {
  async schemaVersion(): Promise<number> {
    return Math.max(0, ...(await appliedVersions(this.db)));
  }

  /**
   * Refreshes the query planner's statistics of the tables that grew by a fifth since they
   * were last gathered; returns their names. PostgreSQL's autovacuum mostly does this by
   * itself; PGlite has none, and without statistics it plans lookups by key as scans of whole
   * tables. Cheap when nothing grew: it compares file sizes with the recorded page counts.
   */
  async refreshStatistics(): Promise<string[]> {
    const { rows } = await this.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relkind = 'r' AND c.relnamespace = to_regnamespace(current_schema())
          AND pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 8
        ORDER BY c.relname`,
    );
    for (const { name } of rows) await this.db.query(`ANALYZE ${quoteIdent(name)}`);
    return rows.map((r) => r.name);
  }

  /** Row counts per table, for the dashboard. */
  async stats(): Promise<StoreStats> {
    const select = STORE_TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(", ");
    const { rows } = await this.db.query<DbRow>(`SELECT ${select}`);
    const row = rows[0] ?? {};
    return Object.fromEntries(STORE_TABLES.map((t) => [t, num(row[t])])) as StoreStats;
  }
}
