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
    await this.db.query(
      `INSERT INTO comments (id, repo, issue_number, author, author_type, body, created_at,
                             updated_at, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz, $9::jsonb)
       ON CONFLICT (id) DO UPDATE SET
         repo = EXCLUDED.repo, issue_number = EXCLUDED.issue_number, author = EXCLUDED.author,
         author_type = EXCLUDED.author_type, body = EXCLUDED.body,
         created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, raw = EXCLUDED.raw
       WHERE comments.updated_at <= EXCLUDED.updated_at`,
      [
        c.id,
        c.repo,
        c.issueNumber,
        c.author ?? null,
        c.authorType ?? null,
        c.body,
        ts(c.createdAt),
        ts(c.updatedAt),
        json(c.raw),
      ],
    );
  }

  async deleteComment(id: number): Promise<void> {
    await this.db.query("DELETE FROM comments WHERE id = $1", [id]);
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
