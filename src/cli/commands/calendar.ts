import type { CalendarView } from "../../api/release.js";
import { isBosunError } from "../../errors.js";
import type { GlobalOptions } from "../context.js";
import { withData } from "../data.js";
import { EXIT, UserError } from "../errors.js";
import { table } from "../table.js";

export interface CalendarOptions extends GlobalOptions {
  from?: string;
  to?: string;
  json?: boolean;
}

const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T.+)?$/;

/** `bosun calendar`: the release calendar, as a table or as the JSON the feed is built from. */
export async function calendar(opts: CalendarOptions): Promise<number> {
  for (const [flag, value] of [
    ["--from", opts.from],
    ["--to", opts.to],
  ] as const) {
    if (value !== undefined && !DATE_OR_INSTANT.test(value.trim())) {
      throw new UserError(
        `${flag}: ${JSON.stringify(value)} is neither a date (2026-12-01) nor an instant with its offset (2026-12-01T09:00:00-08:00)`,
      );
    }
  }
  let view: CalendarView;
  try {
    view = await withData(opts, "bosun calendar", (data) =>
      data.releaseCalendar({ from: opts.from, to: opts.to }),
    );
  } catch (err) {
    // The range's messages name the parameter ("from: ..."); here it is a flag.
    if (isBosunError(err, "bad-input")) throw new UserError(`--${err.message}`);
    throw err;
  }
  if (opts.json) {
    // R14, R32: a moved event says where it moved from and why ("moved": its text).
    const events = view.events.map(({ kind, title, start, end, moved }) => ({
      kind,
      title,
      start,
      end,
      ...(moved ? { moved: moved.text } : {}),
    }));
    process.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
    return EXIT.ok;
  }
  // The last column wraps: the move's text, when any event moved in the range.
  const anyMoved = view.events.some((e) => e.moved);
  const rows = view.events.map((e) => [
    e.kind,
    e.title,
    e.start,
    e.end === e.start ? "" : e.end,
    ...(anyMoved ? [e.moved?.text ?? ""] : []),
  ]);
  const header = ["Kind", "Event", "Start", "End", ...(anyMoved ? ["Moved"] : [])];
  process.stdout.write(
    `Release calendar, ${view.from} to ${view.to} (${view.timeZone})\n\n${
      rows.length ? table(header, rows) : "No events in this range."
    }\n`,
  );
  return EXIT.ok;
}
