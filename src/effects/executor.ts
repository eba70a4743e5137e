import { describeEffect, type Effect } from "./effects.js";
import type { Plan, PlannedEffect } from "./plan.js";

/** Does one effect on GitHub (or a stand-in) and returns what GitHub answered, for the audit log. */
export interface EffectApplier {
  /**
   * `signal` aborts when this process lost its claim on the effect's key (another process took
   * it over): no request may be sent, or retried, after that.
   */
  apply(effect: Effect, context?: ApplyContext): Promise<unknown>;
}

export interface ApplyContext {
  signal?: AbortSignal;
}

/** Why an applier was stopped mid-apply: the claim it wrote under is another process's now. */
export class ClaimLostError extends Error {
  override readonly name = "ClaimLostError";
}

export type AuditStatus = "claimed" | "applied" | "skipped" | "failed" | "dry-run";

/**
 * Thrown by an applier when an effect cannot succeed as configured (a Slack token that
 * `auth.test` refuses, a channel that does not exist). The audit log keeps it as `skipped` with
 * the message, which keeps its key: it is not tried again on every run. The message names the
 * setting to fix. Anything else an applier throws is `failed`, and the next run tries again.
 */
export class EffectRefusedError extends Error {
  override readonly name = "EffectRefusedError";
}

/** The part of the store the executor needs; the store implements it with one SQL statement each. */
/** An effect as the audit log records it. */
export interface AuditedEffect {
  key: string;
  planId: string;
  rule: string;
  effectType: string;
  target: string;
  effect: unknown;
  reason: string;
}

export interface AuditLog {
  claimEffect(
    claim: AuditedEffect & { owner: string; leaseMs: number },
  ): Promise<{ claimed: true } | { claimed: false; existing: { status: string } }>;
  finishEffect(
    key: string,
    owner: string,
    result: { status: "applied" | "failed" | "skipped"; outcome?: unknown; error?: string },
  ): Promise<object | null>;
  recordAudit(
    entry: AuditedEffect & { status: "dry-run" | "skipped"; error?: string },
  ): Promise<unknown>;
  /**
   * Extends `owner`'s claim on `key` by `leaseMs` from now; false when the claim is no longer
   * this owner's. Without it a claim cannot outlive its first lease.
   */
  renewClaim?(key: string, owner: string, leaseMs: number): Promise<boolean>;
}

export interface EffectResult {
  key: string;
  rule: string;
  target: string;
  line: string;
  reason: string;
  status: "applied" | "already-done" | "in-progress" | "failed" | "dry-run" | "deferred";
  error?: string;
}

export interface ExecuteOptions {
  dryRun: boolean;
  /** Who applies: a process identity, so a crashed owner's claim can expire and be taken over. */
  owner: string;
  /** How long a claim holds before another process may retry it. */
  leaseMs?: number;
  /**
   * How often a claim in hand is renewed while its write is under way (default a third of the
   * lease): a write that waits out GitHub's rate limits longer than one lease keeps its claim,
   * so another process does not take the key over and apply it a second time.
   */
  heartbeatMs?: number;
  /** At most this many writes per run; the rest wait for the next run (a runaway rule cannot spam). */
  budget?: number;
  /**
   * Aborted (shutdown): the effect in hand is finished and recorded, no further one is claimed;
   * those left are in the next run's plan again.
   */
  signal?: AbortSignal;
}

/**
 * The one place where effects happen. Each key is claimed in the audit log first, so two processes
 * sharing a store, or a rerun after a crash, apply it once.
 */
export async function execute(
  plan: Plan,
  applier: EffectApplier,
  audit: AuditLog,
  options: ExecuteOptions,
): Promise<EffectResult[]> {
  const results: EffectResult[] = [];
  let writes = 0;
  for (const planned of plan.effects) {
    if (options.signal?.aborted) break;
    const base = resultBase(planned);
    if (options.dryRun) {
      await audit.recordAudit({ ...auditFields(plan, planned), status: "dry-run" });
      results.push({ ...base, status: "dry-run" });
      continue;
    }
    if (options.budget !== undefined && writes >= options.budget) {
      const error = `budget of ${options.budget} writes per run reached (executor.budget)`;
      await audit.recordAudit({ ...auditFields(plan, planned), status: "skipped", error });
      results.push({ ...base, status: "deferred", error });
      continue;
    }
    const leaseMs = options.leaseMs ?? 5 * 60_000;
    const claim = await audit.claimEffect({
      ...auditFields(plan, planned),
      owner: options.owner,
      leaseMs,
    });
    if (!claim.claimed) {
      const status = claim.existing.status === "claimed" ? "in-progress" : "already-done";
      results.push({ ...base, status });
      continue;
    }
    writes += 1;
    const held = holdClaim(audit, planned.key, options.owner, leaseMs, options.heartbeatMs);
    try {
      let outcome: unknown;
      try {
        outcome = await applier.apply(planned.effect, { signal: held.signal });
      } finally {
        held.stop();
      }
      const kept = await audit.finishEffect(planned.key, options.owner, {
        status: "applied",
        outcome,
      });
      // A lease that ran out mid-apply may let another process retry; say so rather than hide it.
      const error = kept
        ? undefined
        : "applied after this process's claim had expired (executor lease)";
      results.push({ ...base, status: "applied", ...(error ? { error } : {}) });
    } catch (err) {
      if (held.signal.aborted) {
        // The key is another process's now: it records the outcome; this one must not.
        const error = `not applied: ${(held.signal.reason as Error).message}`;
        results.push({ ...base, status: "in-progress", error });
        continue;
      }
      const error = err instanceof Error ? err.message : String(err);
      const refused = err instanceof EffectRefusedError;
      await audit.finishEffect(planned.key, options.owner, {
        status: refused ? "skipped" : "failed",
        error: refused ? `${error} (not retried)` : error,
      });
      results.push({
        ...base,
        status: "failed",
        error: refused ? `${error} (not retried)` : error,
      });
    }
  }
  return results;
}

/**
 * Renews the claim every `heartbeatMs` while the write is under way; aborts the signal as soon
 * as a renewal finds the claim taken over, so the applier sends no further request.
 */
function holdClaim(
  audit: AuditLog,
  key: string,
  owner: string,
  leaseMs: number,
  heartbeatMs = Math.max(1, Math.floor(leaseMs / 3)),
): { signal: AbortSignal; stop(): void } {
  const lost = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const beat = async () => {
    if (stopped || !audit.renewClaim) return;
    try {
      const kept = await audit.renewClaim(key, owner, leaseMs);
      if (!kept && !stopped) {
        lost.abort(
          new ClaimLostError(
            `the claim on ${key} expired and another process took it over (executor lease ${leaseMs} ms)`,
          ),
        );
        return;
      }
    } catch {
      // A store that cannot renew now may still renew on the next beat, well within the lease.
    }
    if (!stopped) timer = setTimeout(beat, heartbeatMs);
  };
  if (audit.renewClaim) timer = setTimeout(beat, heartbeatMs);
  return {
    signal: lost.signal,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

function resultBase(p: PlannedEffect) {
  return {
    key: p.key,
    rule: p.rule,
    target: p.target,
    line: describeEffect(p.effect),
    reason: p.reason,
  };
}

function auditFields(plan: Plan, p: PlannedEffect) {
  return {
    key: p.key,
    planId: plan.id,
    rule: p.rule,
    effectType: p.effect.type,
    target: p.target,
    effect: p.effect,
    reason: p.reason,
  };
}

/** Applies nothing; remembers each effect as a readable line. Tests and `--dry-run` read it like a diff. */
export class RecordingApplier implements EffectApplier {
  readonly lines: string[] = [];
  async apply(effect: Effect): Promise<{ recorded: string }> {
    const line = describeEffect(effect);
    this.lines.push(line);
    return { recorded: line };
  }
}
