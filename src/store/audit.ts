// The audit log doubles as the executor's idempotency ledger.
//
// - A real run claims an effect's key (claimEffect), does the work, then finishes the
//   claim (finishEffect). The row that owns a key has idempotency_key = key; the UNIQUE
//   constraint on that column is what makes a claim atomic across processes.
// - A key is free to claim again only when its owning row is 'failed', or 'claimed' with
//   an expired lease (the claimer died). The old row is kept as history: it gives up the
//   key (idempotency_key = NULL, effect_key still names it) and a new row is inserted.
//   'applied' and 'skipped' rows keep the key for good: the effect is done.
// - recordAudit writes rows that never own a key (dry-run, skips decided before any
//   claim): idempotency_key stays NULL, so they cannot block a later real run.
// - Leases are measured with the database clock, which all processes share.
import { Queries } from "./queries.js";
import { type DbRow, iso, isoOrNull, json, num, str, strOrNull } from "./sql-values.js";
import type {
  AuditEntry,
  AuditFilter,
  AuditStatus,
  ClaimRequest,
  ClaimResult,
  FinishRequest,
  RecordAuditRequest,
} from "./types.js";

const COLUMNS = `id, idempotency_key, effect_key, plan_id, rule, effect_type, target, effect,
  reason, status, outcome, error, claimed_by, claimed_at, lease_expires_at, attempts,
  finished_at, created_at`;

export class AuditQueries extends Queries {
  claimEffect(request: ClaimRequest): Promise<ClaimResult> {
    return this.db.transaction(async (tx) => {
      // Retire a row that no longer deserves the key. Concurrent claimers block on this
      // row's lock; the loser then finds the key gone from it and falls through to the
      // INSERT, which conflicts with the winner's new row.
      await tx.query(
        `UPDATE audit_log
          SET idempotency_key = NULL,
              status = 'failed',
              error = CASE WHEN status = 'claimed'
                           THEN 'lease expired; taken over by ' || $2::text
                           ELSE error END,
              finished_at = coalesce(finished_at, now())
        WHERE idempotency_key = $1
          AND (status = 'failed' OR (status = 'claimed' AND lease_expires_at <= now()))`,
        [request.key, request.owner],
      );
      const { rows } = await tx.query<DbRow>(
        `INSERT INTO audit_log (idempotency_key, effect_key, plan_id, rule, effect_type, target,
                              effect, reason, status, claimed_by, claimed_at,
                              lease_expires_at, attempts)
       SELECT $1, $1, $2, $3, $4, $5, $6::jsonb, $7, 'claimed', $8, now(),
              now() + $9::integer * interval '1 millisecond',
              1 + (SELECT count(*) FROM audit_log WHERE effect_key = $1 AND idempotency_key IS NULL
                     AND claimed_by IS NOT NULL)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${COLUMNS}`,
        [
          request.key,
          request.planId ?? null,
          request.rule ?? null,
          request.effectType,
          request.target,
          json(request.effect),
          request.reason ?? null,
          request.owner,
          Math.max(0, Math.round(request.leaseMs)),
        ],
      );
      const mine = rows[0];
      if (mine) return { claimed: true, entry: toEntry(mine) };
      const existing = await new AuditQueries(tx).auditByKey(request.key);
      if (!existing) throw new Error(`audit key ${request.key} conflicted but has no owner row`);
      return { claimed: false, existing };
    });
  }

  /**
   * Records the outcome of a claim. Returns null when `owner` no longer holds the claim
   * (its lease expired and another owner took the key over): the caller should report that
   * its work may have been repeated.
   */
  async finishEffect(
    key: string,
    owner: string,
    result: FinishRequest,
  ): Promise<AuditEntry | null> {
    const { rows } = await this.db.query<DbRow>(
      `UPDATE audit_log
        SET status = $3, outcome = $4::jsonb, error = $5, finished_at = now(),
            lease_expires_at = NULL
      WHERE idempotency_key = $1 AND claimed_by = $2 AND status = 'claimed'
      RETURNING ${COLUMNS}`,
      [key, owner, result.status, json(result.outcome), result.error ?? null],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  /**
   * Extends `owner`'s claim on `key` to `leaseMs` from now. False when the row holding the key
   * is no longer this owner's claim (taken over, or finished). A lease that ran out but was not
   * taken over is renewed: nobody else has applied the effect, since taking over retires the row.
   */
  async renewClaim(key: string, owner: string, leaseMs: number): Promise<boolean> {
    const { rows } = await this.db.query<DbRow>(
      `UPDATE audit_log
        SET lease_expires_at = now() + $3::integer * interval '1 millisecond'
      WHERE idempotency_key = $1 AND claimed_by = $2 AND status = 'claimed'
      RETURNING id`,
      [key, owner, Math.max(0, Math.round(leaseMs))],
    );
    return rows.length > 0;
  }

  async recordAudit(entry: RecordAuditRequest): Promise<AuditEntry> {
    const { rows } = await this.db.query<DbRow>(
      `INSERT INTO audit_log (idempotency_key, effect_key, plan_id, rule, effect_type, target,
                            effect, reason, status, outcome, error, finished_at)
     VALUES (NULL, $1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9::jsonb, $10, now())
     RETURNING ${COLUMNS}`,
      [
        entry.key,
        entry.planId ?? null,
        entry.rule ?? null,
        entry.effectType,
        entry.target,
        json(entry.effect),
        entry.reason ?? null,
        entry.status,
        json(entry.outcome),
        entry.error ?? null,
      ],
    );
    return toEntry(rows[0]!);
  }

  /**
   * Issues Bosun itself filed, as its audit log records them (an applied createIssue whose
   * outcome names the number), with their author as the store has it: the author is Bosun's own
   * GitHub login (a token's user, or an App's `slug[bot]`), learned without asking GitHub.
   */
  async bosunFiledIssues(): Promise<{ repo: string; number: number; author: string | null }[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT DISTINCT i.repo, i.number, i.author
         FROM audit_log a
         JOIN issues i ON i.repo = a.target AND NOT i.is_pull_request
                      AND jsonb_typeof(a.outcome -> 'number') = 'number'
                      AND i.number = (a.outcome ->> 'number')::integer
        WHERE a.status = 'applied' AND a.effect_type = 'createIssue'
        ORDER BY i.repo, i.number`,
    );
    return rows.map((r) => ({
      repo: str(r.repo),
      number: num(r.number),
      author: strOrNull(r.author),
    }));
  }

  /** Those of `keys` whose effect is done for good ('applied' or 'skipped'): no run applies them again. */
  async doneKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const { rows } = await this.db.query<DbRow>(
      `SELECT idempotency_key FROM audit_log
        WHERE idempotency_key = ANY($1::text[]) AND status IN ('applied', 'skipped')`,
      [[...keys]],
    );
    return new Set(rows.map((r) => str(r.idempotency_key)));
  }

  /** The row that currently owns the key, if any. */
  async auditByKey(key: string): Promise<AuditEntry | null> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE idempotency_key = $1`,
      [key],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  /** Newest first; `before` pages by id. */
  async listAudit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${COLUMNS} FROM audit_log
      WHERE ($1::text IS NULL OR target = $1)
        AND ($2::text IS NULL OR rule = $2)
        AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC
      LIMIT $4`,
      [filter.target ?? null, filter.rule ?? null, filter.before ?? null, filter.limit ?? 100],
    );
    return rows.map(toEntry);
  }

  /**
   * Everything done to a target, newest first. How the target is matched:
   * - "owner/repo#123": that exact target, plus sub-targets written under it
   *   ("owner/repo#123/comment", "owner/repo#123:label") but never "owner/repo#1234";
   * - "repo#123": "<any owner>/repo#123" (a user typing the short form);
   * - "#123", "PR#123", "pr #123", "issue#123": number 123 in any repository;
   * - anything else ("owner/repo", "owner/repo@main"): that exact target only.
   */
  async auditForTarget(target: string, options: { limit?: number } = {}): Promise<AuditEntry[]> {
    const limit = options.limit ?? 200;
    const query = parseTargetQuery(target.trim());
    const where =
      query.kind === "issue"
        ? `target = $1 OR (left(target, length($1)) = $1
                         AND substr(target, length($1) + 1, 1) NOT BETWEEN '0' AND '9')`
        : query.kind === "suffix"
          ? "right(target, length($1)) = $1"
          : "target = $1";
    const { rows } = await this.db.query<DbRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT $2`,
      [query.value, limit],
    );
    return rows.map(toEntry);
  }
}

function toEntry(row: DbRow): AuditEntry {
  return {
    id: num(row.id),
    key: str(row.effect_key),
    holdsKey: row.idempotency_key !== null,
    planId: strOrNull(row.plan_id),
    rule: strOrNull(row.rule),
    effectType: str(row.effect_type),
    target: str(row.target),
    effect: row.effect,
    reason: strOrNull(row.reason),
    status: row.status as AuditStatus,
    outcome: row.outcome,
    error: strOrNull(row.error),
    claimedBy: strOrNull(row.claimed_by),
    claimedAt: isoOrNull(row.claimed_at),
    leaseExpiresAt: isoOrNull(row.lease_expires_at),
    attempts: num(row.attempts),
    finishedAt: isoOrNull(row.finished_at),
    createdAt: iso(row.created_at),
  };
}

type TargetQuery = { kind: "issue" | "suffix" | "exact"; value: string };

export function parseTargetQuery(target: string): TargetQuery {
  const numberOnly = /^(?:(?:pr|pull|issue)\s*)?#(\d+)$/i.exec(target);
  if (numberOnly) return { kind: "suffix", value: `#${numberOnly[1]}` };
  const repoAndNumber = /^([^/\s#@]+)#(\d+)$/.exec(target);
  if (repoAndNumber) return { kind: "suffix", value: `/${repoAndNumber[1]}#${repoAndNumber[2]}` };
  if (/^[^/\s#@]+\/[^/\s#@]+#\d+$/.test(target)) return { kind: "issue", value: target };
  return { kind: "exact", value: target };
}
