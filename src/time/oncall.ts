/**
 * The weekly on-call rotation (R41, R43). Pure: the moment is an argument.
 *
 * `rotation[0]` takes over on `startsOn` at the handoff time; each handoff (every 7 days at
 * the same wall-clock time in the calendar's zone) passes the role to the next login, and the
 * list repeats. Before `startsOn` the rotation runs backwards in the same order.
 */
import { Temporal } from "temporal-polyfill";
import type { HandbookConfig } from "../handbook/schema.js";
import type { Moment } from "./business.js";

export interface OnCallShift {
  login: string;
  /** The handoff at which this shift began. */
  since: Temporal.ZonedDateTime;
  /** The next handoff. */
  until: Temporal.ZonedDateTime;
}

export function onCallAt(
  config: Pick<HandbookConfig, "calendar" | "roles">,
  at: Moment,
): OnCallShift {
  const timeZone = config.calendar.timeZone;
  const { rotation, handoff, startsOn } = config.roles.onCall;
  const first = Temporal.PlainDate.from(startsOn);
  const time = Temporal.PlainTime.from(handoff.time);
  const handoffAt = (week: number) =>
    first.add({ days: week * 7 }).toZonedDateTime({ timeZone, plainTime: time });
  const moment =
    at instanceof Temporal.ZonedDateTime
      ? at.withTimeZone(timeZone)
      : at.toZonedDateTimeISO(timeZone);

  let week = Math.floor(first.until(moment.toPlainDate(), { largestUnit: "days" }).days / 7);
  // On a handoff day before the handoff time, the previous shift still runs.
  if (Temporal.ZonedDateTime.compare(moment, handoffAt(week)) < 0) week -= 1;
  const n = rotation.length;
  return {
    login: rotation[((week % n) + n) % n]!,
    since: handoffAt(week),
    until: handoffAt(week + 1),
  };
}
