// The KPI report's queries (src/api/kpi.ts): its snapshots (`kpi_snapshots`), and the reads
// that keep every issue, PR and state-changing event of its repositories in memory, loaded
// once, then re-read only where {@link KpiQueries.kpiChanges} names. Each read returns ONE
// JSON text (no payloads, no bodies, times as epoch milliseconds): one JSON.parse is far
// cheaper than tens of thousands of driver rows. `only` limits a read to those issues.
import { Queries } from "./queries.js";
import { type DbRow, iso, json, num, str, ts } from "./sql-values.js";
import type { KpiEventRow, KpiItemRow, KpiKey, KpiSnapshotInput, KpiSnapshotRow } from "./types.js";

/** What {@link toKpiSnapshot} reads. */
const KPI_SNAPSHOT_COLUMNS = "id, as_of, config_hash, payload, created_at";

export class KpiQueries extends Queries {
  /** One snapshot per (asOf, configHash): writing the same pair again replaces it. */
  async putKpiSnapshot(s: KpiSnapshotInput): Promise<KpiSnapshotRow> {
    const { rows } = await this.db.query<DbRow>(
      `INSERT INTO kpi_snapshots (as_of, config_hash, payload) VALUES ($1::timestamptz, $2, $3::jsonb)
       ON CONFLICT (as_of, config_hash) DO UPDATE SET payload = EXCLUDED.payload
       RETURNING ${KPI_SNAPSHOT_COLUMNS}`,
      [ts(s.asOf), s.configHash, json(s.payload)],
    );
    return toKpiSnapshot(rows[0]!);
  }

  /** Newest first. */
  async listKpiSnapshots(
    filter: { configHash?: string; since?: string; limit?: number } = {},
  ): Promise<KpiSnapshotRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${KPI_SNAPSHOT_COLUMNS} FROM kpi_snapshots
        WHERE ($1::text IS NULL OR config_hash = $1)
          AND ($2::timestamptz IS NULL OR as_of >= $2::timestamptz)
        ORDER BY as_of DESC, id DESC
        LIMIT $3`,
      [filter.configHash ?? null, ts(filter.since), filter.limit ?? null],
    );
    return rows.map(toKpiSnapshot);
  }

  /** The latest snapshot taken at or before `instant`. */
  async kpiSnapshotAt(instant: string, configHash?: string): Promise<KpiSnapshotRow | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${KPI_SNAPSHOT_COLUMNS} FROM kpi_snapshots
        WHERE as_of <= $1::timestamptz AND ($2::text IS NULL OR config_hash = $2)
        ORDER BY as_of DESC, id DESC
        LIMIT 1`,
      [ts(instant), configHash ?? null],
    );
    return rows[0] ? toKpiSnapshot(rows[0]) : null;
  }

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
}

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

function toKpiSnapshot(r: DbRow): KpiSnapshotRow {
  return {
    id: num(r.id),
    asOf: iso(r.as_of),
    configHash: str(r.config_hash),
    payload: r.payload ?? null,
    createdAt: iso(r.created_at),
  };
}
