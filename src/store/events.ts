// A repository's issue event feed (labeled, closed, milestoned ...). Events never change once
// GitHub records them: they are inserted when absent, never updated.
//
// Webhook events (R2: a past answer never changes). A webhook changes an issue's row at once,
// but GitHub's event for the change reaches the store only with the next sync; until then the
// KPI replay (src/rules/kpi/asof.ts) would read a label added a minute ago as present since the
// issue's creation. So the webhook's named change is stored at once as an event of its own, in
// a distinct id space, and the sync's real event supersedes it:
// - ids: GitHub's event ids are positive; a webhook event's id is negative (-1 - a 52-bit hash
//   of repository, number, event, label and time: src/github/webhooks/issue-events.ts), so the
//   two never collide, and a redelivered webhook names the same event again (stored once);
// - the same change: same repository, issue, event and label (or both without one), times at
//   most {@link SUPERSEDE_WINDOW_SECONDS} apart (the payload's `updated_at` and the event's
//   `created_at` are one instant on GitHub, rendered separately);
// - supersession, in one statement each way, so no reader ever sees both: storing real events
//   deletes the webhook events they match (and marks the issue changed, so the KPI cache re-reads
//   it), and a webhook event is not stored when its real event is already there (a late
//   delivery). A webhook event whose real event never comes (events lost) stays: it is what
//   happened, at the time the webhook said.
import { Queries } from "./queries.js";
import { type DbRow, iso, num, str, strOrNull, ts } from "./sql-values.js";
import type { IssueEventFilter, IssueEventInput, IssueEventRow } from "./types.js";

/** What {@link toIssueEvent} reads. */
const EVENT_COLUMNS = "id, repo, issue_number, event, actor, label_name, created_at, raw";

export class IssueEventQueries extends Queries {
  /** Events never change once GitHub records them: insert if absent; true when new. */
  async insertIssueEvent(e: IssueEventInput): Promise<boolean> {
    return (await this.insertIssueEvents([e])) > 0;
  }

  /**
   * Inserts GitHub's events not stored yet, a page at a time, and removes the webhook events
   * they supersede (see the top of this file); returns how many were new.
   */
  async insertIssueEvents(events: readonly IssueEventInput[]): Promise<number> {
    if (events.length === 0) return 0;
    const synthetic = events.find((e) => e.id <= 0);
    if (synthetic) {
      throw new Error(
        `GitHub event ids are positive, found ${synthetic.id}; webhook events go through insertWebhookIssueEvents`,
      );
    }
    const { rows } = await this.db.query<{ inserted: string | number }>(
      `WITH batch AS (${BATCH}),
       inserted AS (
         INSERT INTO issue_events (${EVENT_COLUMNS})
         SELECT id, repo, issue_number, event, actor, label_name, created_at, raw FROM batch
         ON CONFLICT (id) DO NOTHING
         RETURNING id),
       superseded AS (
         DELETE FROM issue_events w USING batch b
          WHERE w.id < 0 AND ${SAME_CHANGE("w", "b")}
         RETURNING w.repo, w.issue_number),
       touched AS (
         UPDATE issues i SET change_xid = pg_current_xact_id()
           FROM (SELECT DISTINCT repo, issue_number FROM superseded) s
          WHERE i.repo = s.repo AND i.number = s.issue_number
         RETURNING 1)
       SELECT (SELECT count(*) FROM inserted) AS inserted,
              (SELECT count(*) FROM touched) AS touched`,
      [batchJson(events)],
    );
    return Number(rows[0]?.inserted ?? 0);
  }

  /**
   * Stores the changes a webhook names (labeled, closed ...) as events with negative ids, unless
   * the real event is already stored or the same webhook event was (a redelivery); returns how
   * many were stored. The sync's real events supersede them (see the top of this file).
   */
  async insertWebhookIssueEvents(events: readonly IssueEventInput[]): Promise<number> {
    if (events.length === 0) return 0;
    const real = events.find((e) => e.id >= 0);
    if (real) throw new Error(`webhook event ids are negative, found ${real.id}`);
    const { rows } = await this.db.query(
      `WITH batch AS (${BATCH})
       INSERT INTO issue_events (${EVENT_COLUMNS})
       SELECT id, repo, issue_number, event, actor, label_name, created_at, raw FROM batch b
        WHERE NOT EXISTS (
          SELECT 1 FROM issue_events r WHERE r.id > 0 AND ${SAME_CHANGE("r", "b")})
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [batchJson(events)],
    );
    return rows.length;
  }

  /** Oldest first. */
  async listIssueEvents(filter: IssueEventFilter): Promise<IssueEventRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${EVENT_COLUMNS} FROM issue_events
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
    return rows.map(toIssueEvent);
  }
}

/** How far apart a webhook's time and its real event's time may be and still be one change. */
export const SUPERSEDE_WINDOW_SECONDS = 60;

/** Events given as one JSON array (`$1`), as rows of issue_events. */
const BATCH = `SELECT id, repo, issue_number, event, actor, label_name,
                      created_at::timestamptz AS created_at, raw
                 FROM jsonb_to_recordset($1::jsonb) AS e(
                      id bigint, repo text, issue_number int, event text, actor text,
                      label_name text, created_at text, raw jsonb)`;

/** `a` and `b` are one change: same issue, event and label, at most the window apart. */
const SAME_CHANGE = (a: string, b: string) =>
  `${a}.repo = ${b}.repo AND ${a}.issue_number = ${b}.issue_number AND ${a}.event = ${b}.event
   AND ${a}.label_name IS NOT DISTINCT FROM ${b}.label_name
   AND ${a}.created_at BETWEEN ${b}.created_at - interval '${SUPERSEDE_WINDOW_SECONDS} seconds'
                           AND ${b}.created_at + interval '${SUPERSEDE_WINDOW_SECONDS} seconds'`;

function batchJson(events: readonly IssueEventInput[]): string {
  return JSON.stringify(
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
  );
}

function toIssueEvent(r: DbRow): IssueEventRow {
  return {
    id: num(r.id),
    repo: str(r.repo),
    issueNumber: num(r.issue_number),
    event: str(r.event),
    actor: strOrNull(r.actor),
    labelName: strOrNull(r.label_name),
    createdAt: iso(r.created_at),
    raw: r.raw ?? null,
  };
}
