// How instants read in reasons, descriptions and announcements.
import type { Temporal } from "temporal-polyfill";

/** ISO 8601 with the UTC offset and no zone name: "2026-03-27T08:00:00-07:00". */
export function isoWithOffset(at: Temporal.ZonedDateTime): string {
  return at.toString({ timeZoneName: "never" });
}

/** "Tue 2026-12-01 09:00 PST": absolute, so a description never changes while the facts hold. */
export function formatWhen(at: Temporal.ZonedDateTime): string {
  const day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][at.dayOfWeek - 1];
  const zone =
    new Intl.DateTimeFormat("en-US", { timeZone: at.timeZoneId, timeZoneName: "short" })
      .formatToParts(at.epochMilliseconds)
      .find((p) => p.type === "timeZoneName")?.value ?? at.offset;
  return `${day} ${at.toPlainDate().toString()} ${at.toPlainTime().toString({ smallestUnit: "minute" })} ${zone}`;
}
