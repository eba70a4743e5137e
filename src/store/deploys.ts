// R28: what runs in each environment (`deploys`), as recorded by `bosun deploy`.
import { Queries } from "./queries.js";
import { type DbRow, iso, num, str, strOrNull, ts } from "./sql-values.js";
import type { DeployInput, DeployRow } from "./types.js";

/** What {@link toDeploy} reads. */
const DEPLOY_COLUMNS = "id, environment, image, version, sha, recorded_by, note, recorded_at";

export class DeployQueries extends Queries {
  /** R28: records what now runs in an environment. */
  async recordDeploy(d: DeployInput): Promise<DeployRow> {
    const { rows } = await this.db.query<DbRow>(
      `INSERT INTO deploys (environment, image, version, sha, recorded_by, note, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()))
       RETURNING ${DEPLOY_COLUMNS}`,
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
      `SELECT ${DEPLOY_COLUMNS} FROM deploys WHERE environment = $1 ORDER BY id DESC LIMIT $2`,
      [environment, limit],
    );
    return rows.map(toDeploy);
  }
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
