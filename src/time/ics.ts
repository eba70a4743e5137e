// The release calendar as an iCalendar feed (R32) that calendar applications subscribe to.
// Instants are written in UTC, so every subscriber sees the right local time across DST
// changes; uids are stable, so a moved or renamed event updates in place, and a moved event's
// SEQUENCE is higher than before the move, so applications take the new time. Other parts of Bosun
// (ritual occurrences) add their events through `extra`.
import ical, { ICalCalendarMethod } from "ical-generator";
import type { Temporal } from "temporal-polyfill";

export interface FeedEvent {
  /** Stable across runs: the same occurrence always has the same uid. */
  uid: string;
  title: string;
  start: Temporal.ZonedDateTime | Temporal.Instant;
  /** Equal to `start` for an instant event. */
  end: Temporal.ZonedDateTime | Temporal.Instant;
  description?: string;
  /** A category ("release", "rc-cut", "ritual" ...). */
  kind?: string;
  /** SEQUENCE: raised each time the event moves (default 0, as scheduled). */
  sequence?: number;
}

export interface FeedOptions {
  name: string;
  /** DTSTAMP of every event: when the feed was generated (the caller's clock). */
  stamp: Temporal.Instant;
  /** Calendar time zone, as a hint for applications (X-WR-TIMEZONE). */
  timeZone: string;
  description?: string;
  /** Events other parts of Bosun contribute to the same feed. */
  extra?: readonly FeedEvent[];
  /** How often subscribers should refresh, in seconds (REFRESH-INTERVAL / X-PUBLISHED-TTL). */
  ttlSeconds?: number;
}

/** UTC ISO 8601 ("2026-11-13T16:00:00Z"), which ical-generator writes as a UTC date-time. */
const toDate = (t: Temporal.ZonedDateTime | Temporal.Instant) =>
  ("toInstant" in t ? t.toInstant() : t).toString();

/** The feed, as text/calendar. */
export function renderIcs(events: readonly FeedEvent[], options: FeedOptions): string {
  const calendar = ical({
    name: options.name,
    prodId: { company: "Bosun", product: "release-calendar", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
    // Not `timezone`: with it, times would be written as floating local times without a
    // VTIMEZONE. UTC instants plus the X-WR-TIMEZONE hint are exact everywhere.
    x: [{ key: "X-WR-TIMEZONE", value: options.timeZone }],
    ttl: options.ttlSeconds ?? 3600,
    ...(options.description ? { description: options.description } : {}),
  });
  for (const e of [...events, ...(options.extra ?? [])]) {
    calendar.createEvent({
      id: e.uid,
      summary: e.title,
      start: toDate(e.start),
      end: toDate(e.end),
      stamp: toDate(options.stamp),
      sequence: e.sequence ?? 0,
      ...(e.description ? { description: e.description } : {}),
      ...(e.kind ? { categories: [{ name: e.kind }] } : {}),
    });
  }
  return calendar.toString();
}
