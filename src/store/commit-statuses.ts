// Commit statuses and check runs (`commit_statuses`): the latest status per context and the
// latest run per check name, per commit; older writes (by time, then GitHub id) are ignored.
import { Queries } from "./queries.js";
import { type DbRow, iso, json, numOrNull, str, strOrNull, ts } from "./sql-values.js";
import type { CommitStatusInput, CommitStatusRow } from "./types.js";

/** What {@link toCommitStatus} reads but `raw`, which a read may leave out (it is then null). */
export const COMMIT_STATUS_COLUMNS = `repo, sha, kind, context, state, conclusion, description,
  target_url, github_id, updated_at`;

export class CommitStatusQueries extends Queries {
  /**
   * Keeps the latest status per (commit, kind, context): a write older than the stored one
   * (by updatedAt, then GitHub id) changes nothing; returns whether it was written.
   */
  async upsertCommitStatus(s: CommitStatusInput): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO commit_statuses (${COMMIT_STATUS_COLUMNS}, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, $11::jsonb)
       ON CONFLICT (repo, sha, kind, context) DO UPDATE SET
         state = EXCLUDED.state, conclusion = EXCLUDED.conclusion,
         description = EXCLUDED.description, target_url = EXCLUDED.target_url,
         github_id = EXCLUDED.github_id, updated_at = EXCLUDED.updated_at, raw = EXCLUDED.raw
       WHERE (commit_statuses.updated_at, coalesce(commit_statuses.github_id, 0))
          <= (EXCLUDED.updated_at, coalesce(EXCLUDED.github_id, 0))
       RETURNING 1 AS written`,
      [
        s.repo,
        s.sha,
        s.kind,
        s.context,
        s.state,
        s.conclusion ?? null,
        s.description ?? null,
        s.targetUrl ?? null,
        s.githubId ?? null,
        ts(s.updatedAt),
        json(s.raw),
      ],
    );
    return rows.length > 0;
  }

  /** Statuses and check runs of one commit, by kind then context. */
  async listCommitStatuses(repo: string, sha: string): Promise<CommitStatusRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${COMMIT_STATUS_COLUMNS}, raw FROM commit_statuses WHERE repo = $1 AND sha = $2
        ORDER BY kind, context`,
      [repo, sha],
    );
    return rows.map(toCommitStatus);
  }
}

export function toCommitStatus(r: DbRow): CommitStatusRow {
  return {
    repo: str(r.repo),
    sha: str(r.sha),
    kind: r.kind === "check_run" ? "check_run" : "status",
    context: str(r.context),
    state: str(r.state),
    conclusion: strOrNull(r.conclusion),
    description: strOrNull(r.description),
    targetUrl: strOrNull(r.target_url),
    githubId: numOrNull(r.github_id),
    updatedAt: iso(r.updated_at),
    raw: r.raw ?? null,
  };
}
