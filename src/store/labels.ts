// A repository's labels (`labels`) and the labels on issues (`issue_labels`) as webhooks
// change them between two full syncs. A write that changes only an issue's labels marks the
// issue changed (change_xid, ADR 0009).
import type { Db } from "./db.js";
import { Queries } from "./queries.js";
import { type DbRow, numOrNull, str, strOrNull } from "./sql-values.js";
import type { LabelInput, LabelRow } from "./types.js";

/** What {@link toLabel} reads. */
const LABEL_COLUMNS = "repo, name, color, description, github_id";

const CARRYING_LABEL =
  "(repo, number) IN (SELECT repo, number FROM issue_labels WHERE repo = $1 AND label_name = $2)";

export class LabelQueries extends Queries {
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
      `SELECT ${LABEL_COLUMNS} FROM labels WHERE repo = $1 ORDER BY name`,
      [repo],
    );
    return rows.map(toLabel);
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
}

/** Marks issues as changed (migration 8) when only their labels were written. */
function touchIssues(db: Db, where: string, params: unknown[]) {
  return db.query(
    `UPDATE issues SET change_xid = pg_current_xact_id(), synced_at = now() WHERE ${where}`,
    params,
  );
}

function toLabel(r: DbRow): LabelRow {
  return {
    repo: str(r.repo),
    name: str(r.name),
    color: strOrNull(r.color),
    description: strOrNull(r.description),
    githubId: numOrNull(r.github_id),
  };
}
