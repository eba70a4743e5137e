/**
 * Time in Bosun: one business calendar and the release calendar, all DST-correct
 * (Temporal, IANA zones) and pure: every function takes the moment it reasons about.
 */
export { type BusinessCalendar, businessCalendar, type Moment } from "./business.js";
export { formatWhen, isoWithOffset } from "./format.js";
export { type OnCallShift, onCallAt } from "./oncall.js";
export { type ReleaseCalendar, releaseCalendar, type Sprint } from "./release.js";
