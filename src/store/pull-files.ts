// The changed paths of each pull request (`pull_files`), as read at one head commit (R15).
import type { Db } from "./db.js";
import { Queries } from "./queries.js";
import { bool, type DbRow, iso, num, str } from "./sql-values.js";
import type { PullFilesRow } from "./types.js";

/** What {@link toPullFiles} reads. */
const PULL_FILES_COLUMNS = "repo, number, head_sha, paths, complete, synced_at";

export class PullFileQueries extends Queries {
  /** Stores the changed paths of a pull request at one head commit, replacing older ones. */
  async putPullFiles(f: {
    repo: string;
    number: number;
    headSha: string;
    paths: readonly string[];
    complete: boolean;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO pull_files (${PULL_FILES_COLUMNS})
       VALUES ($1, $2, $3, $4::text[], $5, now())
       ON CONFLICT (repo, number) DO UPDATE SET
         head_sha = EXCLUDED.head_sha, paths = EXCLUDED.paths, complete = EXCLUDED.complete,
         synced_at = now()`,
      [f.repo, f.number, f.headSha, [...f.paths], f.complete],
    );
  }

  /** Stored changed paths of these pull requests (whatever head they were read at). */
  async listPullFiles(repo: string, numbers: readonly number[]): Promise<PullFilesRow[]> {
    if (numbers.length === 0) return [];
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${PULL_FILES_COLUMNS} FROM pull_files
        WHERE repo = $1 AND number = ANY($2::integer[]) ORDER BY number`,
      [repo, [...numbers]],
    );
    return rows.map(toPullFiles);
  }

  /**
   * Open pull requests whose changed files are not stored for their current head: never read,
   * or read before the last push. Oldest first.
   */
  async pullsNeedingFiles(
    repo: string,
    limit = 1000,
  ): Promise<{ number: number; headSha: string }[]> {
    return openPullsStaleIn(this.db, "pull_files", repo, limit);
  }
}

/**
 * Open pull requests whose row in a per-head table (`pull_files`, `pull_commits`) is missing or
 * was read at an older head: what the next read must fetch. Oldest first.
 */
export async function openPullsStaleIn(
  db: Db,
  table: "pull_files" | "pull_commits",
  repo: string,
  limit: number,
): Promise<{ number: number; headSha: string }[]> {
  const { rows } = await db.query<DbRow>(
    `SELECT i.number, i.head_sha FROM issues i
       LEFT JOIN ${table} t ON t.repo = i.repo AND t.number = i.number
      WHERE i.repo = $1 AND i.is_pull_request AND i.state = 'open' AND i.head_sha IS NOT NULL
        AND (t.head_sha IS NULL OR t.head_sha <> i.head_sha)
      ORDER BY i.number
      LIMIT $2`,
    [repo, limit],
  );
  return rows.map((r) => ({ number: num(r.number), headSha: str(r.head_sha) }));
}

function toPullFiles(r: DbRow): PullFilesRow {
  return {
    repo: str(r.repo),
    number: num(r.number),
    headSha: str(r.head_sha),
    paths: (r.paths as string[] | null) ?? [],
    complete: bool(r.complete),
    syncedAt: iso(r.synced_at),
  };
}
