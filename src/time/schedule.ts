/**
 * The release train as its weekday rules schedule it, in wall-clock time: sprint k's RC cut,
 * freeze and release as `Temporal.PlainDateTime` (no time zone, no holidays, no overrides),
 * and the occurrences `releaseTrain.overrides` name by their scheduled date (R32).
 *
 * `release.ts` places these instants in `calendar.timeZone`, moves them off holidays and
 * applies the overrides; the configuration's checks (`handbook/schema.ts`) validate the
 * overrides with the same rules, so both agree on which occurrence a date names.
 */
import { Temporal } from "temporal-polyfill";
import { type Weekday, weekdayNumber } from "../handbook/weekdays.js";

/** The events of the release train that may move (the deep freeze follows the release). */
export type MovableKind = "rc-cut" | "freeze" | "release";

/** The `releaseTrain` keys `bosun.yml` schedules with (the normalised configuration has them). */
export interface ScheduleRules {
  sprint: { lengthWeeks: number; anchor: string };
  rcCut: { weekday: Weekday; time: string; which: "last" | "first" };
  freeze: { weekday: Weekday; time: string };
  release: { weekday: Weekday; time: string };
}

/** One entry of `releaseTrain.overrides`: one of `rcCut`, `release`, `freeze` names the occurrence. */
export interface OverrideRule {
  rcCut?: string;
  release?: string;
  freeze?: string;
  /** "YYYY-MM-DDTHH:MM" in calendar.timeZone, or "YYYY-MM-DD" (the event's usual time). */
  to: string;
  reason?: string;
}

/** The key of each movable kind in an override, in the order messages list them. */
export const OVERRIDE_KEYS = { rcCut: "rc-cut", release: "release", freeze: "freeze" } as const;
export type OverrideKey = keyof typeof OVERRIDE_KEYS;

export interface TrainSchedule {
  /** The first day of sprint `index`. */
  sprintStart(index: number): Temporal.PlainDate;
  /** The sprint containing `date`. */
  sprintOf(date: Temporal.PlainDate): number;
  /** When the weekday rules put `kind` of sprint `index`, on the wall clock. */
  scheduled(kind: MovableKind, index: number): Temporal.PlainDateTime;
  /** The sprint whose `kind` the rules put on `date`, if any. */
  occurrenceOn(kind: MovableKind, date: Temporal.PlainDate): number | undefined;
  /** The scheduled occurrences of `kind` just before and just after `date`. */
  around(
    kind: MovableKind,
    date: Temporal.PlainDate,
  ): { before: Temporal.PlainDateTime; after: Temporal.PlainDateTime };
  /** The configured time of day of `kind` ("08:00"). */
  timeOf(kind: MovableKind): string;
}

export function trainSchedule(rules: ScheduleRules): TrainSchedule {
  const anchor = Temporal.PlainDate.from(rules.sprint.anchor);
  const sprintDays = rules.sprint.lengthWeeks * 7;
  const at = (date: Temporal.PlainDate, time: string) =>
    date.toPlainDateTime(Temporal.PlainTime.from(time));

  const sprintStart = (index: number) => anchor.add({ days: index * sprintDays });
  const sprintOf = (date: Temporal.PlainDate) =>
    Math.floor(anchor.until(date, { largestUnit: "days" }).days / sprintDays);

  const rcCut = (index: number) => {
    const weekday = weekdayNumber(rules.rcCut.weekday);
    if (rules.rcCut.which === "first") {
      const first = sprintStart(index);
      return at(first.add({ days: (weekday - first.dayOfWeek + 7) % 7 }), rules.rcCut.time);
    }
    const last = sprintStart(index + 1).subtract({ days: 1 });
    return at(last.subtract({ days: (last.dayOfWeek - weekday + 7) % 7 }), rules.rcCut.time);
  };
  const releaseDay = (index: number) => {
    const boundary = sprintStart(index + 1);
    const weekday = weekdayNumber(rules.release.weekday);
    return boundary.add({ days: (weekday - boundary.dayOfWeek + 7) % 7 });
  };
  const freeze = (index: number) => {
    // The freeze belongs to the release as scheduled: moving a release does not move it.
    const day = releaseDay(index);
    const back = (day.dayOfWeek - weekdayNumber(rules.freeze.weekday) + 7) % 7 || 7;
    return at(day.subtract({ days: back }), rules.freeze.time);
  };
  const scheduled = (kind: MovableKind, index: number) =>
    kind === "rc-cut"
      ? rcCut(index)
      : kind === "freeze"
        ? freeze(index)
        : at(releaseDay(index), rules.release.time);

  return {
    sprintStart,
    sprintOf,
    scheduled,
    occurrenceOn(kind, date) {
      // Each event lies in its own sprint or on the first days of the next one.
      const k0 = sprintOf(date);
      for (const k of [k0 - 1, k0, k0 + 1]) {
        if (scheduled(kind, k).toPlainDate().equals(date)) return k;
      }
      return undefined;
    },
    around(kind, date) {
      const k0 = sprintOf(date);
      let before = scheduled(kind, k0 - 2);
      let after = scheduled(kind, k0 + 2);
      for (let k = k0 - 2; k <= k0 + 2; k++) {
        const e = scheduled(kind, k);
        const cmp = Temporal.PlainDate.compare(e.toPlainDate(), date);
        if (cmp < 0) before = e;
        if (cmp > 0) {
          after = e;
          break;
        }
      }
      return { before, after };
    },
    timeOf: (kind) =>
      kind === "rc-cut"
        ? rules.rcCut.time
        : kind === "freeze"
          ? rules.freeze.time
          : rules.release.time,
  };
}

const LOCAL_RE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?$/;

/** An override's `to`, read as a wall-clock date-time, or undefined when it is not one. */
export function overrideTarget(
  to: string,
  kind: MovableKind,
  schedule: TrainSchedule,
): Temporal.PlainDateTime | undefined {
  const m = to.trim().match(LOCAL_RE);
  if (!m) return undefined;
  try {
    return Temporal.PlainDate.from(m[1]!, { overflow: "reject" }).toPlainDateTime(
      Temporal.PlainTime.from(m[2] ?? schedule.timeOf(kind), { overflow: "reject" }),
    );
  } catch {
    return undefined;
  }
}

/** The occurrence an override names: its kind, the key it is written with and the date. */
export function overrideOccurrence(
  o: OverrideRule,
): { kind: MovableKind; key: OverrideKey; date: string } | undefined {
  for (const key of Object.keys(OVERRIDE_KEYS) as OverrideKey[]) {
    const date = o[key];
    if (typeof date === "string") return { kind: OVERRIDE_KEYS[key], key, date };
  }
  return undefined;
}

export interface ResolvedOverride {
  /** Its index in `releaseTrain.overrides`. */
  position: number;
  kind: MovableKind;
  /** The sprint whose event it moves. */
  index: number;
  to: Temporal.PlainDateTime;
  reason?: string;
}

/** `"<kind>:<sprint index>"`, the key of {@link resolveOverrides}' map. */
export const occurrenceKey = (kind: MovableKind, index: number) => `${kind}:${index}`;

/**
 * The overrides that name a scheduled occurrence and a readable `to`, by occurrence; the first
 * entry naming an occurrence wins (the configuration check refuses a second one).
 */
export function resolveOverrides(
  schedule: TrainSchedule,
  overrides: readonly OverrideRule[],
): Map<string, ResolvedOverride> {
  const out = new Map<string, ResolvedOverride>();
  overrides.forEach((o, position) => {
    const named = overrideOccurrence(o);
    if (!named) return;
    let date: Temporal.PlainDate;
    try {
      date = Temporal.PlainDate.from(named.date, { overflow: "reject" });
    } catch {
      return;
    }
    const index = schedule.occurrenceOn(named.kind, date);
    const to = overrideTarget(o.to, named.kind, schedule);
    if (index === undefined || !to) return;
    const key = occurrenceKey(named.kind, index);
    if (out.has(key)) return;
    out.set(key, {
      position,
      kind: named.kind,
      index,
      to,
      ...(o.reason?.trim() ? { reason: o.reason.trim() } : {}),
    });
  });
  return out;
}
