// Rituals and runbooks from the store (R43, R47, R48): the upcoming occurrences and the issues
// filed for them (dashboard, API, calendar feed), runbook import, opening an issue from a
// runbook through the executor, and filing past ritual occurrences on purpose (backfill).
import { Temporal } from "temporal-polyfill";
import { type EffectApplier, type EffectResult, execute } from "../effects/executor.js";
import { type Observation, planned } from "../effects/plan.js";
import { BosunError } from "../errors.js";
import { FULL_SYNC } from "../github/sync.js";
import { resolveRituals, skippedRituals } from "../handbook/rituals.js";
import { findRunbook, type Runbook, runbookChecklist } from "../handbook/runbook-model.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { backfillPlan, backfillRituals } from "../rules/rituals/backfill.js";
import { loadRitualSnapshot } from "../rules/rituals/load.js";
import { listOccurrences, type RitualOccurrence } from "../rules/rituals/occurrences.js";
import type { Store } from "../store/index.js";
import { auditView } from "./audit-view.js";
import type { AuditView } from "./views.js";

/** Bad input (an unreadable date, a bad repository): code "bad-input"; an unknown runbook: "not-found". */
export class RitualInputError extends BosunError {
  override name = "RitualInputError";
  constructor(message: string, code: "bad-input" | "not-found" = "bad-input") {
    super(code, message);
  }
}

export interface RitualsQuery {
  /** "YYYY-MM-DD" in the calendar's zone; default today. */
  from?: string;
  /** "YYYY-MM-DD", inclusive; default 30 days after `from`. */
  to?: string;
}

export interface FiledRitualIssue {
  ritualId: string;
  occurrence: string;
  repo: string;
  number: number;
  state: "open" | "closed";
}

export interface RitualsView {
  timeZone: string;
  from: string;
  to: string;
  upcoming: RitualOccurrence[];
  /** Issues carrying a ritual marker, newest occurrence first (at most 50). */
  filed: FiledRitualIssue[];
  /** The rituals rule's recent executor entries (R47), newest first. */
  recent: AuditView[];
  /** Rituals left out because of configuration errors (they are skipped until fixed). */
  skipped: { task?: string; errors: string[] }[];
  runbooks: number;
}

export interface RunbookSummary {
  anchor: string;
  aliases: string[];
  title: string;
  source: string;
  kind: Runbook["kind"];
  steps: number;
  importedAt: string;
}

/** A day "YYYY-MM-DD" that exists; `name` says which input was wrong. */
export function parseDay(name: string, v: string): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw new RitualInputError(`${name} must be a date "YYYY-MM-DD", found ${JSON.stringify(v)}`);
  try {
    return Temporal.PlainDate.from(v, { overflow: "reject" });
  } catch {
    throw new RitualInputError(`${name} must be a date that exists, found ${JSON.stringify(v)}`);
  }
}

export function dateRange(
  query: RitualsQuery,
  timeZone: string,
  now: Temporal.Instant,
): { from: Temporal.PlainDate; to: Temporal.PlainDate } {
  const parse = (name: string, v: string | undefined) =>
    v === undefined ? undefined : parseDay(name, v);
  const from = parse("from", query.from) ?? now.toZonedDateTimeISO(timeZone).toPlainDate();
  const to = parse("to", query.to) ?? from.add({ days: 30 });
  if (Temporal.PlainDate.compare(to, from) < 0)
    throw new RitualInputError(`to (${to}) is before from (${from})`);
  if (from.until(to, { largestUnit: "days" }).days > 3 * 366)
    throw new RitualInputError("the range may span at most three years");
  return { from, to };
}

/** Occurrences of every configured ritual between two dates (inclusive), patch releases included. */
export async function ritualOccurrences(
  store: Store,
  config: HandbookConfig,
  from: Temporal.PlainDate,
  to: Temporal.PlainDate,
): Promise<RitualOccurrence[]> {
  const zone = config.calendar.timeZone;
  const snapshot = await loadRitualSnapshot(store, config);
  return listOccurrences(
    resolveRituals(config),
    config,
    from.toZonedDateTime({ timeZone: zone }).toInstant(),
    to.add({ days: 1 }).toZonedDateTime({ timeZone: zone }).toInstant(),
    snapshot.patchReleases,
  );
}

export async function ritualsView(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  query: RitualsQuery,
): Promise<RitualsView> {
  const { from, to } = dateRange(query, config.calendar.timeZone, now);
  const snapshot = await loadRitualSnapshot(store, config);
  const upcoming = await ritualOccurrences(store, config, from, to);
  const filed = snapshot.issues
    .map((i) => ({ ...i }))
    .sort((a, b) => (a.occurrence < b.occurrence ? 1 : a.occurrence > b.occurrence ? -1 : 0))
    .slice(0, 50);
  const recent = (await store.listAudit({ rule: "R47", limit: 20 })).map(auditView);
  return {
    timeZone: config.calendar.timeZone,
    from: from.toString(),
    to: to.toString(),
    upcoming,
    filed,
    recent,
    skipped: skippedRituals(config).map((s) => ({
      ...(s.task ? { task: s.task } : {}),
      errors: s.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.path}: ${e.message}`),
    })),
    runbooks: snapshot.runbooks.length,
  };
}

export async function listRunbooks(store: Store): Promise<RunbookSummary[]> {
  return (await store.listRunbooks()).map(({ runbook, importedAt }) => {
    const r = runbook as Runbook;
    return {
      anchor: r.anchor,
      aliases: r.aliases,
      title: r.title,
      source: r.source,
      kind: r.kind,
      steps: r.steps.length,
      importedAt,
    };
  });
}

export async function getRunbook(store: Store, reference: string): Promise<Runbook> {
  const all = (await store.listRunbooks()).map((r) => r.runbook as Runbook);
  const found = findRunbook(all, reference);
  if (!found) {
    throw new RitualInputError(
      `no runbook ${JSON.stringify(reference)}; import one with "bosun runbooks import <page.md>" (${all.length} stored)`,
      "not-found",
    );
  }
  return found;
}

export interface OpenRunbookOptions {
  /** Repository name (not owner/name); default: the first configured repository. */
  repo?: string;
  /** Login to assign; default: the engineering output DRI. */
  assignee?: string;
  labels?: string[];
  dryRun?: boolean;
}

/**
 * R48: opens an issue whose body is the runbook as a task list, through the executor. The key
 * names the runbook and the day (in the calendar's zone), so repeating the command the same day
 * reports the issue already opened instead of opening another.
 */
export async function openRunbook(
  deps: { store: Store; config: HandbookConfig; applier?: EffectApplier; owner: string },
  reference: string,
  options: OpenRunbookOptions,
  now: Temporal.Instant,
): Promise<EffectResult> {
  const { store, config } = deps;
  const runbook = await getRunbook(store, reference);
  const repoName = options.repo ?? config.repositories[0]!.name;
  if (!config.repositories.some((r) => r.name === repoName)) {
    throw new RitualInputError(
      `repo must be one of the configured repositories (${config.repositories.map((r) => r.name).join(", ")}), found ${JSON.stringify(repoName)}`,
    );
  }
  const assignee = (options.assignee ?? config.roles.engineeringOutputDri).replace(/^@/, "");
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/.test(assignee))
    throw new RitualInputError(
      `assignee must be a GitHub login, found ${JSON.stringify(assignee)}`,
    );
  const day = now.toZonedDateTimeISO(config.calendar.timeZone).toPlainDate().toString();
  const body = [
    runbook.intro.trim(),
    `### Checklist\n\n${runbookChecklist(runbook)}`,
    `_Opened by Bosun from the runbook "${runbook.title}" (${runbook.source}#${runbook.anchor})._`,
    `<!-- bosun:runbook anchor="${runbook.anchor}" day="${day}" -->`,
  ]
    .filter((p) => p !== "")
    .join("\n\n");
  const effect = planned(
    "R48",
    {
      type: "createIssue",
      repo: `${config.organisation}/${repoName}`,
      title: `${runbook.title} (${day})`,
      body,
      labels: options.labels ?? [],
      assignees: [assignee],
    },
    `runbook-${runbook.anchor}@${day}`,
    `R48: runbook "${runbook.title}" opened on request (${runbook.steps.length} steps from ${runbook.source})`,
  );
  const plan = {
    id: `runbook-${runbook.anchor}-${now.epochMilliseconds}`,
    at: now.toString(),
    effects: [effect],
    observations: [],
  };
  const [result] = await execute(plan, deps.applier ?? noApplier, store, {
    dryRun: options.dryRun === true || !deps.applier,
    owner: deps.owner,
  });
  return result!;
}

const noApplier: EffectApplier = {
  apply: () => Promise.reject(new Error("no GitHub client: nothing is applied")),
};

/** At most this many issues per backfill: a date years back is a mistake more often than not. */
export const MAX_BACKFILL = 100;

export interface BackfillOptions {
  /** "YYYY-MM-DD" in the calendar's zone: occurrences from that day on. */
  since: string;
  /** Only this ritual (its id, as `bosun rituals --json` lists it). */
  ritual?: string;
  dryRun?: boolean;
}

export interface BackfillResult {
  since: string;
  /** When Bosun first ran for the organisation (occurrences before it wait for a backfill). */
  startedAt: string | null;
  results: EffectResult[];
  observations: Observation[];
}

/**
 * R47 on purpose: files the occurrences since `since` that carry no marker, through the
 * executor (keys `R47:createIssue:<repo>:<ritual>@<occurrence>`, the rule's own: each is filed
 * once, whoever plans it). Without an applier, or with `dryRun`, nothing is applied. Refused,
 * with nothing written, for a bad or future date, an unknown ritual, or more than
 * {@link MAX_BACKFILL} issues.
 */
export async function backfillRitualIssues(
  deps: { store: Store; config: HandbookConfig; applier?: EffectApplier; owner: string },
  options: BackfillOptions,
  now: Temporal.Instant,
): Promise<BackfillResult> {
  const { store, config } = deps;
  const zone = config.calendar.timeZone;
  const day = parseDay("since", options.since);
  if (Temporal.PlainDate.compare(day, now.toZonedDateTimeISO(zone).toPlainDate()) > 0) {
    throw new RitualInputError(`since (${day}) is in the future; backfill files past occurrences`);
  }
  if (backfillRituals(config, options.ritual).length === 0) {
    const ids = backfillRituals(config, undefined).map((d) => d.id);
    throw new RitualInputError(
      options.ritual === undefined
        ? "no ritual has autoIssue: nothing to backfill"
        : `no ritual with autoIssue has the id ${JSON.stringify(options.ritual)} (${ids.join(", ") || "none"})`,
      options.ritual === undefined ? "bad-input" : "not-found",
    );
  }
  const repositories = await Promise.all(
    config.repositories.map(async (r) => {
      const fullName = `${config.organisation}/${r.name}`;
      const cursor = await store.getCursor(fullName, FULL_SYNC);
      return { fullName, synced: cursor?.cursor === "complete", labels: [] };
    }),
  );
  const snapshot = await loadRitualSnapshot(store, config);
  const out = backfillPlan({ repositories, rituals: snapshot }, config, now, {
    since: day.toZonedDateTime({ timeZone: zone }).toInstant(),
    sinceDate: day.toString(),
    ...(options.ritual !== undefined ? { ritual: options.ritual } : {}),
  });
  if (out.effects.length > MAX_BACKFILL) {
    throw new RitualInputError(
      `backfill since ${day} would file ${out.effects.length} issues, more than ${MAX_BACKFILL} at once; use a later --since or one --ritual`,
    );
  }
  const plan = {
    id: `rituals-backfill-${now.epochMilliseconds}`,
    at: now.toString(),
    effects: out.effects,
    observations: out.observations,
  };
  const results = await execute(plan, deps.applier ?? noApplier, store, {
    dryRun: options.dryRun === true || !deps.applier,
    owner: deps.owner,
  });
  return {
    since: day.toString(),
    startedAt: await store.ritualsStart(config.organisation),
    results,
    observations: out.observations,
  };
}
