// A repository's milestones (the release train's versions), keyed by (repo, number).
import { Queries } from "./queries.js";
import { type DbRow, isoOrNull, json, num, numOrNull, str, strOrNull, ts } from "./sql-values.js";
import type { MilestoneInput, MilestoneRow } from "./types.js";

/** What {@link toMilestone} reads. */
const MILESTONE_COLUMNS = `repo, number, github_id, title, description, state, due_on, open_issues,
  closed_issues, created_at, updated_at, closed_at, raw`;

export class MilestoneQueries extends Queries {
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
      `SELECT ${MILESTONE_COLUMNS} FROM milestones WHERE repo = $1 AND number = $2`,
      [repo, number],
    );
    return rows[0] ? toMilestone(rows[0]) : null;
  }

  async listMilestones(
    repo: string,
    filter: { state?: "open" | "closed" } = {},
  ): Promise<MilestoneRow[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${MILESTONE_COLUMNS} FROM milestones
        WHERE repo = $1 AND ($2::text IS NULL OR state = $2)
       ORDER BY number`,
      [repo, filter.state ?? null],
    );
    return rows.map(toMilestone);
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
