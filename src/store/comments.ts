// Conversation comments on issues and pull requests, and pull request reviews, keyed by their
// GitHub ids. A comment write older than the stored one is ignored.
import { Queries } from "./queries.js";
import { type DbRow, iso, isoOrNull, json, num, str, strOrNull, ts } from "./sql-values.js";
import type { CommentInput, CommentRow, ReviewInput, ReviewRow } from "./types.js";

/** What {@link toComment} reads. */
const COMMENT_COLUMNS =
  "id, repo, issue_number, author, author_type, body, created_at, updated_at, raw";

/** What {@link toReview} reads but `raw`, which a read may leave out (it is then null). */
export const REVIEW_COLUMNS = "id, repo, pull_number, author, state, body, commit_id, submitted_at";

export class CommentQueries extends Queries {
  async upsertComment(c: CommentInput): Promise<void> {
    await this.upsertComments([c]);
  }

  /**
   * One statement for a page of comments. A deleted comment (its id tombstoned) is never
   * recreated, and a write older than the stored one changes nothing.
   */
  async upsertComments(list: readonly CommentInput[]): Promise<void> {
    if (list.length === 0) return;
    const rows = list.map((c) => ({
      id: c.id,
      repo: c.repo,
      issue_number: c.issueNumber,
      author: c.author ?? null,
      author_type: c.authorType ?? null,
      body: c.body,
      created_at: ts(c.createdAt),
      updated_at: ts(c.updatedAt),
      raw: c.raw ?? null,
    }));
    await this.db.query(
      `INSERT INTO comments (id, repo, issue_number, author, author_type, body, created_at,
                             updated_at, raw)
       SELECT DISTINCT ON (id) id, repo, issue_number, author, author_type, body,
              created_at::timestamptz, updated_at::timestamptz, raw
         FROM jsonb_to_recordset($1::jsonb) AS x(
              id bigint, repo text, issue_number int, author text, author_type text, body text,
              created_at text, updated_at text, raw jsonb)
        WHERE NOT EXISTS (SELECT 1 FROM comment_deletions d WHERE d.id = x.id)
        ORDER BY id, updated_at::timestamptz DESC
       ON CONFLICT (id) DO UPDATE SET
         repo = EXCLUDED.repo, issue_number = EXCLUDED.issue_number, author = EXCLUDED.author,
         author_type = EXCLUDED.author_type, body = EXCLUDED.body,
         created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, raw = EXCLUDED.raw
       WHERE comments.updated_at <= EXCLUDED.updated_at`,
      [json(rows)],
    );
  }

  /** Forgets a comment and tombstones its id (GitHub never reuses one). */
  async deleteComment(id: number, repo = ""): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO comment_deletions (id, repo)
         SELECT $1, coalesce((SELECT repo FROM comments WHERE id = $1), $2)
         ON CONFLICT (id) DO NOTHING`,
        [id, repo],
      );
      await tx.query("DELETE FROM comments WHERE id = $1", [id]);
    });
  }

  /** Every stored comment of a repository as (id, update time), by id: what a sync is checked by. */
  async commentVersions(repo: string): Promise<{ id: number; updatedAt: string }[]> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT id, updated_at FROM comments WHERE repo = $1 ORDER BY id",
      [repo],
    );
    return rows.map((r) => ({ id: num(r.id), updatedAt: iso(r.updated_at) }));
  }

  /** Ids of a repository's comments last updated exactly at `at`. */
  async commentIdsUpdatedAt(repo: string, at: string): Promise<number[]> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT id FROM comments WHERE repo = $1 AND updated_at = $2::timestamptz",
      [repo, at],
    );
    return rows.map((r) => num(r.id));
  }

  /** Every stored review of a repository as (id, pull request, state), by id. */
  async reviewVersions(
    repo: string,
  ): Promise<{ id: number; pullNumber: number; state: string; submittedAt: string | null }[]> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT id, pull_number, state, submitted_at FROM reviews WHERE repo = $1 ORDER BY id",
      [repo],
    );
    return rows.map((r) => ({
      id: num(r.id),
      pullNumber: num(r.pull_number),
      state: str(r.state),
      submittedAt: isoOrNull(r.submitted_at),
    }));
  }

  /** Pull requests updated at or after `since` (all when undefined), oldest update first. */
  async pullsUpdatedSince(
    repo: string,
    since: string | undefined,
    limit: number,
  ): Promise<{ number: number; updatedAt: string }[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT number, updated_at FROM issues
        WHERE repo = $1 AND is_pull_request AND ($2::timestamptz IS NULL OR updated_at >= $2::timestamptz)
        ORDER BY updated_at, number
        LIMIT $3`,
      [repo, since ?? null, limit],
    );
    return rows.map((r) => ({ number: num(r.number), updatedAt: iso(r.updated_at) }));
  }

  /** Oldest first. */
  async listComments(repo: string, issueNumber: number): Promise<CommentRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${COMMENT_COLUMNS} FROM comments WHERE repo = $1 AND issue_number = $2
        ORDER BY created_at, id`,
      [repo, issueNumber],
    );
    return rows.map(toComment);
  }

  async upsertReview(r: ReviewInput): Promise<void> {
    await this.db.query(
      `INSERT INTO reviews (id, repo, pull_number, author, state, body, commit_id, submitted_at,
                            raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::jsonb)
       ON CONFLICT (id) DO UPDATE SET
         repo = EXCLUDED.repo, pull_number = EXCLUDED.pull_number, author = EXCLUDED.author,
         state = EXCLUDED.state, body = EXCLUDED.body, commit_id = EXCLUDED.commit_id,
         submitted_at = EXCLUDED.submitted_at, raw = EXCLUDED.raw`,
      [
        r.id,
        r.repo,
        r.pullNumber,
        r.author ?? null,
        r.state,
        r.body ?? null,
        r.commitId ?? null,
        ts(r.submittedAt),
        json(r.raw),
      ],
    );
  }

  /** Oldest first; reviews not yet submitted (PENDING) last. */
  async listReviews(repo: string, pullNumber: number): Promise<ReviewRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${REVIEW_COLUMNS}, raw FROM reviews WHERE repo = $1 AND pull_number = $2
       ORDER BY submitted_at NULLS LAST, id`,
      [repo, pullNumber],
    );
    return rows.map(toReview);
  }
}

function toComment(r: DbRow): CommentRow {
  return {
    id: num(r.id),
    repo: str(r.repo),
    issueNumber: num(r.issue_number),
    author: strOrNull(r.author),
    authorType: strOrNull(r.author_type),
    body: str(r.body),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    raw: r.raw ?? null,
  };
}

export function toReview(r: DbRow): ReviewRow {
  return {
    id: num(r.id),
    repo: str(r.repo),
    pullNumber: num(r.pull_number),
    author: strOrNull(r.author),
    state: str(r.state),
    body: strOrNull(r.body),
    commitId: strOrNull(r.commit_id),
    submittedAt: isoOrNull(r.submitted_at),
    raw: r.raw ?? null,
  };
}
