// The Store: every query Bosun makes, behind typed methods. Nothing outside src/store
// writes SQL. The same statements run on PGlite and PostgreSQL.
import * as audit from "./audit.js";
import type { Backend, Db } from "./db.js";
import { IngestBatcher } from "./ingest-batch.js";
import { appliedVersions } from "./migrations.js";
import { type DeliveryQueue, type DeliveryQueueOptions, openDeliveryQueue } from "./queue.js";
import { iso, isoOrNull, json, num, numOrNull, ts } from "./sql-values.js";
import type { DeployInput, DeployRow, MergedPullRow, PullFilesRow } from "./types.js";
import {
  type AuditEntry,
  type AuditFilter,
  type ClaimRequest,
  type ClaimResult,
  type CommentInput,
  type CommentRow,
  type CommitStatusInput,
  type CommitStatusRow,
  type CursorRow,
  type DeliveryInput,
  type DeliveryOutcome,
  type DeliveryRow,
  type DeliveryStats,
  type EtagRow,
  type FinishRequest,
  type IssueEventFilter,
  type IssueEventInput,
  type IssueEventRow,
  type IssueFilter,
  type IssueInput,
  type IssueRow,
  type KpiEventRow,
  type KpiItemRow,
  type KpiKey,
  type KpiSnapshotInput,
  type KpiSnapshotRow,
  type LabelInput,
  type LabelRow,
  type MilestoneInput,
  type MilestoneRow,
  type PendingDelivery,
  type RawDeliveryInput,
  type RecordAuditRequest,
  type RefInput,
  type RefRow,
  type RepositoryInput,
  type RepositoryRow,
  type ReviewInput,
  type ReviewRow,
  STORE_TABLES,
  type StoreStats,
  type TagInput,
  type TagRow,
} from "./types.js";

// Driver rows are loosely typed on purpose: the mappers below decide each field's type.
type DbRow = Record<string, unknown>;

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const bool = (v: unknown): boolean => v === true;
const boolOrNull = (v: unknown): boolean | null =>
  v === null || v === undefined ? null : v === true;

export class Store {
  private ingestBatcher: IngestBatcher | undefined;

  /**
   * Wraps an already-migrated database. Use openStore() to open one: it migrates, takes
   * the embedded store's lock, and releases it on close through `onClose`.
   */
  constructor(
    private readonly db: Db,
    private readonly onClose: () => void | Promise<void> = () => {},
  ) {}

  get backend(): Backend {
    return this.db.backend;
  }

  /**
   * Runs fn against a Store bound to one transaction; all or nothing. Use only the store
   * passed to fn inside it: on PGlite, a query on the outer store waits for the
   * transaction to end, which never comes.
   */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new Store(tx)));
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      await this.onClose();
    }
  }

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

  // --- repositories -------------------------------------------------------------------

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
    const { rows } = await this.db.query<DbRow>("SELECT * FROM repositories WHERE full_name = $1", [
      fullName,
    ]);
    return rows[0] ? toRepository(rows[0]) : null;
  }

  async listRepositories(): Promise<RepositoryRow[]> {
    const { rows } = await this.db.query<DbRow>("SELECT * FROM repositories ORDER BY full_name");
    return rows.map(toRepository);
  }

  // --- issues and pull requests -------------------------------------------------------

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

  /** Inserts the events not stored yet, a page at a time; returns how many were new. */
  async insertIssueEvents(events: readonly IssueEventInput[]): Promise<number> {
    if (events.length === 0) return 0;
    const { rows } = await this.db.query(
      `INSERT INTO issue_events (id, repo, issue_number, event, actor, label_name, created_at, raw)
       SELECT id, repo, issue_number, event, actor, label_name, created_at::timestamptz, raw
         FROM jsonb_to_recordset($1::jsonb) AS e(
              id bigint, repo text, issue_number int, event text, actor text, label_name text,
              created_at text, raw jsonb)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [
        JSON.stringify(
          events.map((e) => ({
            id: e.id,
            repo: e.repo,
            issue_number: e.issueNumber,
            event: e.event,
            actor: e.actor ?? null,
            label_name: e.labelName ?? null,
            created_at: ts(e.createdAt),
            raw: e.raw ?? null,
          })),
        ),
      ],
    );
    return rows.length;
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

  // --- GitHub logins the configuration names ---------------------------------------

  async setLoginFound(login: string, found: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO github_logins (login, found, checked_at) VALUES (lower($1), $2, now())
       ON CONFLICT (login) DO UPDATE SET found = EXCLUDED.found, checked_at = now()`,
      [login, found],
    );
  }

  /** Logins checked within `maxAgeMs`, lower case: those need no new look-up. */
  async recentlyCheckedLogins(maxAgeMs: number): Promise<Set<string>> {
    const { rows } = await this.db.query<{ login: string }>(
      "SELECT login FROM github_logins WHERE checked_at > now() - ($1::bigint * interval '1 millisecond')",
      [maxAgeMs],
    );
    return new Set(rows.map((r) => r.login));
  }

  /** Logins GitHub answered 404 for, lower case. */
  async missingLogins(): Promise<string[]> {
    const { rows } = await this.db.query<{ login: string }>(
      "SELECT login FROM github_logins WHERE NOT found ORDER BY login",
    );
    return rows.map((r) => r.login);
  }

  /** For labeled/unlabeled webhooks, between two full syncs of the issue. */
  addIssueLabel(repo: string, number: number, label: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `INSERT INTO issue_labels (repo, number, label_name) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING number`,
        [repo, number, label],
      );
      if (rows.length > 0) await touchIssues(tx, "repo = $1 AND number = $2", [repo, number]);
    });
  }

  removeIssueLabel(repo: string, number: number, label: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query(
        "DELETE FROM issue_labels WHERE repo = $1 AND number = $2 AND label_name = $3 RETURNING number",
        [repo, number, label],
      );
      if (rows.length > 0) await touchIssues(tx, "repo = $1 AND number = $2", [repo, number]);
    });
  }

  // --- labels and milestones ----------------------------------------------------------

  async upsertLabel(label: LabelInput): Promise<void> {
    await this.db.query(
      `INSERT INTO labels (repo, name, color, description, github_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (repo, name) DO UPDATE SET
         color = EXCLUDED.color, description = EXCLUDED.description,
         github_id = EXCLUDED.github_id`,
      [
        label.repo,
        label.name,
        label.color ?? null,
        label.description ?? null,
        label.githubId ?? null,
      ],
    );
  }

  async deleteLabel(repo: string, name: string): Promise<void> {
    await this.db.query("DELETE FROM labels WHERE repo = $1 AND name = $2", [repo, name]);
  }

  async listLabels(repo: string): Promise<LabelRow[]> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT * FROM labels WHERE repo = $1 ORDER BY name",
      [repo],
    );
    return rows.map((r) => ({
      repo: str(r.repo),
      name: str(r.name),
      color: strOrNull(r.color),
      description: strOrNull(r.description),
      githubId: numOrNull(r.github_id),
    }));
  }

  async upsertMilestone(m: MilestoneInput): Promise<void> {
    await this.db.query(
      `INSERT INTO milestones (repo, number, github_id, title, description, state, due_on,
                               open_issues, closed_issues, created_at, updated_at, closed_at, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9, $10::timestamptz,
               $11::timestamptz, $12::timestamptz, $13::jsonb)
       ON CONFLICT (repo, number) DO UPDATE SET
         github_id = EXCLUDED.github_id, title = EXCLUDED.title,
         description = EXCLUDED.description, state = EXCLUDED.state, due_on = EXCLUDED.due_on,
         open_issues = EXCLUDED.open_issues, closed_issues = EXCLUDED.closed_issues,
         created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
         closed_at = EXCLUDED.closed_at, raw = EXCLUDED.raw`,
      [
        m.repo,
        m.number,
        m.githubId ?? null,
        m.title,
        m.description ?? null,
        m.state,
        ts(m.dueOn),
        m.openIssues ?? 0,
        m.closedIssues ?? 0,
        ts(m.createdAt),
        ts(m.updatedAt),
        ts(m.closedAt),
        json(m.raw),
      ],
    );
  }

  async getMilestone(repo: string, number: number): Promise<MilestoneRow | null> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT * FROM milestones WHERE repo = $1 AND number = $2",
      [repo, number],
    );
    return rows[0] ? toMilestone(rows[0]) : null;
  }

  async listMilestones(
    repo: string,
    filter: { state?: "open" | "closed" } = {},
  ): Promise<MilestoneRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT * FROM milestones WHERE repo = $1 AND ($2::text IS NULL OR state = $2)
       ORDER BY number`,
      [repo, filter.state ?? null],
    );
    return rows.map(toMilestone);
  }

  // --- comments, reviews, events ------------------------------------------------------

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
      `SELECT * FROM comments WHERE repo = $1 AND issue_number = $2 ORDER BY created_at, id`,
      [repo, issueNumber],
    );
    return rows.map((r) => ({
      id: num(r.id),
      repo: str(r.repo),
      issueNumber: num(r.issue_number),
      author: strOrNull(r.author),
      authorType: strOrNull(r.author_type),
      body: str(r.body),
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
      raw: r.raw ?? null,
    }));
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
      `SELECT * FROM reviews WHERE repo = $1 AND pull_number = $2
       ORDER BY submitted_at NULLS LAST, id`,
      [repo, pullNumber],
    );
    return rows.map((r) => ({
      id: num(r.id),
      repo: str(r.repo),
      pullNumber: num(r.pull_number),
      author: strOrNull(r.author),
      state: str(r.state),
      body: strOrNull(r.body),
      commitId: strOrNull(r.commit_id),
      submittedAt: isoOrNull(r.submitted_at),
      raw: r.raw ?? null,
    }));
  }

  /** Events never change once GitHub records them: insert if absent; true when new. */
  async insertIssueEvent(e: IssueEventInput): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO issue_events (id, repo, issue_number, event, actor, label_name, created_at, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::jsonb)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [
        e.id,
        e.repo,
        e.issueNumber,
        e.event,
        e.actor ?? null,
        e.labelName ?? null,
        ts(e.createdAt),
        json(e.raw),
      ],
    );
    return rows.length > 0;
  }

  /** Oldest first. */
  async listIssueEvents(filter: IssueEventFilter): Promise<IssueEventRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT * FROM issue_events
        WHERE repo = $1
          AND ($2::integer IS NULL OR issue_number = $2)
          AND ($3::text IS NULL OR event = $3)
          AND ($4::timestamptz IS NULL OR created_at >= $4::timestamptz)
        ORDER BY created_at, id
        LIMIT $5`,
      [
        filter.repo,
        filter.issueNumber ?? null,
        filter.event ?? null,
        ts(filter.since),
        filter.limit ?? null,
      ],
    );
    return rows.map((r) => ({
      id: num(r.id),
      repo: str(r.repo),
      issueNumber: num(r.issue_number),
      event: str(r.event),
      actor: strOrNull(r.actor),
      labelName: strOrNull(r.label_name),
      createdAt: iso(r.created_at),
      raw: r.raw ?? null,
    }));
  }

  // --- refs and tags ------------------------------------------------------------------

  async upsertRef(ref: RefInput): Promise<void> {
    await this.db.query(
      `INSERT INTO refs (repo, name, sha, protected, synced_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (repo, name) DO UPDATE SET
         sha = EXCLUDED.sha, protected = EXCLUDED.protected, synced_at = now()`,
      [ref.repo, ref.name, ref.sha, ref.protected ?? null],
    );
  }

  async deleteRef(repo: string, name: string): Promise<void> {
    await this.db.query("DELETE FROM refs WHERE repo = $1 AND name = $2", [repo, name]);
  }

  async getRef(repo: string, name: string): Promise<RefRow | null> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT * FROM refs WHERE repo = $1 AND name = $2",
      [repo, name],
    );
    return rows[0] ? toRef(rows[0]) : null;
  }

  async listRefs(repo: string): Promise<RefRow[]> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT * FROM refs WHERE repo = $1 ORDER BY name",
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

  async deleteTag(repo: string, name: string): Promise<void> {
    await this.db.query("DELETE FROM tags WHERE repo = $1 AND name = $2", [repo, name]);
  }

  async listTags(repo: string): Promise<TagRow[]> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT * FROM tags WHERE repo = $1 ORDER BY name",
      [repo],
    );
    return rows.map((r) => ({
      repo: str(r.repo),
      name: str(r.name),
      sha: strOrNull(r.sha),
      createdAt: isoOrNull(r.created_at),
      syncedAt: iso(r.synced_at),
    }));
  }

  // --- webhook deliveries -------------------------------------------------------------

  /** Stores a delivery unless its id was seen before; true when it is new. */
  async insertDelivery(d: DeliveryInput): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO webhook_deliveries (delivery_id, event, action, repository, received_at,
                                       payload)
       VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()), $6::jsonb)
       ON CONFLICT (delivery_id) DO NOTHING
       RETURNING delivery_id`,
      [
        d.deliveryId,
        d.event,
        d.action ?? null,
        d.repository ?? null,
        ts(d.receivedAt),
        json(d.payload),
      ],
    );
    return rows.length > 0;
  }

  /** Marks a delivery handled; with an error it is handled too (not retried). */
  async markDeliveryProcessed(
    deliveryId: string,
    result: { error?: string | null } = {},
  ): Promise<void> {
    await this.db.query(
      "UPDATE webhook_deliveries SET processed_at = now(), error = $2 WHERE delivery_id = $1",
      [deliveryId, result.error ?? null],
    );
  }

  async getDelivery(deliveryId: string): Promise<DeliveryRow | null> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT * FROM webhook_deliveries WHERE delivery_id = $1",
      [deliveryId],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /** Unprocessed deliveries, oldest first. */
  async pendingDeliveries(options: { limit?: number } = {}): Promise<DeliveryRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT * FROM webhook_deliveries WHERE processed_at IS NULL
       ORDER BY received_at, delivery_id LIMIT $1`,
      [options.limit ?? null],
    );
    return rows.map(toDelivery);
  }

  // --- sync cursors and etags ---------------------------------------------------------

  async getCursor(repo: string, resource: string): Promise<CursorRow | null> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT * FROM sync_cursors WHERE repo = $1 AND resource = $2",
      [repo, resource],
    );
    const r = rows[0];
    return r
      ? {
          repo: str(r.repo),
          resource: str(r.resource),
          cursor: strOrNull(r.cursor),
          etag: strOrNull(r.etag),
          updatedAt: iso(r.updated_at),
        }
      : null;
  }

  async setCursor(
    repo: string,
    resource: string,
    value: { cursor: string | null; etag?: string | null },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_cursors (repo, resource, cursor, etag, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (repo, resource) DO UPDATE SET
         cursor = EXCLUDED.cursor, etag = EXCLUDED.etag, updated_at = now()`,
      [repo, resource, value.cursor, value.etag ?? null],
    );
  }

  async getEtag(key: string): Promise<EtagRow | null> {
    const { rows } = await this.db.query<DbRow>("SELECT * FROM etags WHERE key = $1", [key]);
    const r = rows[0];
    return r
      ? {
          key: str(r.key),
          etag: strOrNull(r.etag),
          lastModified: strOrNull(r.last_modified),
          updatedAt: iso(r.updated_at),
        }
      : null;
  }

  async setEtag(
    key: string,
    value: { etag: string | null; lastModified?: string | null },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO etags (key, etag, last_modified, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (key) DO UPDATE SET
         etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, updated_at = now()`,
      [key, value.etag, value.lastModified ?? null],
    );
  }

  // --- audit log (see audit.ts for the claim protocol) --------------------------------

  claimEffect(request: ClaimRequest): Promise<ClaimResult> {
    return audit.claimEffect(this.db, request);
  }

  finishEffect(key: string, owner: string, result: FinishRequest): Promise<AuditEntry | null> {
    return audit.finishEffect(this.db, key, owner, result);
  }

  recordAudit(entry: RecordAuditRequest): Promise<AuditEntry> {
    return audit.recordAudit(this.db, entry);
  }

  auditByKey(key: string): Promise<AuditEntry | null> {
    return audit.auditByKey(this.db, key);
  }

  listAudit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    return audit.listAudit(this.db, filter);
  }

  auditForTarget(target: string, options: { limit?: number } = {}): Promise<AuditEntry[]> {
    return audit.auditForTarget(this.db, target, options);
  }

  // --- KPI snapshots ------------------------------------------------------------------

  /** One snapshot per (asOf, configHash): writing the same pair again replaces it. */
  async putKpiSnapshot(s: KpiSnapshotInput): Promise<KpiSnapshotRow> {
    const { rows } = await this.db.query<DbRow>(
      `INSERT INTO kpi_snapshots (as_of, config_hash, payload) VALUES ($1::timestamptz, $2, $3::jsonb)
       ON CONFLICT (as_of, config_hash) DO UPDATE SET payload = EXCLUDED.payload
       RETURNING *`,
      [ts(s.asOf), s.configHash, json(s.payload)],
    );
    return toKpi(rows[0]!);
  }

  /** Newest first. */
  async listKpiSnapshots(
    filter: { configHash?: string; since?: string; limit?: number } = {},
  ): Promise<KpiSnapshotRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT * FROM kpi_snapshots
        WHERE ($1::text IS NULL OR config_hash = $1)
          AND ($2::timestamptz IS NULL OR as_of >= $2::timestamptz)
        ORDER BY as_of DESC, id DESC
        LIMIT $3`,
      [filter.configHash ?? null, ts(filter.since), filter.limit ?? null],
    );
    return rows.map(toKpi);
  }

  /** The latest snapshot taken at or before `instant`. */
  async kpiSnapshotAt(instant: string, configHash?: string): Promise<KpiSnapshotRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT * FROM kpi_snapshots
        WHERE as_of <= $1::timestamptz AND ($2::text IS NULL OR config_hash = $2)
        ORDER BY as_of DESC, id DESC
        LIMIT 1`,
      [ts(instant), configHash ?? null],
    );
    return rows[0] ? toKpi(rows[0]) : null;
  }

  // --- KPI reads (src/app/kpi.ts) -----------------------------------------------------
  // The KPI report keeps every issue, PR and state-changing event of its repositories in
  // memory, loaded once, then re-reads only what {@link kpiChanges} names. Each query returns
  // ONE JSON text (no payloads, no bodies, times as epoch milliseconds): one JSON.parse is far
  // cheaper than tens of thousands of driver rows. `only` limits a read to those issues.

  /**
   * The issues of `repos` whose row or labels changed, that got new events, or that were
   * deleted since `since` (a horizon this method returned earlier). `horizon` is the xmin of
   * this statement's snapshot: every write not visible to it belongs to a transaction at or
   * above it, so the next call, given it, misses nothing. With `since` null, only a horizon.
   */
  async kpiChanges(
    repos: readonly string[],
    since: string | null,
  ): Promise<{ horizon: string; changed: KpiKey[] }> {
    const { rows } = await this.db.query<{ horizon: string; changed: string }>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon,
              CASE WHEN $2::xid8 IS NULL THEN '[]' ELSE (
                SELECT coalesce(json_agg(json_build_array(repo, number)), '[]')::text FROM (
                  SELECT repo, number FROM issues
                   WHERE repo = ANY($1::text[]) AND change_xid >= $2::xid8
                  UNION
                  SELECT repo, issue_number FROM issue_events
                   WHERE repo = ANY($1::text[]) AND change_xid >= $2::xid8
                  UNION
                  SELECT repo, number FROM issue_deletions
                   WHERE repo = ANY($1::text[]) AND change_xid >= $2::xid8) AS c)
              END AS changed`,
      [[...repos], since],
    );
    const row = rows[0]!;
    return { horizon: String(row.horizon), changed: JSON.parse(row.changed) as KpiKey[] };
  }

  /** Issues and PRs of `repos`, compact, without labels (see {@link kpiLabels}). */
  async kpiItems(repos: readonly string[], only?: readonly KpiKey[]): Promise<KpiItemRow[]> {
    const scope = kpiScope("issues", "number", repos, only);
    const { rows } = await this.db.query<{ j: string }>(
      `SELECT coalesce(json_agg(json_build_array(
                i.repo, i.number, is_pull_request, title, author, author_type, draft, state,
                (extract(epoch FROM created_at) * 1000)::bigint,
                (extract(epoch FROM closed_at) * 1000)::bigint,
                (extract(epoch FROM merged_at) * 1000)::bigint)), '[]')::text AS j
         FROM ${scope.from}`,
      scope.params,
    );
    const list = JSON.parse(rows[0]?.j ?? "[]") as [
      string,
      number,
      boolean,
      string,
      string | null,
      string | null,
      boolean | null,
      string,
      number,
      number | null,
      number | null,
    ][];
    return list.map((r) => ({
      repo: r[0],
      number: r[1],
      isPullRequest: r[2],
      title: r[3],
      author: r[4],
      authorType: r[5],
      draft: r[6],
      state: r[7] === "closed" ? "closed" : "open",
      createdAt: Number(r[8]),
      closedAt: r[9] === null ? null : Number(r[9]),
      mergedAt: r[10] === null ? null : Number(r[10]),
    }));
  }

  /** Current labels of the issues and PRs of `repos`: [repo, number, label]. */
  async kpiLabels(
    repos: readonly string[],
    only?: readonly KpiKey[],
  ): Promise<[string, number, string][]> {
    const scope = kpiScope("issue_labels", "number", repos, only);
    const { rows } = await this.db.query<{ j: string }>(
      `SELECT coalesce(json_agg(json_build_array(i.repo, i.number, label_name)), '[]')::text AS j
         FROM ${scope.from}`,
      scope.params,
    );
    return JSON.parse(rows[0]?.j ?? "[]") as [string, number, string][];
  }

  /**
   * Issue events of `repos`: the `events` named, and of labeled/unlabeled only those of the
   * labels named or starting with one of `labelPrefixes`. In no particular order.
   */
  async kpiEvents(
    repos: readonly string[],
    filter: {
      events: readonly string[];
      labels: readonly string[];
      labelPrefixes: readonly string[];
    },
    only?: readonly KpiKey[],
  ): Promise<KpiEventRow[]> {
    const likes = filter.labelPrefixes.map((p) => `${p.replace(/[\\%_]/g, "\\$&")}%`);
    const scope = kpiScope("issue_events", "issue_number", repos, only);
    const { rows } = await this.db.query<{ j: string }>(
      `SELECT coalesce(json_agg(json_build_array(
                i.repo, i.issue_number, event, label_name,
                (extract(epoch FROM created_at) * 1000)::bigint, id)), '[]')::text AS j
         FROM ${scope.from}
          AND event = ANY($2::text[])
          AND (event NOT IN ('labeled', 'unlabeled')
               OR label_name = ANY($3::text[]) OR label_name LIKE ANY($4::text[]))`,
      [...scope.params, [...filter.events], [...filter.labels], likes],
    );
    const list = JSON.parse(rows[0]?.j ?? "[]") as [
      string,
      number,
      string,
      string | null,
      number,
      number,
    ][];
    return list.map((e) => ({
      repo: e[0],
      number: e[1],
      event: e[2],
      labelName: e[3],
      at: Number(e[4]),
      id: Number(e[5]),
    }));
  }

  /**
   * The weeks whose KPI report is on GitHub: what follows `marker` (a YYYY-MM-DD date) in the
   * bodies of `repo`'s issues and, when `issue` is given, of that issue's comments.
   */
  async kpiPostedWeeks(repo: string, marker: string, issue?: number): Promise<string[]> {
    const { rows } = await this.db.query<{ week: string }>(
      `SELECT DISTINCT substring(body FROM position($2 IN body) + length($2) FOR 10) AS week
         FROM (SELECT body FROM issues WHERE repo = $1 AND strpos(body, $2) > 0
               UNION ALL
               SELECT body FROM comments
                WHERE repo = $1 AND $3::integer IS NOT NULL AND issue_number = $3
                  AND strpos(body, $2) > 0) AS b
        ORDER BY week`,
      [repo, marker, issue ?? null],
    );
    return rows.map((r) => r.week);
  }

  // --- webhook ingestion ---------------------------------------------------------------
  // The endpoint's hot path (ingestDelivery), the job queue, processing one delivery, and the
  // writes only webhooks make: deletions, renames, refs named before their commit is known,
  // and commit statuses.

  /**
   * Stores a delivery as received unless its id is known; true when it is new. Deliveries
   * arriving together share one INSERT (see ingest-batch.ts); the database casts the payload
   * text to jsonb, so it is never re-serialised here.
   */
  ingestDelivery(d: RawDeliveryInput): Promise<boolean> {
    this.ingestBatcher ??= new IngestBatcher(this.db);
    return this.ingestBatcher.ingest(d);
  }

  /** One plain INSERT per delivery, as ingestDelivery without batching (the bench's ceiling). */
  async insertDeliveryText(d: RawDeliveryInput): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO webhook_deliveries (delivery_id, event, action, repository, payload)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (delivery_id) DO NOTHING
       RETURNING 1 AS stored`,
      [d.deliveryId, d.event, d.action, d.repository, d.payload],
      { name: "bosun_ingest_delivery" },
    );
    return rows.length > 0;
  }

  /** The job queue on this store's database (pg-boss; see queue.ts). Stop it before close(). */
  openDeliveryQueue(options?: DeliveryQueueOptions): Promise<DeliveryQueue> {
    return openDeliveryQueue(this.db, options);
  }

  /**
   * Unprocessed deliveries, oldest first, without payloads: what a sweep enqueues. Page with
   * `after` (the last row of the previous page); `receivedBefore` leaves out fresh ones.
   * `receivedAt` is given to the microsecond here (the database's precision), so that paging
   * by it neither repeats nor skips a row.
   */
  async pendingDeliveryIds(
    options: {
      limit?: number;
      after?: { receivedAt: string; deliveryId: string };
      receivedBefore?: string;
    } = {},
  ): Promise<(PendingDelivery & { receivedAt: string })[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT delivery_id, retries,
              to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at
         FROM webhook_deliveries
        WHERE processed_at IS NULL
          AND ($1::timestamptz IS NULL OR (received_at, delivery_id) > ($1::timestamptz, $2::text))
          AND ($3::timestamptz IS NULL OR received_at < $3::timestamptz)
        ORDER BY received_at, delivery_id
        LIMIT $4`,
      [
        ts(options.after?.receivedAt),
        options.after?.deliveryId ?? "",
        ts(options.receivedBefore),
        options.limit ?? null,
      ],
    );
    return rows.map((r) => ({
      deliveryId: str(r.delivery_id),
      retries: num(r.retries),
      receivedAt: str(r.received_at),
    }));
  }

  /**
   * Processes a delivery once: locks its row, skips it when it is unknown or already
   * processed (by anyone), runs `apply` against a store bound to the same transaction, and
   * marks it processed. When apply throws, its writes are rolled back and the delivery is
   * marked processed with the error, so one bad delivery never blocks the others. When the
   * database cannot even record that (connection lost), the error propagates and nothing is
   * marked: the queue retries the job.
   */
  processDelivery(
    deliveryId: string,
    apply: (store: Store, delivery: DeliveryRow) => Promise<void>,
  ): Promise<DeliveryOutcome> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<DbRow>(
        `SELECT * FROM webhook_deliveries
          WHERE delivery_id = $1 AND processed_at IS NULL
          FOR UPDATE`,
        [deliveryId],
      );
      const row = rows[0];
      if (!row) return { status: "skipped" } as const;
      // A savepoint keeps the transaction usable after apply fails, to record the error.
      await tx.query("SAVEPOINT apply_delivery");
      let error: string | null = null;
      try {
        await apply(new Store(tx), toDelivery(row));
        await tx.query("RELEASE SAVEPOINT apply_delivery");
      } catch (err) {
        await tx.query("ROLLBACK TO SAVEPOINT apply_delivery");
        error = err instanceof Error ? err.message : String(err);
      }
      await tx.query(
        "UPDATE webhook_deliveries SET processed_at = now(), error = $2 WHERE delivery_id = $1",
        [deliveryId, error],
      );
      return error === null ? ({ status: "processed" } as const) : { status: "failed", error };
    });
  }

  /**
   * Sends a failed delivery back to pending (its error cleared, `retries` counted up); returns
   * what to enqueue, or null when the delivery is unknown, pending, or processed without error.
   */
  async retryDelivery(deliveryId: string): Promise<PendingDelivery | null> {
    const { rows } = await this.db.query<DbRow>(
      `UPDATE webhook_deliveries SET processed_at = NULL, error = NULL, retries = retries + 1
        WHERE delivery_id = $1 AND processed_at IS NOT NULL AND error IS NOT NULL
        RETURNING delivery_id, retries`,
      [deliveryId],
    );
    const r = rows[0];
    return r ? { deliveryId: str(r.delivery_id), retries: num(r.retries) } : null;
  }

  async deliveryStats(): Promise<DeliveryStats> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT count(*) FILTER (WHERE processed_at IS NULL) AS pending,
              count(*) FILTER (WHERE processed_at IS NOT NULL AND error IS NULL) AS processed,
              count(*) FILTER (WHERE error IS NOT NULL) AS failed
         FROM webhook_deliveries`,
    );
    const r = rows[0] ?? {};
    return {
      pending: num(r.pending ?? 0),
      processed: num(r.processed ?? 0),
      failed: num(r.failed ?? 0),
    };
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
      return new Store(tx).upsertIssue({
        ...issue,
        headRef: issue.headRef ?? strOrNull(stored?.head_ref),
        headSha: issue.headSha ?? strOrNull(stored?.head_sha),
        baseRef: issue.baseRef ?? strOrNull(stored?.base_ref),
      });
    });
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

  /** A label renamed on GitHub: every issue carrying it now carries the new name. */
  renameLabel(repo: string, from: string, to: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      await touchIssues(tx, CARRYING_LABEL, [repo, from]);
      await tx.query(
        `INSERT INTO issue_labels (repo, number, label_name)
         SELECT repo, number, $3 FROM issue_labels WHERE repo = $1 AND label_name = $2
         ON CONFLICT DO NOTHING`,
        [repo, from, to],
      );
      await tx.query("DELETE FROM issue_labels WHERE repo = $1 AND label_name = $2", [repo, from]);
      await tx.query("DELETE FROM labels WHERE repo = $1 AND name = $2", [repo, from]);
    });
  }

  /** A label deleted on GitHub, which also takes it off every issue. */
  removeLabelEverywhere(repo: string, name: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      await touchIssues(tx, CARRYING_LABEL, [repo, name]);
      await tx.query("DELETE FROM issue_labels WHERE repo = $1 AND label_name = $2", [repo, name]);
      await tx.query("DELETE FROM labels WHERE repo = $1 AND name = $2", [repo, name]);
    });
  }

  /** A milestone deleted on GitHub, which also takes it off every issue. */
  deleteMilestone(repo: string, number: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        "UPDATE issues SET milestone_number = NULL WHERE repo = $1 AND milestone_number = $2",
        [repo, number],
      );
      await tx.query("DELETE FROM milestones WHERE repo = $1 AND number = $2", [repo, number]);
    });
  }

  /** Records that a branch exists when its commit is not known yet; a known branch is kept. */
  async noteRef(repo: string, name: string): Promise<void> {
    await this.db.query(
      `INSERT INTO refs (repo, name, sha, synced_at) VALUES ($1, $2, NULL, now())
       ON CONFLICT (repo, name) DO NOTHING`,
      [repo, name],
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

  /**
   * Keeps the latest status per (commit, kind, context): a write older than the stored one
   * (by updatedAt, then GitHub id) changes nothing; returns whether it was written.
   */
  async upsertCommitStatus(s: CommitStatusInput): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO commit_statuses (repo, sha, kind, context, state, conclusion, description,
                                    target_url, github_id, updated_at, raw)
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
      "SELECT * FROM commit_statuses WHERE repo = $1 AND sha = $2 ORDER BY kind, context",
      [repo, sha],
    );
    return rows.map((r) => ({
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
    }));
  }

  // --- release train: merge gate reads, pull request files, deploys (R6-R16, R27-R29) ---

  /** Reviews of several pull requests of one repository, oldest first per pull request. */
  async listReviewsForPulls(repo: string, numbers: readonly number[]): Promise<ReviewRow[]> {
    if (numbers.length === 0) return [];
    const { rows } = await this.db.query<DbRow>(
      `SELECT * FROM reviews WHERE repo = $1 AND pull_number = ANY($2::integer[])
       ORDER BY pull_number, submitted_at NULLS LAST, id`,
      [repo, [...numbers]],
    );
    return rows.map((r) => ({
      id: num(r.id),
      repo: str(r.repo),
      pullNumber: num(r.pull_number),
      author: strOrNull(r.author),
      state: str(r.state),
      body: strOrNull(r.body),
      commitId: strOrNull(r.commit_id),
      submittedAt: isoOrNull(r.submitted_at),
      raw: null,
    }));
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

  /** Pull requests merged at or after `since`, newest first, with their bodies and labels. */
  async listMergedPullsSince(repo: string, since: string): Promise<MergedPullRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT i.number, i.body, i.base_ref, i.merged_at,
              coalesce((SELECT array_agg(l.label_name ORDER BY l.label_name) FROM issue_labels l
                         WHERE l.repo = i.repo AND l.number = i.number), '{}') AS labels
         FROM issues i
        WHERE i.repo = $1 AND i.is_pull_request AND i.merged_at >= $2::timestamptz
        ORDER BY i.merged_at DESC, i.number DESC`,
      [repo, ts(since)],
    );
    return rows.map((r) => ({
      number: num(r.number),
      body: strOrNull(r.body),
      baseRef: strOrNull(r.base_ref),
      mergedAt: iso(r.merged_at),
      labels: (r.labels as string[] | null) ?? [],
    }));
  }

  /** The stored commit status of `context` on each of these commits (kind status). */
  async listStatusesForCommits(
    repo: string,
    shas: readonly string[],
    context: string,
  ): Promise<CommitStatusRow[]> {
    if (shas.length === 0) return [];
    const { rows } = await this.db.query<DbRow>(
      `SELECT * FROM commit_statuses
        WHERE repo = $1 AND sha = ANY($2::text[]) AND kind = 'status' AND context = $3`,
      [repo, [...shas], context],
    );
    return rows.map((r) => ({
      repo: str(r.repo),
      sha: str(r.sha),
      kind: "status",
      context: str(r.context),
      state: str(r.state),
      conclusion: strOrNull(r.conclusion),
      description: strOrNull(r.description),
      targetUrl: strOrNull(r.target_url),
      githubId: numOrNull(r.github_id),
      updatedAt: iso(r.updated_at),
      raw: null,
    }));
  }

  /** Stores the changed paths of a pull request at one head commit, replacing older ones. */
  async putPullFiles(f: {
    repo: string;
    number: number;
    headSha: string;
    paths: readonly string[];
    complete: boolean;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO pull_files (repo, number, head_sha, paths, complete, synced_at)
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
      `SELECT * FROM pull_files WHERE repo = $1 AND number = ANY($2::integer[]) ORDER BY number`,
      [repo, [...numbers]],
    );
    return rows.map((r) => ({
      repo: str(r.repo),
      number: num(r.number),
      headSha: str(r.head_sha),
      paths: (r.paths as string[] | null) ?? [],
      complete: bool(r.complete),
      syncedAt: iso(r.synced_at),
    }));
  }

  /**
   * Open pull requests whose changed files are not stored for their current head: never read,
   * or read before the last push. Oldest first.
   */
  async pullsNeedingFiles(
    repo: string,
    limit = 1000,
  ): Promise<{ number: number; headSha: string }[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT i.number, i.head_sha FROM issues i
         LEFT JOIN pull_files f ON f.repo = i.repo AND f.number = i.number
        WHERE i.repo = $1 AND i.is_pull_request AND i.state = 'open' AND i.head_sha IS NOT NULL
          AND (f.head_sha IS NULL OR f.head_sha <> i.head_sha)
        ORDER BY i.number
        LIMIT $2`,
      [repo, limit],
    );
    return rows.map((r) => ({ number: num(r.number), headSha: str(r.head_sha) }));
  }

  /** R28: records what now runs in an environment. */
  async recordDeploy(d: DeployInput): Promise<DeployRow> {
    const { rows } = await this.db.query<DbRow>(
      `INSERT INTO deploys (environment, image, version, sha, recorded_by, note, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()))
       RETURNING *`,
      [
        d.environment,
        d.image,
        d.version ?? null,
        d.sha ?? null,
        d.recordedBy ?? null,
        d.note ?? null,
        ts(d.recordedAt),
      ],
    );
    return toDeploy(rows[0]!);
  }

  /** Deploys of an environment, newest first. */
  async listDeploys(environment: string, limit = 20): Promise<DeployRow[]> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT * FROM deploys WHERE environment = $1 ORDER BY id DESC LIMIT $2",
      [environment, limit],
    );
    return rows.map(toDeploy);
  }

  /** Titles of the issues (not pull requests) of `repo` whose title contains `text`, any case. */
  async issueTitlesContaining(repo: string, text: string): Promise<string[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT title FROM issues
        WHERE repo = $1 AND NOT is_pull_request AND strpos(lower(title), lower($2)) > 0
        ORDER BY number`,
      [repo, text],
    );
    return rows.map((r) => str(r.title));
  }

  /** Tags (any configured repository) pointing at a commit whose sha starts with `prefix`. */
  async tagsForCommit(prefix: string): Promise<TagRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT * FROM tags WHERE sha IS NOT NULL AND left(sha, length($1)) = lower($1)
       ORDER BY repo, name`,
      [prefix],
    );
    return rows.map((r) => ({
      repo: str(r.repo),
      name: str(r.name),
      sha: strOrNull(r.sha),
      createdAt: isoOrNull(r.created_at),
      syncedAt: iso(r.synced_at),
    }));
  }

  // --- rituals and runbooks (R47, R48) -------------------------------------------------
  // Runbooks are stored whole as JSON (src/handbook/runbook-model.ts); ritual issues are
  // found by the hidden marker in their body (src/rules/rituals/marker.ts).

  /** Stores runbooks by anchor, replacing a runbook of the same anchor; all or nothing. */
  async putRunbooks(
    runbooks: readonly {
      anchor: string;
      aliases: string[];
      title: string;
      source: string;
      kind: string;
    }[],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const r of runbooks) {
        await tx.query(
          `INSERT INTO runbooks (anchor, aliases, title, source, kind, runbook, imported_at)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
           ON CONFLICT (anchor) DO UPDATE
             SET aliases = EXCLUDED.aliases, title = EXCLUDED.title, source = EXCLUDED.source,
                 kind = EXCLUDED.kind, runbook = EXCLUDED.runbook, imported_at = now()`,
          [r.anchor, r.aliases, r.title, r.source, r.kind, json(r)],
        );
      }
    });
  }

  /** Every stored runbook (the JSON given to putRunbooks), by title. */
  async listRunbooks(): Promise<{ runbook: unknown; importedAt: string }[]> {
    const { rows } = await this.db.query<DbRow>(
      "SELECT runbook, imported_at FROM runbooks ORDER BY title, anchor",
    );
    return rows.map((r) => ({ runbook: r.runbook, importedAt: iso(r.imported_at) }));
  }

  /** The runbook with this anchor, or with it among its aliases. */
  async getRunbook(anchor: string): Promise<unknown | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT runbook FROM runbooks WHERE anchor = $1 OR $1 = ANY(aliases)
        ORDER BY (anchor = $1) DESC LIMIT 1`,
      [anchor],
    );
    return rows[0]?.runbook ?? null;
  }

  /** Issues (not pull requests) whose body contains `marker`, with that body. */
  async listIssuesWithMarker(marker: string): Promise<
    {
      repo: string;
      number: number;
      state: "open" | "closed";
      title: string;
      body: string;
      createdAt: string;
    }[]
  > {
    const { rows } = await this.db.query<DbRow>(
      `SELECT repo, number, state, title, body, created_at FROM issues
        WHERE NOT is_pull_request AND strpos(body, $1) > 0
        ORDER BY repo, number`,
      [marker],
    );
    return rows.map((r) => ({
      repo: str(r.repo),
      number: num(r.number),
      state: r.state === "closed" ? "closed" : "open",
      title: str(r.title),
      body: str(r.body),
      createdAt: iso(r.created_at),
    }));
  }
}

const ISSUE_SELECT = `
  SELECT i.*,
         coalesce((SELECT array_agg(l.label_name ORDER BY l.label_name)
                     FROM issue_labels l
                    WHERE l.repo = i.repo AND l.number = i.number), '{}') AS labels
    FROM issues i`;

/** Branch columns come only from the pulls API: an issues-API write must not blank them. */
const KEEP_BRANCH = (column: string) => `COALESCE(EXCLUDED.${column}, issues.${column})`;

/**
 * What a KPI read of `table` covers, as `FROM ... WHERE ...` (the table aliased `i`, $1 taken):
 * the issues of `repos`, or only those `only` names, read by primary key.
 */
function kpiScope(
  table: string,
  column: string,
  repos: readonly string[],
  only: readonly KpiKey[] | undefined,
): { from: string; params: unknown[] } {
  if (!only) return { from: `${table} i WHERE i.repo = ANY($1::text[])`, params: [[...repos]] };
  return {
    from: `jsonb_to_recordset($1::jsonb) AS k(repo text, number int)
           JOIN ${table} i ON i.repo = k.repo AND i.${column} = k.number WHERE true`,
    params: [JSON.stringify(only.map(([repo, number]) => ({ repo, number })))],
  };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

const CARRYING_LABEL =
  "(repo, number) IN (SELECT repo, number FROM issue_labels WHERE repo = $1 AND label_name = $2)";

/** Marks issues as changed (migration 8) when only their labels were written. */
function touchIssues(db: Db, where: string, params: unknown[]) {
  return db.query(
    `UPDATE issues SET change_xid = pg_current_xact_id(), synced_at = now() WHERE ${where}`,
    params,
  );
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

function toIssue(r: DbRow): IssueRow {
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

function toMilestone(r: DbRow): MilestoneRow {
  return {
    repo: str(r.repo),
    number: num(r.number),
    githubId: numOrNull(r.github_id),
    title: str(r.title),
    description: strOrNull(r.description),
    state: r.state === "closed" ? "closed" : "open",
    dueOn: isoOrNull(r.due_on),
    openIssues: num(r.open_issues),
    closedIssues: num(r.closed_issues),
    createdAt: isoOrNull(r.created_at),
    updatedAt: isoOrNull(r.updated_at),
    closedAt: isoOrNull(r.closed_at),
    raw: r.raw ?? null,
  };
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

function toDelivery(r: DbRow): DeliveryRow {
  return {
    deliveryId: str(r.delivery_id),
    event: str(r.event),
    action: strOrNull(r.action),
    repository: strOrNull(r.repository),
    receivedAt: iso(r.received_at),
    processedAt: isoOrNull(r.processed_at),
    error: strOrNull(r.error),
    retries: num(r.retries ?? 0),
    payload: r.payload ?? null,
  };
}

function toKpi(r: DbRow): KpiSnapshotRow {
  return {
    id: num(r.id),
    asOf: iso(r.as_of),
    configHash: str(r.config_hash),
    payload: r.payload ?? null,
    createdAt: iso(r.created_at),
  };
}

function toDeploy(r: DbRow): DeployRow {
  return {
    id: num(r.id),
    environment: str(r.environment),
    image: str(r.image),
    version: strOrNull(r.version),
    sha: strOrNull(r.sha),
    recordedBy: strOrNull(r.recorded_by),
    note: strOrNull(r.note),
    recordedAt: iso(r.recorded_at),
  };
}
