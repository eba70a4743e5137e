/**
 * Occurrences of configured rituals (R47): listing them in a range (CLI, API, dashboard,
 * calendar), finding the ones due at `now`, and who each is assigned to (R43 handoffs name the
 * outgoing and the incoming on-call engineer). Pure.
 */
import { Temporal } from "temporal-polyfill";
import type { RitualDefinition } from "../../handbook/rituals.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { isoWithOffset } from "../../time/index.js";
import { onCallAt } from "../../time/oncall.js";
import {
  minusLead,
  type Occurrence,
  occurrence,
  occurrenceAtOrBefore,
  occurrencesBetween,
} from "../../time/recurrence.js";
import type { PatchReleaseSnapshot } from "./snapshot.js";

/** One occurrence of one ritual, as people and programs read it. */
export interface RitualOccurrence {
  ritualId: string;
  task: string;
  frequency: string;
  /** "YYYY-MM-DD" in the ritual's time zone (for a patch release, its version). */
  occurrence: string;
  /** "YYYY-MM-DD" in the ritual's time zone. */
  date: string;
  /** ISO 8601 with the UTC offset. */
  at: string;
  timeZone: string;
  /** When its issue is opened (`at` minus the lead time), ISO 8601 with the offset. */
  dueAt: string;
  dri: string;
  /** Who its issue is assigned to. */
  assignee: string;
  /** R43: for on-call handoffs. */
  handoff?: { outgoing: string; incoming: string; at: string };
  /** `owner/repo` when the ritual opens issues. */
  repo?: string;
  labels?: string[];
  patchRelease?: string;
  moreInfoUrl?: string;
}

/** Roles are optional: a rituals file listed without a configuration has none (DRIs then). */
type ConfigPart = Pick<HandbookConfig, "organisation" | "calendar"> & {
  roles?: HandbookConfig["roles"];
};

/** An occurrence as the rituals rule plans it (see {@link dueInstances}). */
export type DueInstance = Instance;

interface Instance {
  /** The occurrence id in markers and keys. */
  id: string;
  epochMs: number;
  /** ISO 8601 with the offset. */
  iso: string;
  /** The date in the ritual's zone. */
  date: string;
  /** The occurrence as a ZonedDateTime, built only where zone arithmetic is needed. */
  at(): Temporal.ZonedDateTime;
  patchRelease?: string;
}

/** Occurrences with `from <= at < to`, of every ritual, in time order (then task). */
export function listOccurrences(
  defs: readonly RitualDefinition[],
  config: ConfigPart,
  from: Temporal.Instant,
  to: Temporal.Instant,
  patchReleases: readonly PatchReleaseSnapshot[] = [],
): RitualOccurrence[] {
  const out: { epoch: number; occurrence: RitualOccurrence }[] = [];
  for (const def of defs) {
    for (const inst of instancesBetween(def, from, to, patchReleases)) {
      out.push({ epoch: inst.epochMs, occurrence: describe(def, inst, config) });
    }
  }
  // Sorting on numbers: comparing parsed instants would dominate the cost at scale (bench/rituals).
  return out
    .sort((a, b) => a.epoch - b.epoch || a.occurrence.task.localeCompare(b.occurrence.task))
    .map((o) => o.occurrence);
}

function instancesBetween(
  def: RitualDefinition,
  from: Temporal.Instant,
  to: Temporal.Instant,
  patchReleases: readonly PatchReleaseSnapshot[],
): Instance[] {
  if (def.recurrence) {
    return [...occurrencesBetween(def.recurrence, from, to)].map((o) => scheduled(o));
  }
  return patchInstances(def, patchReleases).filter(
    (i) => i.epochMs >= from.epochMilliseconds && i.epochMs < to.epochMilliseconds,
  );
}

const scheduled = (o: Occurrence): Instance => {
  const date = o.date.toString();
  return { id: date, epochMs: o.epochMs, iso: o.iso, date, at: () => o.at };
};

/** A patch release is an occurrence of an event-driven ritual once the ritual has started. */
function patchInstances(
  def: RitualDefinition,
  patchReleases: readonly PatchReleaseSnapshot[],
): Instance[] {
  const start = Temporal.PlainDate.from(def.ritual.startedOn);
  const byVersion = new Map<string, Instance>();
  for (const p of patchReleases) {
    const at = Temporal.Instant.from(p.at).toZonedDateTimeISO(def.timeZone);
    if (Temporal.PlainDate.compare(at.toPlainDate(), start) < 0) continue;
    const seen = byVersion.get(p.version);
    // A tag and a branch of one version are one release: the earlier sighting counts.
    if (!seen || at.epochMilliseconds < seen.epochMs) {
      byVersion.set(p.version, {
        id: `v${p.version}`,
        epochMs: at.epochMilliseconds,
        iso: isoWithOffset(at),
        date: at.toPlainDate().toString(),
        at: () => at,
        patchRelease: p.version,
      });
    }
  }
  return [...byVersion.values()].sort((a, b) => a.epochMs - b.epochMs);
}

/**
 * The occurrences whose issue is due at `now` (opened `lead` before the occurrence), oldest
 * first: every one since `after` (exclusive) with `all`, only the latest otherwise. `after` is
 * the latest occurrence already filed, if any.
 */
export function dueInstances(
  def: RitualDefinition,
  now: Temporal.Instant,
  patchReleases: readonly PatchReleaseSnapshot[],
  after: string | undefined,
  max: number,
): Instance[] {
  const nowMs = now.epochMilliseconds;
  const isDue = (o: {
    epochMs: number;
    at: Temporal.ZonedDateTime | (() => Temporal.ZonedDateTime);
  }) => {
    if (!def.lead) return o.epochMs <= nowMs;
    const at = typeof o.at === "function" ? o.at() : o.at;
    return minusLead(at, def.lead).epochMilliseconds <= nowMs;
  };
  let due: Instance[];
  if (def.recurrence) {
    const rec = def.recurrence;
    // The latest occurrence due: look ahead by the lead time, then step to the exact one.
    const ahead = def.lead
      ? now
          .toZonedDateTimeISO(def.timeZone)
          .add({ [def.lead.unit]: def.lead.count })
          .toInstant()
      : now;
    let last = occurrenceAtOrBefore(rec, ahead);
    while (last && !isDue(last))
      last = last.index > 0 ? occurrence(rec, last.index - 1) : undefined;
    while (last && isDue(occurrence(rec, last.index + 1))) last = occurrence(rec, last.index + 1);
    if (!last) return [];
    if (def.catchUp === "latest" || after === undefined) return [scheduled(last)];
    due = [];
    for (let i = last.index; i >= 0 && due.length < max; i--) {
      const o = occurrence(rec, i);
      if (o.date.toString() <= after) break;
      due.unshift(scheduled(o));
    }
    return due;
  }
  due = patchInstances(def, patchReleases).filter((i) => isDue(i));
  if (due.length === 0) return [];
  if (def.catchUp === "latest" || after === undefined) return [due.at(-1)!];
  const afterIndex = due.findIndex((i) => i.id === after);
  return due.slice(afterIndex + 1).slice(-max);
}

/**
 * Every occurrence at or after `from` whose issue is due at `now` (opened `lead` before the
 * occurrence), oldest first: what `bosun rituals backfill --since` files on purpose.
 */
export function dueSince(
  def: RitualDefinition,
  from: Temporal.Instant,
  now: Temporal.Instant,
  patchReleases: readonly PatchReleaseSnapshot[],
): Instance[] {
  const ahead = def.lead
    ? now
        .toZonedDateTimeISO(def.timeZone)
        .add({ [def.lead.unit]: def.lead.count })
        .toInstant()
    : now;
  const to = ahead.add({ milliseconds: 1 });
  if (Temporal.Instant.compare(from, to) >= 0) return [];
  return instancesBetween(def, from, to, patchReleases).filter((i) =>
    def.lead
      ? minusLead(i.at(), def.lead).epochMilliseconds <= now.epochMilliseconds
      : i.epochMs <= now.epochMilliseconds,
  );
}

/** The occurrence for an instance, with its assignee and (R43) the handoff it names. */
export function describe(
  def: RitualDefinition,
  inst: Instance,
  config: ConfigPart,
): RitualOccurrence {
  const r = def.ritual;
  const handoff =
    r.onCallHandoff && config.roles
      ? handoffAt({ ...config, roles: config.roles }, inst.at())
      : undefined;
  return {
    ritualId: def.id,
    task: r.task,
    frequency: r.every ? `every ${r.every}` : r.frequency,
    occurrence: inst.id,
    date: inst.date,
    at: inst.iso,
    timeZone: def.timeZone,
    dueAt: def.lead ? isoWithOffset(minusLead(inst.at(), def.lead)) : inst.iso,
    dri: r.dri,
    assignee: assigneeAt(def, config, inst.at),
    ...(handoff ? { handoff } : {}),
    ...(r.autoIssue
      ? { repo: `${config.organisation}/${r.autoIssue.repo}`, labels: r.autoIssue.labels }
      : {}),
    ...(inst.patchRelease ? { patchRelease: inst.patchRelease } : {}),
    ...(r.moreInfoUrl ? { moreInfoUrl: r.moreInfoUrl } : {}),
  };
}

/**
 * R43: the handoff at or after `at`: who hands the rotation over and who takes it. A handoff
 * ritual held exactly at the rotation's handoff time names that handoff.
 */
export function handoffAt(
  config: Pick<HandbookConfig, "calendar" | "roles">,
  at: Temporal.ZonedDateTime,
): { outgoing: string; incoming: string; at: string } {
  const current = onCallAt(config, at.subtract({ nanoseconds: 1 }));
  const next = onCallAt(config, current.until);
  return { outgoing: current.login, incoming: next.login, at: isoWithOffset(current.until) };
}

/** The ritual's `assignee` (a login or `role:<name>`), else its DRI. */
export function assigneeAt(
  def: RitualDefinition,
  config: Pick<HandbookConfig, "calendar"> & { roles?: HandbookConfig["roles"] },
  occurrenceAt: () => Temporal.ZonedDateTime,
): string {
  const who = def.ritual.assignee;
  if (!who) return def.ritual.dri;
  const roles = config.roles;
  if (who.startsWith("role:") && !roles) return def.ritual.dri;
  if (!who.startsWith("role:")) return who.replace(/^@/, "");
  const role = who.slice(5);
  const withRoles = { calendar: config.calendar, roles: roles! };
  if (role === "onCall") return onCallAt(withRoles, occurrenceAt()).login;
  if (role === "onCallNext") return handoffAt(withRoles, occurrenceAt()).incoming;
  const login = roles![role as keyof HandbookConfig["roles"]];
  return typeof login === "string" ? login : def.ritual.dri;
}
