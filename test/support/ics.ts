// Reads a feed with ical.js, a maintained iCalendar parser, into what the tests compare:
// the calendar's properties and each event's UID, SUMMARY, instants in UTC, SEQUENCE and
// DESCRIPTION.
import ICAL from "ical.js";

export interface IcsEvent {
  uid: string;
  summary: string;
  /** ISO 8601 UTC, e.g. "2026-11-13T16:00:00Z". */
  start: string;
  end: string;
  /** SEQUENCE (0 when absent). */
  sequence: number;
  description?: string;
}

function utc(time: ICAL.Time): string {
  return `${time.toJSDate().toISOString().slice(0, 19)}Z`;
}

export function parseIcs(text: string): { properties: Record<string, string>; events: IcsEvent[] } {
  if (!/\r\n/.test(text)) throw new Error("iCalendar lines end with CRLF");
  const calendar = new ICAL.Component(ICAL.parse(text));
  if (calendar.name !== "vcalendar") throw new Error("not a VCALENDAR");
  const properties: Record<string, string> = {};
  for (const p of calendar.getAllProperties())
    properties[p.name.toUpperCase()] = String(p.getFirstValue());
  const events = calendar.getAllSubcomponents("vevent").map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      summary: e.summary,
      start: utc(e.startDate),
      end: utc(e.endDate),
      sequence: e.sequence ?? 0,
      ...(e.description ? { description: e.description } : {}),
    };
  });
  return { properties, events };
}
