/**
 * Recurrences of rituals (R47). Pure: every function takes the range or moment it reasons about.
 *
 * Occurrence k of a recurrence is computed from the anchor, never from occurrence k-1:
 * `anchor + k * step`. That is what keeps month-end clamping from drifting: a monthly ritual
 * anchored on Jan 31 falls on Feb 28 (29 in leap years) and again on Mar 31, and an annual one
 * anchored on Feb 29 falls on Feb 28 in common years and on Feb 29 in the next leap year.
 *
 * Each occurrence happens at a wall-clock time in an IANA time zone, so it stays at 09:00 local
 * across DST changes. A time that does not exist on a spring-forward day (02:30) moves forward by
 * the length of the gap (03:30); a time that happens twice on a fall-back day is the first one.
 * This is Temporal's "compatible" disambiguation, the same choice RFC 5545 makes.
 *
 * Event-driven recurrences ("Every patch release") have no schedule: their occurrences are the
 * events themselves, passed in by the caller.
 */
import { Temporal } from "temporal-polyfill";

export type CalendarUnit = "days" | "weeks" | "months" | "years";

/** A fixed step from the anchor: every `count` `unit`. */
export interface Step {
  count: number;
  unit: CalendarUnit;
}

/** The frequencies of the rituals YAML format, as steps; "Every patch release" has none. */
export const FREQUENCY_STEPS = {
  Daily: { count: 1, unit: "days" },
  Weekly: { count: 1, unit: "weeks" },
  Biweekly: { count: 2, unit: "weeks" },
  Triweekly: { count: 3, unit: "weeks" },
  Monthly: { count: 1, unit: "months" },
  Quarterly: { count: 3, unit: "months" },
  Annually: { count: 1, unit: "years" },
} as const satisfies Record<string, Step>;

export type ScheduledFrequency = keyof typeof FREQUENCY_STEPS;
export const EVENT_FREQUENCY = "Every patch release";

export interface Recurrence {
  /** The date of occurrence 0. */
  anchor: Temporal.PlainDate;
  step: Step;
  /** Wall-clock time of each occurrence in `timeZone`. */
  time: Temporal.PlainTime;
  timeZone: string;
}

export interface Occurrence {
  /** 0 for the anchor; consecutive, so a gap or a repeat is visible in the numbers. */
  index: number;
  /** The calendar date in the recurrence's zone. */
  date: Temporal.PlainDate;
  /** The instant, as milliseconds since the epoch. */
  epochMs: number;
  /** The UTC offset at that instant, "-08:00". */
  offset: string;
  /** ISO 8601 with the offset, "2026-12-09T09:00:00-08:00" (the wall-clock time, after any DST gap). */
  iso: string;
  /** The occurrence in its zone (built on first use: zone arithmetic is the costly part). */
  readonly at: Temporal.ZonedDateTime;
}

/** "2 weeks", "1 month", "3 days", "1 year" (singular or plural; case-insensitive). */
export function parseStep(text: string): Step | undefined {
  const m = /^\s*(\d{1,4})\s*(day|week|month|year)s?\s*$/i.exec(text);
  if (!m) return undefined;
  const count = Number(m[1]);
  if (count < 1) return undefined;
  return { count, unit: `${m[2]!.toLowerCase()}s` as CalendarUnit };
}

/** A lead time or look-back: "3 weeks", "2 days", "12 hours", "1 month". */
export type Lead = { count: number; unit: CalendarUnit | "hours" };

export function parseLead(text: string): Lead | undefined {
  const m = /^\s*(\d{1,4})\s*(hour|day|week|month|year)s?\s*$/i.exec(text);
  if (!m) return undefined;
  return { count: Number(m[1]), unit: `${m[2]!.toLowerCase()}s` as Lead["unit"] };
}

/** The moment an occurrence must be acted on, `lead` before it (calendar arithmetic, DST-aware). */
export function minusLead(
  at: Temporal.ZonedDateTime,
  lead: Lead | undefined,
): Temporal.ZonedDateTime {
  if (!lead || lead.count === 0) return at;
  return at.subtract({ [lead.unit]: lead.count });
}

/** Occurrence `index` (>= 0). Clamps to the month's last day without moving later occurrences. */
export function occurrence(rec: Recurrence, index: number): Occurrence {
  const date = addSteps(rec.anchor, rec.step, index);
  const { epochMs, offsetMs } = zoneOffsets(rec.timeZone).localToUtc(localEpochMs(date, rec.time));
  let at: Temporal.ZonedDateTime | undefined;
  const offset = formatOffset(offsetMs);
  return {
    index,
    date,
    epochMs,
    offset,
    iso: `${new Date(epochMs + offsetMs).toISOString().slice(0, 19)}${offset}`,
    get at() {
      at ??= Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(rec.timeZone);
      return at;
    },
  };
}

/** The wall-clock date and time as if it were UTC, in milliseconds. */
function localEpochMs(date: Temporal.PlainDate, time: Temporal.PlainTime): number {
  return (
    Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, time.second) +
    time.millisecond
  );
}

function formatOffset(ms: number): string {
  const sign = ms < 0 ? "-" : "+";
  const minutes = Math.abs(ms) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(Math.floor(minutes % 60)).padStart(2, "0");
  return `${sign}${hh}:${mm}`;
}

// ---------------------------------------------------------------------------------------
// UTC offsets per zone, from the zone's transitions (two a year at most): asking Temporal for
// an offset costs as much as the rest of an occurrence, so each zone's transitions are looked
// up once and wall-clock times are converted with plain arithmetic.
// ---------------------------------------------------------------------------------------

interface ZoneOffsets {
  offsetAt(epochMs: number): number;
  /** Temporal's "compatible" disambiguation: gaps move forward, repeated times take the first. */
  localToUtc(localMs: number): { epochMs: number; offsetMs: number };
}

const zones = new Map<string, ZoneOffsets>();
const YEAR_MS = 366 * 86_400_000;

function zoneOffsets(timeZone: string): ZoneOffsets {
  let z = zones.get(timeZone);
  if (!z) {
    z = makeZoneOffsets(timeZone);
    zones.set(timeZone, z);
  }
  return z;
}

function makeZoneOffsets(timeZone: string): ZoneOffsets {
  // Sorted transition instants and the offset in force from each; extended lazily both ways.
  const offsetOf = (ms: number) =>
    Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).offsetNanoseconds / 1e6;
  let lo = Date.UTC(2020, 0, 1);
  let hi = lo;
  const starts: number[] = [];
  const offsets: number[] = [];
  const cover = (ms: number) => {
    while (ms < lo) {
      const from = lo - 5 * YEAR_MS;
      const found = transitions(timeZone, from, lo);
      starts.unshift(from, ...found);
      offsets.unshift(offsetOf(from), ...found.map(offsetOf));
      lo = from;
    }
    while (ms >= hi) {
      const to = hi + 5 * YEAR_MS;
      const found = transitions(timeZone, hi, to);
      if (starts.length === 0) {
        starts.push(hi);
        offsets.push(offsetOf(hi));
      }
      starts.push(...found);
      offsets.push(...found.map(offsetOf));
      hi = to;
    }
  };
  const offsetAt = (ms: number) => {
    cover(ms);
    // Binary search: the last transition at or before ms.
    let a = 0;
    let b = starts.length - 1;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (starts[m]! <= ms) a = m;
      else b = m - 1;
    }
    return offsets[a]!;
  };
  return {
    offsetAt,
    localToUtc(localMs) {
      const before = offsetAt(localMs - 86_400_000);
      const after = offsetAt(localMs + 86_400_000);
      const valid = [before, after].filter((o) => offsetAt(localMs - o) === o);
      if (valid.length > 0) {
        // Both valid (a repeated hour): the earlier instant, i.e. the larger offset.
        const offsetMs = Math.max(...valid);
        return { epochMs: localMs - offsetMs, offsetMs };
      }
      // A skipped time: shift forward by the gap, keeping the offset from before it.
      const epochMs = localMs - before;
      return { epochMs, offsetMs: offsetAt(epochMs) };
    },
  };
}

/** Transition instants in [from, to). */
function transitions(timeZone: string, from: number, to: number): number[] {
  const out: number[] = [];
  let at = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(timeZone);
  for (;;) {
    const next = at.getTimeZoneTransition("next");
    if (!next || next.epochMilliseconds >= to) return out;
    out.push(next.epochMilliseconds);
    at = next;
  }
}

function addSteps(anchor: Temporal.PlainDate, step: Step, k: number): Temporal.PlainDate {
  const n = step.count * k;
  switch (step.unit) {
    case "days":
      return anchor.add({ days: n });
    case "weeks":
      return anchor.add({ days: 7 * n });
    case "months":
      return anchor.add({ months: n }, { overflow: "constrain" });
    case "years":
      return anchor.add({ years: n }, { overflow: "constrain" });
  }
}

/**
 * An index at or before the first occurrence on or after `date`: a cheap estimate from the
 * distance to the anchor, so iterating a range far from the anchor does not walk from it.
 */
function indexNear(rec: Recurrence, date: Temporal.PlainDate): number {
  if (Temporal.PlainDate.compare(date, rec.anchor) <= 0) return 0;
  const { anchor, step } = rec;
  let units: number;
  if (step.unit === "days" || step.unit === "weeks") {
    const days = anchor.until(date, { largestUnit: "days" }).days;
    units = step.unit === "days" ? days : Math.floor(days / 7);
  } else {
    const months = (date.year - anchor.year) * 12 + (date.month - anchor.month);
    units = step.unit === "months" ? months : Math.floor(months / 12);
  }
  // One step of slack covers clamping and the time of day moving an occurrence across `date`.
  return Math.max(0, Math.floor(units / step.count) - 1);
}

/**
 * Occurrences with `from <= at < to`, in order, each once. Occurrences before the anchor do not
 * exist: a ritual starts on its start date.
 */
export function* occurrencesBetween(
  rec: Recurrence,
  from: Temporal.Instant,
  to: Temporal.Instant,
): Generator<Occurrence> {
  const fromDate = from.toZonedDateTimeISO(rec.timeZone).toPlainDate();
  let index = indexNear(rec, fromDate);
  // The estimate may land one step late around clamped month ends and offsets; step back.
  const fromMs = from.epochMilliseconds;
  const toMs = to.epochMilliseconds;
  while (index > 0 && occurrence(rec, index).epochMs >= fromMs) index -= 1;
  for (; ; index++) {
    const o = occurrence(rec, index);
    if (o.epochMs >= toMs) return;
    if (o.epochMs >= fromMs) yield o;
  }
}

/** The last occurrence at or before `at`, if the recurrence has started by then. */
export function occurrenceAtOrBefore(
  rec: Recurrence,
  at: Temporal.Instant,
): Occurrence | undefined {
  const date = at.toZonedDateTimeISO(rec.timeZone).toPlainDate();
  let index = indexNear(rec, date);
  const atMs = at.epochMilliseconds;
  while (index > 0 && occurrence(rec, index).epochMs > atMs) index -= 1;
  let last: Occurrence | undefined;
  for (; ; index++) {
    const o = occurrence(rec, index);
    if (o.epochMs > atMs) return last;
    last = o;
  }
}

/** The first occurrence strictly after `at`. */
export function occurrenceAfter(rec: Recurrence, at: Temporal.Instant): Occurrence {
  const before = occurrenceAtOrBefore(rec, at);
  return occurrence(rec, before ? before.index + 1 : 0);
}
