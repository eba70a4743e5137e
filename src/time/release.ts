/**
 * The release calendar basics: sprints, RC cuts (R14), freezes (R9, R11) and releases.
 *
 * Pure: every function takes the moment it reasons about; nothing reads the clock. All
 * schedule times are wall-clock times in `calendar.timeZone`, so they stay at 08:00 local
 * across DST changes (the UTC offset changes instead). Results are `Temporal.ZonedDateTime`
 * in that zone.
 *
 * The model (see `releaseTrainSchema`):
 * - sprint k: [anchor + k*lengthWeeks weeks at 00:00, the start of sprint k+1); k may be
 *   negative (before the anchor);
 * - RC cut of sprint k: its last (`rcCut.which: first`: first) `rcCut.weekday` at `rcCut.time`;
 * - release of sprint k: at the sprint boundary: the first `release.weekday` at `release.time`
 *   at or after the end of sprint k (so it may fall on the first day of sprint k+1);
 * - freeze of sprint k: the last `freeze.weekday` strictly before the day of the release, at
 *   `freeze.time` ("the Tuesday before the release, 09:00");
 * - deep freeze of sprint k: `deepFreezeHours` hours of elapsed time before the release.
 *
 * The `next*` functions return the first event at or after the given moment.
 */
import { Temporal } from "temporal-polyfill";
import type { HandbookConfig } from "../handbook/schema.js";
import { weekdayNumber } from "../handbook/weekdays.js";
import type { Moment } from "./business.js";

export interface Sprint {
  /** 0 for the sprint starting on the anchor date, negative before it. */
  index: number;
  /** 00:00 on the first day of the sprint. */
  start: Temporal.ZonedDateTime;
  /** Exclusive: the start of the next sprint. */
  end: Temporal.ZonedDateTime;
}

export interface ReleaseCalendar {
  readonly timeZone: string;
  readonly mode: HandbookConfig["releaseTrain"]["mode"];
  /** Sprint number `index`. */
  sprint(index: number): Sprint;
  /** The sprint containing `at`. */
  sprintAt(at: Moment): Sprint;
  /** R14: when the RC of sprint `index` is cut. */
  rcCut(index: number): Temporal.ZonedDateTime;
  /** When the release concluding sprint `index` happens (at the sprint boundary). */
  release(index: number): Temporal.ZonedDateTime;
  /** R9: when main freezes before the release of sprint `index`. */
  freeze(index: number): Temporal.ZonedDateTime;
  /** R11: when the deep freeze before the release of sprint `index` begins. */
  deepFreeze(index: number): Temporal.ZonedDateTime;
  /** The first RC cut at or after `at`. */
  nextRcCut(at: Moment): Temporal.ZonedDateTime;
  /** The first release at or after `at`. */
  nextRelease(at: Moment): Temporal.ZonedDateTime;
  /** The first freeze at or after `at`. */
  nextFreeze(at: Moment): Temporal.ZonedDateTime;
  /** The first deep freeze at or after `at`. */
  nextDeepFreeze(at: Moment): Temporal.ZonedDateTime;
}

export function releaseCalendar(
  config: Pick<HandbookConfig, "calendar" | "releaseTrain">,
): ReleaseCalendar {
  const timeZone = config.calendar.timeZone;
  const train = config.releaseTrain;
  const anchor = Temporal.PlainDate.from(train.sprint.anchor);
  const sprintDays = train.sprint.lengthWeeks * 7;

  const at = (date: Temporal.PlainDate, time: string) =>
    date.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) });
  const startOf = (index: number) =>
    anchor.add({ days: index * sprintDays }).toZonedDateTime({ timeZone });
  const sprint = (index: number): Sprint => ({
    index,
    start: startOf(index),
    end: startOf(index + 1),
  });
  const zoned = (m: Moment) =>
    m instanceof Temporal.ZonedDateTime ? m.withTimeZone(timeZone) : m.toZonedDateTimeISO(timeZone);
  const sprintAt = (m: Moment): Sprint => {
    const days = anchor.until(zoned(m).toPlainDate(), { largestUnit: "days" }).days;
    return sprint(Math.floor(days / sprintDays));
  };

  const rcCut = (index: number) => {
    const weekday = weekdayNumber(train.rcCut.weekday);
    if (train.rcCut.which === "first") {
      const first = anchor.add({ days: index * sprintDays });
      return at(first.add({ days: (weekday - first.dayOfWeek + 7) % 7 }), train.rcCut.time);
    }
    const last = anchor.add({ days: (index + 1) * sprintDays - 1 });
    return at(last.subtract({ days: (last.dayOfWeek - weekday + 7) % 7 }), train.rcCut.time);
  };
  const release = (index: number) => {
    const boundary = anchor.add({ days: (index + 1) * sprintDays });
    const weekday = weekdayNumber(train.release.weekday);
    return at(boundary.add({ days: (weekday - boundary.dayOfWeek + 7) % 7 }), train.release.time);
  };
  const freeze = (index: number) => {
    const day = release(index).toPlainDate();
    const back = (day.dayOfWeek - weekdayNumber(train.freeze.weekday) + 7) % 7 || 7;
    return at(day.subtract({ days: back }), train.freeze.time);
  };
  const deepFreeze = (index: number) => release(index).subtract({ hours: train.deepFreezeHours });

  /** Events are increasing in the sprint index and lie within a sprint of their own. */
  const next = (event: (index: number) => Temporal.ZonedDateTime) => (m: Moment) => {
    const moment = zoned(m);
    for (let index = sprintAt(moment).index - 2; ; index++) {
      const candidate = event(index);
      if (Temporal.ZonedDateTime.compare(candidate, moment) >= 0) return candidate;
    }
  };

  return {
    timeZone,
    mode: train.mode,
    sprint,
    sprintAt,
    rcCut,
    release,
    freeze,
    deepFreeze,
    nextRcCut: next(rcCut),
    nextRelease: next(release),
    nextFreeze: next(freeze),
    nextDeepFreeze: next(deepFreeze),
  };
}
