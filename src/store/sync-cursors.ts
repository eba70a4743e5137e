// Where incremental syncs got to (`sync_cursors`, per repository and resource), and the
// validators of conditional GitHub requests (`etags`, per request key).
import { Queries } from "./queries.js";
import { type DbRow, iso, str, strOrNull } from "./sql-values.js";
import type { CursorRow, EtagRow } from "./types.js";

/** What {@link toCursor} reads. */
const CURSOR_COLUMNS = "repo, resource, cursor, etag, updated_at";
/** What {@link toEtag} reads. */
const ETAG_COLUMNS = "key, etag, last_modified, updated_at";

export class SyncCursorQueries extends Queries {
  async getCursor(repo: string, resource: string): Promise<CursorRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${CURSOR_COLUMNS} FROM sync_cursors WHERE repo = $1 AND resource = $2`,
      [repo, resource],
    );
    return rows[0] ? toCursor(rows[0]) : null;
  }

  async setCursor(
    repo: string,
    resource: string,
    value: { cursor: string | null; etag?: string | null },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_cursors (${CURSOR_COLUMNS})
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (repo, resource) DO UPDATE SET
         cursor = EXCLUDED.cursor, etag = EXCLUDED.etag, updated_at = now()`,
      [repo, resource, value.cursor, value.etag ?? null],
    );
  }

  /**
   * When the latest sync of `repo` finished, and whether one has moved a cursor since (a sync
   * under way, or one that stopped part-way): the last cursor a sync writes is `full-sync`
   * (a full sync) or `refresh` (every incremental one; src/github/sync.ts), after its data.
   * Times are the database's clock. Readers that must not see a half-synced store (the weekly
   * KPI snapshot) wait for a finish after the instant they report.
   */
  async syncCompletion(repo: string): Promise<{ completedAt: string | null; inProgress: boolean }> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT max(updated_at) FILTER (WHERE resource IN ('full-sync', 'refresh')
                                        AND (resource <> 'full-sync' OR cursor = 'complete'))
                AS completed_at,
              max(updated_at) FILTER (WHERE resource NOT IN ('full-sync', 'refresh')) AS moved_at
         FROM sync_cursors WHERE repo = $1`,
      [repo],
    );
    const completed = rows[0]?.completed_at ? iso(rows[0].completed_at) : null;
    const moved = rows[0]?.moved_at ? iso(rows[0].moved_at) : null;
    return {
      completedAt: completed,
      inProgress: moved !== null && (completed === null || moved > completed),
    };
  }

  /**
   * How many of `repo`'s events came from GitHub's events feed (positive ids; a webhook's stand-ins
   * are negative until the real one supersedes them), for the sync's check against GitHub's count.
   */
  async countFeedEvents(repo: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number | string }>(
      "SELECT count(*) AS n FROM issue_events WHERE repo = $1 AND id > 0",
      [repo],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async getEtag(key: string): Promise<EtagRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${ETAG_COLUMNS} FROM etags WHERE key = $1`,
      [key],
    );
    return rows[0] ? toEtag(rows[0]) : null;
  }

  async setEtag(
    key: string,
    value: { etag: string | null; lastModified?: string | null },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO etags (${ETAG_COLUMNS}) VALUES ($1, $2, $3, now())
       ON CONFLICT (key) DO UPDATE SET
         etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, updated_at = now()`,
      [key, value.etag, value.lastModified ?? null],
    );
  }
}

function toCursor(r: DbRow): CursorRow {
  return {
    repo: str(r.repo),
    resource: str(r.resource),
    cursor: strOrNull(r.cursor),
    etag: strOrNull(r.etag),
    updatedAt: iso(r.updated_at),
  };
}

function toEtag(r: DbRow): EtagRow {
  return {
    key: str(r.key),
    etag: strOrNull(r.etag),
    lastModified: strOrNull(r.last_modified),
    updatedAt: iso(r.updated_at),
  };
}
