/**
 * Where a release-train event moved and why (R14, R9, R32): off a holiday or a day outside
 * `calendar.workDays` (`releaseTrain.onHoliday`), by `releaseTrain.overrides`, or with the
 * release (the deep freeze). Pure; the words are the ones `bosun calendar`, `/api/calendar`,
 * the feed's descriptions and `bosun config check` show.
 */
import type { Temporal } from "temporal-polyfill";
import type { BusinessCalendar } from "./business.js";

/** `releaseTrain.onHoliday`: where an event that falls on a day off goes. */
export type HolidayPolicy = "previous" | "next" | "keep";

export type MoveCause = "holiday" | "non-work-day" | "override" | "release";

export interface EventMove {
  /** Where the schedule (or, for `release`, the release's schedule) puts the event. */
  from: Temporal.ZonedDateTime;
  to: Temporal.ZonedDateTime;
  because: MoveCause;
  /** The holiday's name ("" when unnamed), when `because` is "holiday". */
  holiday?: string;
  /** The override's reason, when `because` is "override" and it gives one. */
  reason?: string;
}

/** Why `date` is a day off, or undefined for a business day. */
export function dayOff(
  business: BusinessCalendar,
  date: Temporal.PlainDate,
): { because: "holiday"; holiday: string } | { because: "non-work-day" } | undefined {
  const holiday = business.holiday(date);
  if (holiday !== undefined) return { because: "holiday", holiday };
  return business.isBusinessDay(date) ? undefined : { because: "non-work-day" };
}

/** Days searched for a business day before giving up (a misconfiguration guard). */
const MAX_DAYS = 366;

/** The business day `policy` moves `date` to, or undefined when it stays (keep, or none found). */
export function businessDayFor(
  business: BusinessCalendar,
  date: Temporal.PlainDate,
  policy: HolidayPolicy,
): Temporal.PlainDate | undefined {
  if (policy === "keep" || business.isBusinessDay(date)) return undefined;
  const step = policy === "previous" ? -1 : 1;
  let day = date;
  for (let i = 0; i < MAX_DAYS; i++) {
    day = day.add({ days: step });
    if (business.isBusinessDay(day)) return day;
  }
  return undefined;
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function day(at: Temporal.ZonedDateTime, withTime: boolean): string {
  const text = `${DAYS[at.dayOfWeek - 1]} ${at.toPlainDate().toString()}`;
  return withTime ? `${text} ${at.toPlainTime().toString({ smallestUnit: "minute" })}` : text;
}

/**
 * "moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24"; times of day are
 * named only when the move changes them.
 */
export function describeMove(move: EventMove): string {
  const timed = !move.from.toPlainTime().equals(move.to.toPlainTime());
  const from = day(move.from, timed);
  const to = day(move.to, timed);
  switch (move.because) {
    case "holiday":
      return `moved from ${from} (${move.holiday ? `holiday: ${move.holiday}` : "a holiday"}) to ${to}`;
    case "non-work-day":
      return `moved from ${from} (not a work day) to ${to}`;
    case "override":
      return `moved from ${from} to ${to} (${move.reason ? `override: ${move.reason}` : "releaseTrain.overrides"})`;
    case "release":
      return `moved from ${from} to ${to} with the release`;
  }
}
