// The one parser for the moments people type: `--at`, `--as-of`, `?from=`, deploy times. Each
// caller chooses which forms it accepts and words its own error; the reading is the same.
import { Temporal } from "temporal-polyfill";

export interface MomentForms {
  /** Where dates and local date-times are read; without it only instants are accepted. */
  timeZone?: string;
  /** A bare date (`2026-03-02`) means this time of that day: "HH:MM", or the day's end (the next midnight). */
  dateAt?: string | "end-of-day";
  /** Accept a local date and time (`2026-03-02T17:30`), read in `timeZone`. */
  localDateTime?: boolean;
}

/** Why a text is not a moment: a date that does not exist, or nothing this parser reads. */
export class MomentError extends RangeError {
  override readonly name = "MomentError";
  constructor(
    readonly text: string,
    readonly reason: "not-in-calendar" | "unreadable",
  ) {
    super(`not a moment: ${JSON.stringify(text)} (${reason})`);
  }
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Reads ISO 8601 with an offset or a zone, and the date forms `forms` allows. */
export function parseMoment(text: string, forms: MomentForms = {}): Temporal.Instant {
  const t = text.trim();
  const zone = forms.timeZone;
  if (zone && forms.dateAt !== undefined && DATE_RE.test(t)) {
    let date: Temporal.PlainDate;
    try {
      date = Temporal.PlainDate.from(t, { overflow: "reject" });
    } catch {
      throw new MomentError(text, "not-in-calendar");
    }
    if (forms.dateAt === "end-of-day")
      return date.add({ days: 1 }).toZonedDateTime({ timeZone: zone }).toInstant();
    return date
      .toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from(forms.dateAt) })
      .toInstant();
  }
  try {
    if (zone && forms.localDateTime && LOCAL_RE.test(t)) {
      return Temporal.PlainDateTime.from(t.replace(" ", "T"), { overflow: "reject" })
        .toZonedDateTime(zone)
        .toInstant();
    }
    return t.includes("[") ? Temporal.ZonedDateTime.from(t).toInstant() : Temporal.Instant.from(t);
  } catch {
    throw new MomentError(text, "unreadable");
  }
}

/** Accepts ISO 8601 with an offset or a zone (`2026-12-04T08:00-08:00`, `...[America/Los_Angeles]`). */
export function parseInstant(text: string): Temporal.Instant {
  try {
    return parseMoment(text);
  } catch {
    throw new RangeError(
      `not an instant: ${JSON.stringify(text)}; use ISO 8601 with an offset, such as 2026-12-04T08:00:00-08:00`,
    );
  }
}
