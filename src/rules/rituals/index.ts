/**
 * R47 (with R43 and R48): each occurrence of a ritual with `autoIssue` gets exactly one issue in
 * its repository, with its labels, assigned to its DRI (or the configured assignee), whose body
 * is the description, the runbook's checklist and the link, plus a hidden marker.
 *
 * Exactly once, by two means that cover each other:
 * - the idempotency key `R47:createIssue:<repo>:<ritual>@<occurrence>`: the executor claims it
 *   in the audit log before filing, so two processes on one PostgreSQL file it once, and a rerun
 *   finds it done;
 * - convergence on the marker: an issue already in the store carrying the marker means the
 *   occurrence is filed, whoever filed it (a previous install, a process that crashed after
 *   filing but before recording, a person who copied the marker). This rule plans nothing then.
 *
 * Catch-up after downtime: `catchUp: latest` (default) files only the latest due occurrence;
 * `catchUp: all` files every occurrence since the latest one already filed (never backfilling
 * before the first issue Bosun filed or found), at most {@link MAX_CATCH_UP} at a time.
 *
 * First start: neither files an occurrence that came due before Bosun first ran for the
 * organisation (the store's `ritual_starts`, recorded by the first decision run: see load.ts).
 * Those are observed, and filed only on purpose: `bosun rituals backfill --since DATE`
 * ({@link backfillPlan}), through the executor, with the same keys and markers.
 */
import { Temporal } from "temporal-polyfill";
import { type Observation, type PlannedEffect, planned } from "../../effects/plan.js";
import { type RitualDefinition, resolveRituals } from "../../handbook/rituals.js";
import { findRunbook, runbookChecklist } from "../../handbook/runbook-model.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { compareSemver } from "../../handbook/versions.js";
import { isoWithOffset } from "../../time/index.js";
import { minusLead } from "../../time/recurrence.js";
import { filedLabels } from "../labels/vocabulary.js";
import { emptyOutput, type LoadContext, planningRule, type RepositoryState } from "../rule.js";
import { autoIssueRepository } from "./checks.js";
import { ritualsKeys } from "./config.js";
import { loadRitualsInput, type RitualReads } from "./load.js";
import { occurrenceKey, ritualMarker } from "./marker.js";
import { type DueInstance, describe, dueInstances, type RitualOccurrence } from "./occurrences.js";
import type { IgnoredMarkerSnapshot, RitualSnapshot } from "./snapshot.js";

export const RITUALS_RULE = "R47";
export const MAX_CATCH_UP = 20;

export interface RitualsInput {
  repositories: RepositoryState[];
  rituals: RitualSnapshot;
}

export const rituals = planningRule({
  name: "rituals",
  ids: ["R47", "R43", "R48"],
  config: { keys: ritualsKeys, reads: ["calendar", "roles"] },
  labels: (config) =>
    config.rituals.flatMap((r) =>
      r.autoIssue ? filedLabels(r.autoIssue.labels, r.autoIssue.repo) : [],
    ),
  checks: [autoIssueRepository],
  async load(ctx: LoadContext<RitualReads>): Promise<RitualsInput> {
    return {
      repositories: await ctx.repositories(),
      rituals: await loadRitualsInput(ctx.reads, ctx.config, ctx.now),
    };
  },
  summary:
    "Each occurrence of a ritual with autoIssue gets one issue in its repository, with its labels, assigned to its DRI; the body holds the description, the runbook checklist and the link (catch-up after downtime per catchUp; occurrences due before Bosun first ran for the organisation only through bosun rituals backfill).",
  decide(snapshot: RitualsInput, config, now) {
    const out = emptyOutput();
    const data = snapshot.rituals;
    const synced = new Map(snapshot.repositories.map((r) => [r.fullName, r.synced]));
    const started = data.startedAt ?? now.toString();
    const startMs = Date.parse(started);
    // Which occurrences are filed, per ritual, from the markers of issues in any repository.
    const filed = new Map<string, Set<string>>();
    for (const issue of data.issues) {
      const set = filed.get(issue.ritualId) ?? new Set<string>();
      set.add(issue.occurrence);
      filed.set(issue.ritualId, set);
    }
    for (const m of data.ignoredMarkers ?? []) out.observations.push(ignoredMarker(m));

    for (const def of resolveRituals(config)) {
      const auto = def.ritual.autoIssue;
      if (!auto) continue;
      const repo = `${config.organisation}/${auto.repo}`;
      if (synced.get(repo) !== true) {
        out.observations.push({
          rule: RITUALS_RULE,
          target: repo,
          message: `ritual "${def.ritual.task}" waits for the first full sync of ${repo}: an issue filed before may already carry its marker`,
        });
        continue;
      }
      const done = filed.get(def.id) ?? new Set<string>();
      const after = latestFiled(def, done);
      const all = dueInstances(def, now, data.patchReleases, after, MAX_CATCH_UP);
      // Occurrences due before Bosun first ran for the organisation are history: not filed
      // unless asked (bosun rituals backfill --since DATE).
      const before = all.filter((i) => dueMs(def, i) < startMs && !done.has(i.id));
      if (before.length > 0)
        out.observations.push(skippedBefore(def, before, repo, started, config));
      const due = all.filter((i) => dueMs(def, i) >= startMs);
      for (const inst of due) {
        if (done.has(inst.id)) continue;
        out.effects.push(
          ritualIssue(def, inst, config, data, (occ) => reason(def, occ, now, due.length)),
        );
      }
      const runbookRef = def.ritual.runbook;
      if (runbookRef && !findRunbook(data.runbooks, runbookRef)) {
        out.observations.push({
          rule: RITUALS_RULE,
          target: repo,
          message: `ritual "${def.ritual.task}": runbook "${runbookRef}" is not imported (bosun runbooks import <page.md>); its issues have no checklist`,
        });
      }
    }
    return out;
  },
});

/**
 * The issue of one occurrence, keyed `R47:createIssue:<repo>:<ritual>@<occurrence>`: the rule
 * and `bosun rituals backfill` plan the same effect, so the executor files it once.
 */
export function ritualIssue(
  def: RitualDefinition,
  inst: DueInstance,
  config: HandbookConfig,
  data: Pick<RitualSnapshot, "runbooks">,
  why: (occ: RitualOccurrence) => string,
): PlannedEffect {
  const auto = def.ritual.autoIssue!;
  const occ = describe(def, inst, config);
  return planned(
    RITUALS_RULE,
    {
      type: "createIssue",
      repo: `${config.organisation}/${auto.repo}`,
      title: issueTitle(occ),
      body: issueBody(def, occ, data),
      labels: auto.labels,
      assignees: [occ.assignee],
    },
    occurrenceKey.build({ ritual: def.id, occurrence: inst.id }),
    why(occ),
  );
}

/** When an occurrence's issue comes due: its time minus the lead time. */
export function dueMs(def: RitualDefinition, inst: DueInstance): number {
  return def.lead ? minusLead(inst.at(), def.lead).epochMilliseconds : inst.epochMs;
}

/** R47: the occurrences left unfiled because they came due before Bosun first ran. */
function skippedBefore(
  def: RitualDefinition,
  skipped: readonly DueInstance[],
  repo: string,
  started: string,
  config: HandbookConfig,
): Observation {
  const first = skipped[0]!;
  const last = skipped.at(-1)!;
  const which =
    skipped.length === 1
      ? `the occurrence of ${first.patchRelease ?? first.date} (due ${isoWithOffset(Temporal.Instant.fromEpochMilliseconds(dueMs(def, first)).toZonedDateTimeISO(def.timeZone))}) came`
      : `${skipped.length} occurrences (${first.patchRelease ?? first.date} … ${last.patchRelease ?? last.date}) came`;
  return {
    rule: RITUALS_RULE,
    target: repo,
    message: `ritual "${def.ritual.task}": ${which} due before Bosun first ran for ${config.organisation} (${started}); not filed (bosun rituals backfill --since ${first.date} files ${skipped.length === 1 ? "it" : "them"})`,
  };
}

/** The latest filed occurrence id of a ritual (dates and versions both sort as written). */
function latestFiled(def: RitualDefinition, done: Set<string>): string | undefined {
  if (done.size === 0) return undefined;
  const ids = [...done];
  if (def.recurrence) return ids.sort().at(-1);
  return ids.sort(compareSemver).at(-1);
}

export function issueTitle(occ: RitualOccurrence): string {
  if (occ.handoff) {
    return `${occ.task}: @${occ.handoff.outgoing} → @${occ.handoff.incoming} (${occ.date})`;
  }
  return `${occ.task} (${occ.patchRelease ?? occ.date})`;
}

/** Why a copied marker does not stop an occurrence from being filed. */
function ignoredMarker(m: IgnoredMarkerSnapshot): Observation {
  const by = m.author ? `@${m.author}` : "an unknown author";
  const why =
    m.ownLogins.length === 0
      ? "Bosun cannot tell its own GitHub login yet (no issue its audit log says it filed is in the store), so only markers on the issues it filed count"
      : `only markers written by Bosun's own account (${m.ownLogins.map((l) => `@${l}`).join(", ")}) count`;
  return {
    rule: RITUALS_RULE,
    target: `${m.repo}#${m.number}`,
    message: `R47: the marker of ritual ${m.ritualId} occurrence ${m.occurrence} on ${m.repo}#${m.number}, written by ${by}, does not count as filed: ${why}`,
  };
}

/** Description, R43 handoff, R48 checklist, the link, and the marker (last, out of the way). */
export function issueBody(
  def: RitualDefinition,
  occ: RitualOccurrence,
  data: Pick<RitualSnapshot, "runbooks">,
): string {
  const parts: string[] = [];
  const description = def.ritual.description.trim();
  if (description) parts.push(description);
  if (occ.handoff) {
    parts.push(
      `On-call handoff (R43): @${occ.handoff.outgoing} hands over to @${occ.handoff.incoming} at ${occ.handoff.at}.`,
    );
  }
  const reference = def.ritual.runbook ?? def.ritual.moreInfoUrl;
  const runbook = reference ? findRunbook(data.runbooks, reference) : undefined;
  if (runbook && runbook.steps.length > 0) {
    parts.push(`### Checklist: ${runbook.title}\n\n${runbookChecklist(runbook)}`);
  }
  if (def.ritual.moreInfoUrl) parts.push(`More info: ${def.ritual.moreInfoUrl}`);
  const when =
    occ.patchRelease !== undefined
      ? `patch release ${occ.patchRelease}`
      : `${occ.date} ${occ.at.slice(11, 16)} ${occ.timeZone}`;
  parts.push(
    `_Filed by Bosun for the ritual "${def.ritual.task}" (${occ.frequency}, DRI @${def.ritual.dri}), occurrence ${when}._`,
  );
  parts.push(ritualMarker(def.id, occ.occurrence));
  return parts.join("\n\n");
}

function reason(
  def: RitualDefinition,
  occ: RitualOccurrence,
  now: Temporal.Instant,
  dueCount: number,
): string {
  const r = def.ritual;
  const lead = r.leadTime ? `, opened ${r.leadTime} ahead` : "";
  const what =
    occ.patchRelease !== undefined
      ? `patch release ${occ.patchRelease}`
      : `the occurrence of ${occ.at}${lead}`;
  const catchUp =
    dueCount > 1 ? ` (catching up ${dueCount} missed occurrences: catchUp: ${def.catchUp})` : "";
  return `R47: "${r.task}" (${occ.frequency} since ${r.startedOn}, DRI @${r.dri}) is due for ${what}; no issue carries its marker yet (checked ${now.toString()})${catchUp}`;
}
