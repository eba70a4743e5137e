// R47 on purpose: `bosun rituals backfill --since DATE` files the occurrences of every ritual
// with `autoIssue` (or one, by id) from DATE up to now that carry no marker yet, whatever
// `catchUp` says and whenever Bosun first ran: the rule leaves those to be asked for. The
// effects are the rule's own (same keys, titles, bodies and markers), so the executor files
// each once, and a later run of the rule or of this plan finds them done. Pure.
import type { Temporal } from "temporal-polyfill";
import { type RitualDefinition, resolveRituals } from "../../handbook/rituals.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { emptyOutput, type RuleOutput } from "../rule.js";
import { RITUALS_RULE, type RitualsInput, ritualIssue } from "./index.js";
import { dueSince } from "./occurrences.js";

export interface BackfillRequest {
  /** 00:00 of the first day, in the calendar's time zone. */
  since: Temporal.Instant;
  /** The day as given, for reasons. */
  sinceDate: string;
  /** Only this ritual (its id); absent: every ritual with autoIssue. */
  ritual?: string;
}

/** The rituals a backfill covers: those with autoIssue, or the one named. */
export function backfillRituals(
  config: HandbookConfig,
  ritual: string | undefined,
): RitualDefinition[] {
  return resolveRituals(config).filter(
    (d) => d.ritual.autoIssue && (ritual === undefined || d.id === ritual),
  );
}

export function backfillPlan(
  input: RitualsInput,
  config: HandbookConfig,
  now: Temporal.Instant,
  request: BackfillRequest,
): RuleOutput {
  const out = emptyOutput();
  const synced = new Map(input.repositories.map((r) => [r.fullName, r.synced]));
  const filed = new Set(input.rituals.issues.map((i) => `${i.ritualId}@${i.occurrence}`));
  for (const def of backfillRituals(config, request.ritual)) {
    const repo = `${config.organisation}/${def.ritual.autoIssue!.repo}`;
    if (synced.get(repo) !== true) {
      out.observations.push({
        rule: RITUALS_RULE,
        target: repo,
        message: `ritual "${def.ritual.task}" not backfilled: ${repo} has not finished its first full sync (an issue filed before may already carry its marker)`,
      });
      continue;
    }
    for (const inst of dueSince(def, request.since, now, input.rituals.patchReleases)) {
      if (filed.has(`${def.id}@${inst.id}`)) continue;
      out.effects.push(
        ritualIssue(
          def,
          inst,
          config,
          input.rituals,
          (occ) =>
            `R47: "${def.ritual.task}" (${occ.frequency} since ${def.ritual.startedOn}, DRI @${def.ritual.dri}): the occurrence of ${occ.patchRelease ? `patch release ${occ.patchRelease}` : occ.at} filed on request (bosun rituals backfill --since ${request.sinceDate}); no issue carries its marker yet (checked ${now.toString()})`,
        ),
      );
    }
  }
  return out;
}
