/**
 * Time in Bosun: one business calendar and the release calendar, all DST-correct
 * (Temporal, IANA zones) and pure: every function takes the moment it reasons about.
 */
import type { Temporal } from "temporal-polyfill";

export { type BusinessCalendar, businessCalendar, type Moment } from "./business.js";
export { type OnCallShift, onCallAt } from "./oncall.js";
export { type ReleaseCalendar, releaseCalendar, type Sprint } from "./release.js";

/** ISO 8601 with the UTC offset and no zone name: "2026-03-27T08:00:00-07:00". */
export function isoWithOffset(at: Temporal.ZonedDateTime): string {
  return at.toString({ timeZoneName: "never" });
}
