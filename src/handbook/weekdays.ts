/** Weekday names as written in bosun.yml, and their ISO numbers. No dependencies. */
export const WEEKDAYS = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** ISO day number (Monday = 1 ... Sunday = 7), as Temporal's `dayOfWeek`. */
export function weekdayNumber(day: Weekday): number {
  return WEEKDAYS.indexOf(day) + 1;
}

/** The weekday name of an ISO day number (1-7). */
export function weekdayName(dayOfWeek: number): Weekday {
  const name = WEEKDAYS[dayOfWeek - 1];
  if (!name) throw new RangeError(`day of week must be 1-7, got ${dayOfWeek}`);
  return name;
}
