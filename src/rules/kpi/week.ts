// Week boundaries and report windows, in the business calendar's time zone. "7 days before T"
// is 7 calendar days in that zone, so consecutive weekly reports tile time exactly: a DST week
// is 167 or 169 hours long and every bug falls in exactly one week.
import { Temporal } from "temporal-polyfill";
import { type Weekday, weekdayNumber } from "../../handbook/schema.js";

export interface WeekBoundary {
  weekday: Weekday;
  /** "HH:MM". */
  time: string;
  timeZone: string;
}

const DAY_MS = 86_400_000;

function at(date: Temporal.PlainDate, w: WeekBoundary): Temporal.ZonedDateTime {
  // A boundary inside a DST gap moves forward, as a wall clock does ("compatible").
  return date.toZonedDateTime({ timeZone: w.timeZone, plainTime: Temporal.PlainTime.from(w.time) });
}

/** The latest week boundary at or before `instant`. */
export function boundaryAtOrBefore(instant: Temporal.Instant, w: WeekBoundary): Temporal.Instant {
  const local = instant.toZonedDateTimeISO(w.timeZone).toPlainDate();
  const back = (local.dayOfWeek - weekdayNumber(w.weekday) + 7) % 7;
  let date = local.subtract({ days: back });
  let b = at(date, w);
  if (Temporal.Instant.compare(b.toInstant(), instant) > 0) {
    date = date.subtract({ days: 7 });
    b = at(date, w);
  }
  return b.toInstant();
}

/** The boundary a week after (or, with `weeks` < 0, before) the boundary `b`. */
export function shiftBoundary(
  b: Temporal.Instant,
  weeks: number,
  w: WeekBoundary,
): Temporal.Instant {
  const date = b
    .toZonedDateTimeISO(w.timeZone)
    .toPlainDate()
    .add({ days: 7 * weeks });
  return at(date, w).toInstant();
}

/** Every boundary from the first at or after `from` to the last at or before `to`, oldest first. */
export function boundariesBetween(
  from: Temporal.Instant,
  to: Temporal.Instant,
  w: WeekBoundary,
  max = 1000,
): Temporal.Instant[] {
  const out: Temporal.Instant[] = [];
  let b = boundaryAtOrBefore(to, w);
  while (Temporal.Instant.compare(b, from) >= 0 && out.length < max) {
    out.push(b);
    b = shiftBoundary(b, -1, w);
  }
  return out.reverse();
}

/** `days` calendar days before `instant`, in `timeZone` (the start of a report window). */
export function calendarDaysBefore(
  instant: Temporal.Instant,
  days: number,
  timeZone: string,
): Temporal.Instant {
  return instant.toZonedDateTimeISO(timeZone).subtract({ days }).toInstant();
}

/** The windows a report at `asOf` reads: exact ones in calendar days, the script's in 24-hour days. */
export interface ReportWindows {
  asOf: number;
  /** Exact: (weekStart, asOf]. */
  weekStart: number;
  /** Exact: (threeWeeksStart, asOf]. */
  threeWeeksStart: number;
}

export function reportWindows(asOf: Temporal.Instant, timeZone: string): ReportWindows {
  return {
    asOf: asOf.epochMilliseconds,
    weekStart: calendarDaysBefore(asOf, 7, timeZone).epochMilliseconds,
    threeWeeksStart: calendarDaysBefore(asOf, 21, timeZone).epochMilliseconds,
  };
}

export { DAY_MS };
