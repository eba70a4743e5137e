// The repositories Bosun syncs, by full name ("owner/name").
import { Queries } from "./queries.js";
import {
  bool,
  type DbRow,
  iso,
  isoOrNull,
  json,
  numOrNull,
  str,
  strOrNull,
  ts,
} from "./sql-values.js";
import type { RepositoryInput, RepositoryRow } from "./types.js";

/** What {@link toRepository} reads. */
const REPOSITORY_COLUMNS = `full_name, github_id, default_branch, private, archived, created_at,
  updated_at, raw, synced_at`;

export class RepositoryQueries extends Queries {
  async upsertRepository(repo: RepositoryInput): Promise<void> {
    await this.db.query(
      `INSERT INTO repositories (full_name, github_id, default_branch, private, archived,
                                 created_at, updated_at, raw, synced_at)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz, $8::jsonb, now())
       ON CONFLICT (full_name) DO UPDATE SET
         github_id = EXCLUDED.github_id, default_branch = EXCLUDED.default_branch,
         private = EXCLUDED.private, archived = EXCLUDED.archived,
         created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
         raw = EXCLUDED.raw, synced_at = now()`,
      [
        repo.fullName,
        repo.githubId ?? null,
        repo.defaultBranch ?? null,
        repo.private ?? false,
        repo.archived ?? false,
        ts(repo.createdAt),
        ts(repo.updatedAt),
        json(repo.raw),
      ],
    );
  }

  async getRepository(fullName: string): Promise<RepositoryRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${REPOSITORY_COLUMNS} FROM repositories WHERE full_name = $1`,
      [fullName],
    );
    return rows[0] ? toRepository(rows[0]) : null;
  }

  async listRepositories(): Promise<RepositoryRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${REPOSITORY_COLUMNS} FROM repositories ORDER BY full_name`,
    );
    return rows.map(toRepository);
  }
}

function toRepository(r: DbRow): RepositoryRow {
  return {
    fullName: str(r.full_name),
    githubId: numOrNull(r.github_id),
    defaultBranch: strOrNull(r.default_branch),
    private: bool(r.private),
    archived: bool(r.archived),
    createdAt: isoOrNull(r.created_at),
    updatedAt: isoOrNull(r.updated_at),
    raw: r.raw ?? null,
    syncedAt: iso(r.synced_at),
  };
}
