// Branches (`refs`) and tags of each repository. Either may be known by name before its
// commit (migration 4): create and release deliveries name a ref without its sha; the push
// delivery or the next sync fills it in.
import { Queries } from "./queries.js";
import { boolOrNull, type DbRow, iso, isoOrNull, str, strOrNull, ts } from "./sql-values.js";
import type { RefInput, RefRow, TagInput, TagRow } from "./types.js";

/** What {@link toRef} reads. */
const REF_COLUMNS = "repo, name, sha, protected, synced_at";

/** What {@link toTag} reads. */
export const TAG_COLUMNS = "repo, name, sha, created_at, synced_at";

export class RefQueries extends Queries {
  async upsertRef(ref: RefInput): Promise<void> {
    await this.db.query(
      `INSERT INTO refs (repo, name, sha, protected, synced_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (repo, name) DO UPDATE SET
         sha = EXCLUDED.sha, protected = EXCLUDED.protected, synced_at = now()`,
      [ref.repo, ref.name, ref.sha, ref.protected ?? null],
    );
  }

  /** Records that a branch exists when its commit is not known yet; a known branch is kept. */
  async noteRef(repo: string, name: string): Promise<void> {
    await this.db.query(
      `INSERT INTO refs (repo, name, sha, synced_at) VALUES ($1, $2, NULL, now())
       ON CONFLICT (repo, name) DO NOTHING`,
      [repo, name],
    );
  }

  async deleteRef(repo: string, name: string): Promise<void> {
    await this.db.query("DELETE FROM refs WHERE repo = $1 AND name = $2", [repo, name]);
  }

  async getRef(repo: string, name: string): Promise<RefRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${REF_COLUMNS} FROM refs WHERE repo = $1 AND name = $2`,
      [repo, name],
    );
    return rows[0] ? toRef(rows[0]) : null;
  }

  async listRefs(repo: string): Promise<RefRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${REF_COLUMNS} FROM refs WHERE repo = $1 ORDER BY name`,
      [repo],
    );
    return rows.map(toRef);
  }

  async upsertTag(tag: TagInput): Promise<void> {
    await this.db.query(
      `INSERT INTO tags (repo, name, sha, created_at, synced_at)
       VALUES ($1, $2, $3, $4::timestamptz, now())
       ON CONFLICT (repo, name) DO UPDATE SET
         sha = EXCLUDED.sha, created_at = coalesce(EXCLUDED.created_at, tags.created_at),
         synced_at = now()`,
      [tag.repo, tag.name, tag.sha, ts(tag.createdAt)],
    );
  }

  /** Records that a tag exists; fills its sha and date only where they are not known yet. */
  async noteTag(
    repo: string,
    name: string,
    known: { sha?: string | null; createdAt?: string | null } = {},
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO tags (repo, name, sha, created_at, synced_at)
       VALUES ($1, $2, $3, $4::timestamptz, now())
       ON CONFLICT (repo, name) DO UPDATE SET
         sha = coalesce(tags.sha, EXCLUDED.sha),
         created_at = coalesce(tags.created_at, EXCLUDED.created_at)`,
      [repo, name, known.sha ?? null, ts(known.createdAt)],
    );
  }

  async deleteTag(repo: string, name: string): Promise<void> {
    await this.db.query("DELETE FROM tags WHERE repo = $1 AND name = $2", [repo, name]);
  }

  async listTags(repo: string): Promise<TagRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${TAG_COLUMNS} FROM tags WHERE repo = $1 ORDER BY name`,
      [repo],
    );
    return rows.map(toTag);
  }
}

function toRef(r: DbRow): RefRow {
  return {
    repo: str(r.repo),
    name: str(r.name),
    sha: strOrNull(r.sha),
    protected: boolOrNull(r.protected),
    syncedAt: iso(r.synced_at),
  };
}

export function toTag(r: DbRow): TagRow {
  return {
    repo: str(r.repo),
    name: str(r.name),
    sha: strOrNull(r.sha),
    createdAt: isoOrNull(r.created_at),
    syncedAt: iso(r.synced_at),
  };
}
