// Issues and pull requests: one table, `issues`, keyed by (repo, number) like GitHub's single
// number sequence, with their labels in `issue_labels`. Stale writes are ignored, deletions
// leave tombstones (`issue_deletions`), and every write that changes an issue's labels, state,
// draft flag or branches sets `change_xid` (ADR 0009).
import { Queries } from "./queries.js";
import {
  bool,
  boolOrNull,
  type DbRow,
  iso,
  isoOrNull,
  num,
  numOrNull,
  str,
  strOrNull,
  ts,
} from "./sql-values.js";
import type { IssueFilter, IssueInput, IssueRow } from "./types.js";

/** An issue's current label names, sorted, as `labels` (the issue aliased `i`). */
export const ISSUE_LABELS = `coalesce((SELECT array_agg(l.label_name ORDER BY l.label_name)
                     FROM issue_labels l
                    WHERE l.repo = i.repo AND l.number = i.number), '{}') AS labels`;

/** What {@link toIssue} reads, from `issues i`; add a WHERE. */
export const ISSUE_SELECT = `
  SELECT i.repo, i.number, i.github_id, i.is_pull_request, i.title, i.body, i.state,
         i.state_reason, i.author, i.author_type, i.assignees, i.milestone_number, i.locked,
         i.comments_count, i.created_at, i.updated_at, i.closed_at, i.draft, i.merged_at,
         i.head_ref, i.head_sha, i.base_ref, i.raw, i.synced_at,
         ${ISSUE_LABELS}
    FROM issues i`;

/** Branch columns come only from the pulls API: an issues-API write must not blank them. */
const KEEP_BRANCH = (column: string) => `COALESCE(EXCLUDED.${column}, issues.${column})`;

export class IssueQueries extends Queries {
  /**
   * Writes the issue or pull request and replaces its labels. A write older than the
   * stored row (by updatedAt) is ignored, so a late webhook cannot undo a newer sync;
   * returns whether the row was written.
   */
  async upsertIssue(issue: IssueInput): Promise<boolean> {
    return (await this.upsertIssues([issue])) > 0;
  }

  /**
   * {@link upsertIssue} for a whole page at once: three statements instead of two per row,
   * which is what makes a 40,000-item sync take seconds. Returns how many were written.
   */
  upsertIssues(issues: readonly IssueInput[]): Promise<number> {
    if (issues.length === 0) return Promise.resolve(0);
    const rows = issues.map((i) => ({
      repo: i.repo,
      number: i.number,
      github_id: i.githubId ?? null,
      is_pull_request: i.isPullRequest,
      title: i.title,
      body: i.body ?? null,
      state: i.state,
      state_reason: i.stateReason ?? null,
      author: i.author ?? null,
      author_type: i.authorType ?? null,
      assignees: i.assignees ?? [],
      labels: i.labels ?? [],
      milestone_number: i.milestoneNumber ?? null,
      locked: i.locked ?? false,
      comments_count: i.commentsCount ?? 0,
      created_at: ts(i.createdAt),
      updated_at: ts(i.updatedAt),
      closed_at: ts(i.closedAt),
      draft: i.draft ?? null,
      merged_at: ts(i.mergedAt),
      head_ref: i.headRef ?? null,
      head_sha: i.headSha ?? null,
      base_ref: i.baseRef ?? null,
      raw: i.raw ?? null,
    }));
    return this.db.transaction(async (tx) => {
      const { rows: written } = await tx.query<{ repo: string; number: number }>(
        `INSERT INTO issues (repo, number, github_id, is_pull_request, title, body, state,
                             state_reason, author, author_type, assignees, milestone_number,
                             locked, comments_count, created_at, updated_at, closed_at, draft,
                             merged_at, head_ref, head_sha, base_ref, raw, synced_at)
         SELECT repo, number, github_id, is_pull_request, title, body, state, state_reason,
                author, author_type, assignees, milestone_number, locked, comments_count,
                created_at::timestamptz, updated_at::timestamptz, closed_at::timestamptz, draft,
                merged_at::timestamptz, head_ref, head_sha, base_ref, raw, now()
           FROM jsonb_to_recordset($1::jsonb) AS x(
                repo text, number int, github_id bigint, is_pull_request boolean, title text,
                body text, state text, state_reason text, author text, author_type text,
                assignees text[], milestone_number int, locked boolean, comments_count int,
                created_at text, updated_at text, closed_at text, draft boolean, merged_at text,
                head_ref text, head_sha text, base_ref text, raw jsonb)
          -- A write older than the issue's deletion (a webhook processed late) recreates nothing.
          WHERE NOT EXISTS (SELECT 1 FROM issue_deletions d
                             WHERE d.repo = x.repo AND d.number = x.number
                               AND d.deleted_at >= x.updated_at::timestamptz)
         ON CONFLICT (repo, number) DO UPDATE SET
           github_id = EXCLUDED.github_id, is_pull_request = EXCLUDED.is_pull_request,
           title = EXCLUDED.title, body = EXCLUDED.body, state = EXCLUDED.state,
           state_reason = EXCLUDED.state_reason, author = EXCLUDED.author,
           author_type = EXCLUDED.author_type, assignees = EXCLUDED.assignees,
           milestone_number = EXCLUDED.milestone_number, locked = EXCLUDED.locked,
           comments_count = EXCLUDED.comments_count, created_at = EXCLUDED.created_at,
           updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at,
           draft = EXCLUDED.draft, merged_at = EXCLUDED.merged_at,
           head_ref = ${KEEP_BRANCH("head_ref")}, head_sha = ${KEEP_BRANCH("head_sha")},
           base_ref = ${KEEP_BRANCH("base_ref")}, raw = EXCLUDED.raw, synced_at = now(),
           change_xid = pg_current_xact_id()
         WHERE issues.updated_at <= EXCLUDED.updated_at
         RETURNING repo, number`,
        [JSON.stringify(rows)],
      );
      if (written.length === 0) return 0;
      const keys = JSON.stringify(written.map((w) => ({ repo: w.repo, number: Number(w.number) })));
      await tx.query(
        `DELETE FROM issue_labels l USING jsonb_to_recordset($1::jsonb) AS k(repo text, number int)
          WHERE l.repo = k.repo AND l.number = k.number`,
        [keys],
      );
      const wanted = new Set(written.map((w) => `${w.repo}#${Number(w.number)}`));
      const labels = rows
        .filter((r) => wanted.has(`${r.repo}#${r.number}`))
        .flatMap((r) =>
          r.labels.map((label_name) => ({ repo: r.repo, number: r.number, label_name })),
        );
      if (labels.length > 0) {
        await tx.query(
          `INSERT INTO issue_labels (repo, number, label_name)
           SELECT repo, number, label_name
             FROM jsonb_to_recordset($1::jsonb) AS l(repo text, number int, label_name text)
           ON CONFLICT DO NOTHING`,
          [JSON.stringify(labels)],
        );
      }
      return written.length;
    });
  }

  /**
   * Writes an issue-shaped view of a pull request (issues and issue_comment deliveries carry
   * one), which has no branches: the stored head and base are kept. Stale writes are ignored
   * as in upsertIssue; returns whether the row was written.
   */
  upsertIssueKeepingBranches(issue: IssueInput): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<DbRow>(
        `SELECT head_ref, head_sha, base_ref FROM issues WHERE repo = $1 AND number = $2
         FOR UPDATE`,
        [issue.repo, issue.number],
      );
      const stored = rows[0];
      return new IssueQueries(tx).upsertIssue({
        ...issue,
        headRef: issue.headRef ?? strOrNull(stored?.head_ref),
        headSha: issue.headSha ?? strOrNull(stored?.head_sha),
        baseRef: issue.baseRef ?? strOrNull(stored?.base_ref),
      });
    });
  }

  async getIssue(repo: string, number: number): Promise<IssueRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `${ISSUE_SELECT} WHERE i.repo = $1 AND i.number = $2`,
      [repo, number],
    );
    return rows[0] ? toIssue(rows[0]) : null;
  }

  /** Ordered by repository, then number. */
  async listIssues(filter: IssueFilter = {}): Promise<IssueRow[]> {
    const kind = filter.kind === undefined ? null : filter.kind === "pull";
    const { rows } = await this.db.query<DbRow>(
      `${ISSUE_SELECT}
        WHERE ($1::text IS NULL OR i.repo = $1)
          AND ($2::text IS NULL OR i.state = $2)
          AND ($3::boolean IS NULL OR i.is_pull_request = $3)
          AND ($4::text IS NULL OR EXISTS (
                SELECT 1 FROM issue_labels l
                 WHERE l.repo = i.repo AND l.number = i.number AND l.label_name = $4))
          AND ($5::text IS NULL OR i.author = $5)
          AND ($6::integer IS NULL OR i.milestone_number = $6)
          AND ($7::timestamptz IS NULL OR i.updated_at >= $7::timestamptz)
        ORDER BY i.repo, i.number
        LIMIT $8`,
      [
        filter.repo ?? null,
        filter.state ?? null,
        kind,
        filter.label ?? null,
        filter.author ?? null,
        filter.milestoneNumber ?? null,
        ts(filter.updatedSince),
        filter.limit ?? null,
      ],
    );
    return rows.map(toIssue);
  }

  /** Issues and pull requests of one repository by number (unknown numbers are left out). */
  async listIssuesByNumber(repo: string, numbers: readonly number[]): Promise<IssueRow[]> {
    if (numbers.length === 0) return [];
    const { rows } = await this.db.query<DbRow>(
      `${ISSUE_SELECT} WHERE i.repo = $1 AND i.number = ANY($2::integer[]) ORDER BY i.number`,
      [repo, [...numbers]],
    );
    return rows.map(toIssue);
  }

  /** How many issues or pull requests a repository has, without reading them. */
  async countIssues(
    filter: { repo?: string; kind?: "issue" | "pull"; state?: "open" | "closed" } = {},
  ): Promise<number> {
    const kind = filter.kind === undefined ? null : filter.kind === "pull";
    const { rows } = await this.db.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM issues
        WHERE ($1::text IS NULL OR repo = $1)
          AND ($2::boolean IS NULL OR is_pull_request = $2)
          AND ($3::text IS NULL OR state = $3)`,
      [filter.repo ?? null, kind, filter.state ?? null],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Completes pull-request rows with the fields only the pulls API carries (branches, head sha,
   * draft, merge time), leaving the issue fields alone. Returns the numbers that had no row.
   */
  async setPullBranches(
    repo: string,
    pulls: readonly {
      number: number;
      draft: boolean;
      mergedAt: string | null;
      headRef: string;
      headSha: string;
      baseRef: string;
    }[],
  ): Promise<number[]> {
    if (pulls.length === 0) return [];
    const { rows } = await this.db.query<{ number: number }>(
      `UPDATE issues AS i SET draft = p.draft, merged_at = p.merged_at::timestamptz,
              head_ref = p.head_ref, head_sha = p.head_sha, base_ref = p.base_ref,
              change_xid = pg_current_xact_id()
         FROM jsonb_to_recordset($2::jsonb)
              AS p(number int, draft boolean, merged_at text, head_ref text, head_sha text, base_ref text)
        WHERE i.repo = $1 AND i.number = p.number
        RETURNING i.number`,
      [
        repo,
        JSON.stringify(
          pulls.map((p) => ({
            number: p.number,
            draft: p.draft,
            merged_at: p.mergedAt,
            head_ref: p.headRef,
            head_sha: p.headSha,
            base_ref: p.baseRef,
          })),
        ),
      ],
    );
    const found = new Set(rows.map((r) => Number(r.number)));
    return pulls.map((p) => p.number).filter((n) => !found.has(n));
  }

  /**
   * Sets a pull request's branches where they are unknown: a pull_request delivery older than
   * a row written from an issue-shaped view still knows them.
   */
  async fillPullBranches(
    repo: string,
    number: number,
    branches: { headRef: string; headSha: string; baseRef: string },
  ): Promise<void> {
    await this.db.query(
      `UPDATE issues SET head_ref = coalesce(head_ref, $3), head_sha = coalesce(head_sha, $4),
                         base_ref = coalesce(base_ref, $5)
        WHERE repo = $1 AND number = $2 AND is_pull_request
          AND (head_ref IS NULL OR head_sha IS NULL OR base_ref IS NULL)`,
      [repo, number, branches.headRef, branches.headSha, branches.baseRef],
    );
  }

  /** An issue deleted on GitHub: the row, its labels, comments and reviews; true when it existed. */
  deleteIssue(repo: string, number: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query("DELETE FROM comments WHERE repo = $1 AND issue_number = $2", [repo, number]);
      await tx.query("DELETE FROM reviews WHERE repo = $1 AND pull_number = $2", [repo, number]);
      const { rows } = await tx.query(
        "DELETE FROM issues WHERE repo = $1 AND number = $2 RETURNING number",
        [repo, number],
      );
      if (rows.length === 0) return false;
      await tx.query(
        `INSERT INTO issue_deletions (repo, number) VALUES ($1, $2)
         ON CONFLICT (repo, number) DO UPDATE SET
           deleted_at = now(), change_xid = pg_current_xact_id()`,
        [repo, number],
      );
      return true;
    });
  }
}

export function toIssue(r: DbRow): IssueRow {
  return {
    repo: str(r.repo),
    number: num(r.number),
    githubId: numOrNull(r.github_id),
    isPullRequest: bool(r.is_pull_request),
    title: str(r.title),
    body: strOrNull(r.body),
    state: r.state === "closed" ? "closed" : "open",
    stateReason: strOrNull(r.state_reason),
    author: strOrNull(r.author),
    authorType: strOrNull(r.author_type),
    assignees: (r.assignees as string[] | null) ?? [],
    labels: (r.labels as string[] | null) ?? [],
    milestoneNumber: numOrNull(r.milestone_number),
    locked: bool(r.locked),
    commentsCount: num(r.comments_count),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    closedAt: isoOrNull(r.closed_at),
    draft: boolOrNull(r.draft),
    mergedAt: isoOrNull(r.merged_at),
    headRef: strOrNull(r.head_ref),
    headSha: strOrNull(r.head_sha),
    baseRef: strOrNull(r.base_ref),
    raw: r.raw ?? null,
    syncedAt: iso(r.synced_at),
  };
}
