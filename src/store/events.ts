// A repository's issue event feed (labeled, closed, milestoned ...). Events never change once
// GitHub records them: they are inserted when absent, never updated.
import { Queries } from "./queries.js";
import { type DbRow, iso, json, num, str, strOrNull, ts } from "./sql-values.js";
import type { IssueEventFilter, IssueEventInput, IssueEventRow } from "./types.js";

/** What {@link toIssueEvent} reads. */
const EVENT_COLUMNS = "id, repo, issue_number, event, actor, label_name, created_at, raw";

export class IssueEventQueries extends Queries {
  /** Events never change once GitHub records them: insert if absent; true when new. */
  async insertIssueEvent(e: IssueEventInput): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO issue_events (${EVENT_COLUMNS})
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

  /** Inserts the events not stored yet, a page at a time; returns how many were new. */
  async insertIssueEvents(events: readonly IssueEventInput[]): Promise<number> {
    if (events.length === 0) return 0;
    const { rows } = await this.db.query(
      `INSERT INTO issue_events (${EVENT_COLUMNS})
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
