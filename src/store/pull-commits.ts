// What an open pull request's head commit carries, as read at that head: its commits with their
// messages (`pull_commits`, R8: no closing keyword in a commit message) and its comparison with
// the latest release tag (`pull_release_compares`, R7: a released-bug fix branches off that tag).
import { openPullsStaleIn } from "./pull-files.js";
import { Queries } from "./queries.js";
import { type DbRow, iso, json, num, str, strOrNull } from "./sql-values.js";
import type { PullCommit, PullCommitsRow, PullReleaseCompareRow } from "./types.js";

const PULL_COMMITS_COLUMNS = "repo, number, head_sha, commits, complete, synced_at";
const COMPARE_COLUMNS =
  "repo, number, head_sha, tag, tag_sha, status, ahead_by, behind_by, merge_base_sha, commits, synced_at";

export class PullCommitQueries extends Queries {
  /** Stores a pull request's commits at one head commit, replacing older ones. */
  async putPullCommits(c: {
    repo: string;
    number: number;
    headSha: string;
    commits: readonly PullCommit[];
    complete: boolean;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO pull_commits (${PULL_COMMITS_COLUMNS})
       VALUES ($1, $2, $3, $4::jsonb, $5, now())
       ON CONFLICT (repo, number) DO UPDATE SET
         head_sha = EXCLUDED.head_sha, commits = EXCLUDED.commits, complete = EXCLUDED.complete,
         synced_at = now()`,
      [
        c.repo,
        c.number,
        c.headSha,
        json(c.commits.map((x) => ({ sha: x.sha, message: x.message, parents: [...x.parents] }))),
        c.complete,
      ],
    );
  }

  /** Stored commits of these pull requests (whatever head they were read at). */
  async listPullCommits(repo: string, numbers: readonly number[]): Promise<PullCommitsRow[]> {
    if (numbers.length === 0) return [];
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${PULL_COMMITS_COLUMNS} FROM pull_commits
        WHERE repo = $1 AND number = ANY($2::integer[]) ORDER BY number`,
      [repo, [...numbers]],
    );
    return rows.map(toPullCommits);
  }

  /** Open pull requests whose commits are not stored for their current head. Oldest first. */
  async pullsNeedingCommits(
    repo: string,
    limit = 1000,
  ): Promise<{ number: number; headSha: string }[]> {
    return openPullsStaleIn(this.db, "pull_commits", repo, limit);
  }

  /** Stores a pull request's head compared with a release tag, replacing the older comparison. */
  async putPullReleaseCompare(c: Omit<PullReleaseCompareRow, "syncedAt">): Promise<void> {
    await this.db.query(
      `INSERT INTO pull_release_compares (${COMPARE_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], now())
       ON CONFLICT (repo, number) DO UPDATE SET
         head_sha = EXCLUDED.head_sha, tag = EXCLUDED.tag, tag_sha = EXCLUDED.tag_sha,
         status = EXCLUDED.status, ahead_by = EXCLUDED.ahead_by, behind_by = EXCLUDED.behind_by,
         merge_base_sha = EXCLUDED.merge_base_sha, commits = EXCLUDED.commits, synced_at = now()`,
      [
        c.repo,
        c.number,
        c.headSha,
        c.tag,
        c.tagSha,
        c.status,
        c.aheadBy,
        c.behindBy,
        c.mergeBaseSha,
        [...c.commits],
      ],
    );
  }

  /** Stored release comparisons of these pull requests (whatever head and tag). */
  async listPullReleaseCompares(
    repo: string,
    numbers: readonly number[],
  ): Promise<PullReleaseCompareRow[]> {
    if (numbers.length === 0) return [];
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${COMPARE_COLUMNS} FROM pull_release_compares
        WHERE repo = $1 AND number = ANY($2::integer[]) ORDER BY number`,
      [repo, [...numbers]],
    );
    return rows.map(toCompare);
  }

  /**
   * Open pull requests into `base` whose head is not compared with `tag` yet: never, at an older
   * head, or with an older tag. Oldest first.
   */
  async pullsNeedingReleaseCompare(
    repo: string,
    tag: string,
    base: string,
    limit = 1000,
  ): Promise<{ number: number; headSha: string }[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT i.number, i.head_sha FROM issues i
         LEFT JOIN pull_release_compares c ON c.repo = i.repo AND c.number = i.number
        WHERE i.repo = $1 AND i.is_pull_request AND i.state = 'open' AND i.head_sha IS NOT NULL
          AND i.base_ref = $3
          AND (c.head_sha IS NULL OR c.head_sha <> i.head_sha OR c.tag <> $2)
        ORDER BY i.number
        LIMIT $4`,
      [repo, tag, base, limit],
    );
    return rows.map((r) => ({ number: num(r.number), headSha: str(r.head_sha) }));
  }
}

function toPullCommits(r: DbRow): PullCommitsRow {
  const raw = typeof r.commits === "string" ? JSON.parse(r.commits) : r.commits;
  const commits: PullCommit[] = (Array.isArray(raw) ? raw : []).map((c: DbRow) => ({
    sha: str(c.sha),
    message: typeof c.message === "string" ? c.message : "",
    parents: Array.isArray(c.parents) ? c.parents.map(str) : [],
  }));
  return {
    repo: str(r.repo),
    number: num(r.number),
    headSha: str(r.head_sha),
    commits,
    complete: r.complete === true,
    syncedAt: iso(r.synced_at),
  };
}

const STATUSES = new Set(["ahead", "behind", "identical", "diverged", "unrelated"]);

function toCompare(r: DbRow): PullReleaseCompareRow {
  const status = str(r.status);
  return {
    repo: str(r.repo),
    number: num(r.number),
    headSha: str(r.head_sha),
    tag: str(r.tag),
    tagSha: strOrNull(r.tag_sha),
    status: (STATUSES.has(status) ? status : "unrelated") as PullReleaseCompareRow["status"],
    aheadBy: num(r.ahead_by),
    behindBy: num(r.behind_by),
    mergeBaseSha: strOrNull(r.merge_base_sha),
    commits: (r.commits as string[] | null) ?? [],
    syncedAt: iso(r.synced_at),
  };
}
