// A small RFC 5545 reader for tests: unfolds lines, reads the calendar's properties and each
// VEVENT's UID, SUMMARY and UTC DTSTART/DTEND. (ical.js is not installed in this tree; this
// reader is strict instead: it fails on anything it does not understand in those fields.)

export interface IcsEvent {
  uid: string;
  summary: string;
  /** ISO 8601 UTC, e.g. "2026-11-13T16:00:00Z". */
  start: string;
  end: string;
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

function utc(value: string, line: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new Error(`not a UTC date-time: ${line}`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
}

export function parseIcs(text: string): { properties: Record<string, string>; events: IcsEvent[] } {
  if (!/\r\n/.test(text)) throw new Error("iCalendar lines end with CRLF");
  const lines = text
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter((l) => l !== "");
  if (lines[0] !== "BEGIN:VCALENDAR" || lines.at(-1) !== "END:VCALENDAR") {
    throw new Error("not a VCALENDAR");
  }
  const properties: Record<string, string> = {};
  const events: IcsEvent[] = [];
  let current: Partial<IcsEvent> | null = null;
  for (const line of lines.slice(1, -1)) {
    const colon = line.indexOf(":");
    const head = line.slice(0, colon);
    const value = line.slice(colon + 1);
    const name = head.split(";")[0]!;
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT") {
      if (!current?.uid || current.summary === undefined || !current.start || !current.end) {
        throw new Error(`incomplete VEVENT: ${JSON.stringify(current)}`);
      }
      events.push(current as IcsEvent);
      current = null;
    } else if (current) {
      if (name === "UID") current.uid = value;
      else if (name === "SUMMARY") current.summary = unescapeText(value);
      else if (name === "DTSTART") current.start = utc(value, line);
      else if (name === "DTEND") current.end = utc(value, line);
    } else properties[name] = value;
  }
  return { properties, events };
}
