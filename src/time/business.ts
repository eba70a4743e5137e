/**
 * The business calendar: one time zone, business hours, work days and holidays (R41).
 *
 * Pure: every function takes the moment it reasons about as an argument; nothing reads the
 * clock. Inputs are `Temporal.Instant` or `Temporal.ZonedDateTime` (any zone); results are
 * `Temporal.ZonedDateTime` in the calendar's time zone (call `.toInstant()` for an instant).
 * Business hours are wall-clock times, so DST changes move them with the local clock.
 */
import { Temporal } from "temporal-polyfill";
import type { CalendarConfig } from "../handbook/schema.js";
import { weekdayNumber } from "../handbook/weekdays.js";

/** A moment, as an instant or a zoned date-time in any zone. */
export type Moment = Temporal.Instant | Temporal.ZonedDateTime;

export interface BusinessCalendar {
  readonly timeZone: string;
  /** The moment in the calendar's time zone. */
  zoned(at: Moment): Temporal.ZonedDateTime;
  /** The holiday's name ("" when unnamed) if `date` is a holiday, else undefined. */
  holiday(date: Temporal.PlainDate): string | undefined;
  /** A work day that is not a holiday. */
  isBusinessDay(date: Temporal.PlainDate): boolean;
  /** Within business hours [start, end) of a business day. */
  isBusinessTime(at: Moment): boolean;
  /** `at` if it is business time, else the start of the next business hours. */
  nextBusinessTime(at: Moment): Temporal.ZonedDateTime;
  /**
   * `at` plus `minutes` of business time, skipping nights, weekends and holidays.
   * From outside business hours the count starts at the next opening; a result that falls
   * exactly on the close of business stays there (16:00 + 60 min = 17:00 the same day).
   */
  addBusinessDuration(at: Moment, minutes: number): Temporal.ZonedDateTime;
  /** Business minutes between two moments (0 when `to` is not after `from`). */
  businessMinutesBetween(from: Moment, to: Moment): number;
}

/** Upper bound on consecutive days without business hours (a misconfiguration guard). */
const MAX_DAYS_WITHOUT_BUSINESS = 3660;

export function businessCalendar(config: CalendarConfig): BusinessCalendar {
  const timeZone = config.timeZone;
  const open = Temporal.PlainTime.from(config.businessHours.start);
  const close = Temporal.PlainTime.from(config.businessHours.end);
  const workDays = new Set(config.workDays.map(weekdayNumber));
  const holidays = new Map(config.holidays.map((h) => [h.date, h.name ?? ""]));

  const zoned = (at: Moment) =>
    at instanceof Temporal.ZonedDateTime
      ? at.withTimeZone(timeZone)
      : at.toZonedDateTimeISO(timeZone);
  const holiday = (date: Temporal.PlainDate) => holidays.get(date.toString());
  const isBusinessDay = (date: Temporal.PlainDate) =>
    workDays.has(date.dayOfWeek) && !holidays.has(date.toString());
  /** Business hours of a date, as zoned date-times (DST gaps resolve forwards). */
  const hoursOf = (date: Temporal.PlainDate) => ({
    start: date.toZonedDateTime({ timeZone, plainTime: open }),
    end: date.toZonedDateTime({ timeZone, plainTime: close }),
  });
  const before = (a: Temporal.ZonedDateTime, b: Temporal.ZonedDateTime) =>
    Temporal.ZonedDateTime.compare(a, b) < 0;

  /** Calls `visit` with each day's business hours from `at` onwards until it returns true. */
  function walk(
    at: Moment,
    visit: (cursor: Temporal.ZonedDateTime, end: Temporal.ZonedDateTime) => boolean,
  ): void {
    let cursor = zoned(at);
    let idle = 0;
    for (;;) {
      const date = cursor.toPlainDate();
      if (isBusinessDay(date)) {
        idle = 0;
        const { start, end } = hoursOf(date);
        if (before(cursor, start)) cursor = start;
        if (before(cursor, end) && visit(cursor, end)) return;
      } else if (++idle > MAX_DAYS_WITHOUT_BUSINESS) {
        throw new RangeError(
          `no business hours within ${MAX_DAYS_WITHOUT_BUSINESS} days of ${zoned(at).toString()}`,
        );
      }
      cursor = date.add({ days: 1 }).toZonedDateTime({ timeZone });
    }
  }

  return {
    timeZone,
    zoned,
    holiday,
    isBusinessDay,
    isBusinessTime(at) {
      const z = zoned(at);
      if (!isBusinessDay(z.toPlainDate())) return false;
      const { start, end } = hoursOf(z.toPlainDate());
      return !before(z, start) && before(z, end);
    },
    nextBusinessTime(at) {
      let result: Temporal.ZonedDateTime | undefined;
      walk(at, (cursor) => {
        result = cursor;
        return true;
      });
      return result!;
    },
    addBusinessDuration(at, minutes) {
      if (!Number.isFinite(minutes) || minutes < 0) {
        throw new RangeError(`minutes must be a finite number >= 0, got ${minutes}`);
      }
      let remaining = Math.round(minutes * 60_000); // milliseconds
      let result: Temporal.ZonedDateTime | undefined;
      walk(at, (cursor, end) => {
        const available = end.epochMilliseconds - cursor.epochMilliseconds;
        if (remaining <= available) {
          result = cursor.add({ milliseconds: remaining });
          return true;
        }
        remaining -= available;
        return false;
      });
      return result!;
    },
    businessMinutesBetween(from, to) {
      const stop = zoned(to);
      let total = 0;
      if (!before(zoned(from), stop)) return 0;
      walk(from, (cursor, end) => {
        if (!before(cursor, stop)) return true;
        const until = before(end, stop) ? end : stop;
        total += until.epochMilliseconds - cursor.epochMilliseconds;
        return !before(end, stop);
      });
      return total / 60_000;
    },
  };
}
