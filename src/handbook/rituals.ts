/**
 * Rituals (R47) as Bosun runs them: each configured ritual resolved into a recurrence in a time
 * zone, with its lead time, catch-up policy and assignee, plus the rule that a broken ritual is
 * skipped rather than stopping every other one.
 *
 * Why broken rituals do not make the configuration unusable: a rituals file is edited by many
 * people and loaded unchanged from the department's repository; one mistyped frequency must not
 * stop the release train, the KPIs and the nineteen other rituals. `config check` still reports
 * every problem and exits 1 (the loader's result stays `ok: false`), but when every problem is
 * inside individual rituals the loader also returns `partial`: the configuration without those
 * rituals, which `serve`, `preview` and the read commands run with, logging what they skipped.
 */
import { Temporal } from "temporal-polyfill";
import {
  EVENT_FREQUENCY,
  FREQUENCY_STEPS,
  type Lead,
  parseLead,
  parseStep,
  type Recurrence,
  type ScheduledFrequency,
} from "../time/recurrence.js";
import type { ConfigError } from "./config-error.js";
import type { Ritual } from "./ritual-schema.js";
import type { HandbookConfig } from "./schema.js";

export interface RitualDefinition {
  /** Stable: names the ritual in issue markers and idempotency keys. */
  id: string;
  ritual: Ritual;
  /** Scheduled rituals have a recurrence; "Every patch release" fires on patch releases. */
  recurrence?: Recurrence;
  event?: "patch-release";
  lead?: Lead;
  catchUp: "all" | "latest";
  timeZone: string;
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** A ritual's id: its `id`, else its task as a slug with runs of hyphens collapsed. */
export function ritualId(r: Pick<Ritual, "id" | "task">): string {
  if (r.id) return r.id;
  const slug = slugify(r.task).replace(/-+/g, "-").replace(/^-|-$/g, "");
  return slug.slice(0, 80) || "ritual";
}

/**
 * Resolves every ritual. Two rituals with the same id (two tasks spelled alike) would share
 * markers and keys, so the later one gets "-2", "-3" ...; give them an `id` to make it explicit.
 */
export function resolveRituals(
  config: Pick<HandbookConfig, "calendar" | "rituals">,
): RitualDefinition[] {
  const seen = new Map<string, number>();
  return config.rituals.map((ritual) => {
    const base = ritualId(ritual);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return resolveRitual(ritual, config, n === 1 ? base : `${base}-${n}`);
  });
}

export function resolveRitual(
  ritual: Ritual,
  config: Pick<HandbookConfig, "calendar">,
  id = ritualId(ritual),
): RitualDefinition {
  const timeZone = ritual.timeZone ?? config.calendar.timeZone;
  const lead = ritual.leadTime ? parseLead(ritual.leadTime) : undefined;
  const base = { id, ritual, timeZone, catchUp: ritual.catchUp ?? "latest", lead } as const;
  if (ritual.frequency === EVENT_FREQUENCY && !ritual.every) {
    return { ...base, event: "patch-release" };
  }
  const step = ritual.every
    ? parseStep(ritual.every)!
    : FREQUENCY_STEPS[ritual.frequency as ScheduledFrequency];
  return {
    ...base,
    recurrence: {
      anchor: Temporal.PlainDate.from(ritual.startedOn),
      step,
      time: Temporal.PlainTime.from(ritual.time ?? config.calendar.businessHours.start),
      timeZone,
    },
  };
}

export interface SkippedRitual {
  /** Position in the rituals list (0-based). */
  index: number;
  /** The task, when it could be read. */
  task?: string;
  errors: ConfigError[];
}

// The skipped rituals of a configuration object, for the API and the dashboard to show.
const skippedByConfig = new WeakMap<HandbookConfig, SkippedRitual[]>();

export function noteSkippedRituals(config: HandbookConfig, skipped: SkippedRitual[]): void {
  skippedByConfig.set(config, skipped);
}

export function skippedRituals(config: HandbookConfig): SkippedRitual[] {
  return skippedByConfig.get(config) ?? [];
}
