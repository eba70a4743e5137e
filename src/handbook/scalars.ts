// The scalar types of bosun.yml (weekdays, times, dates, logins, patterns, URLs) and the helpers
// every section's schema uses to report a problem: messages start with "must be ..." and name
// what is allowed; the loader adds the file, line, column, key path and the value found.
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { WEEKDAYS, type Weekday, weekdayName, weekdayNumber } from "./weekdays.js";

export { WEEKDAYS, type Weekday, weekdayName, weekdayNumber };

/** Adds an issue the loader reports as "<message>, found <value>", with `allowed` attached. */
export function problem(
  ctx: z.RefinementCtx,
  value: unknown,
  allowed: string,
  message?: string,
): void {
  ctx.addIssue({
    code: "custom",
    message: message ?? `must be ${allowed}`,
    input: value,
    params: { allowed },
  });
}

/** A weekday name, case-insensitive on input ("Friday" and "friday" both work). */
export const weekdaySchema = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
  z.enum(WEEKDAYS),
);

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const TIME_ALLOWED = 'a time of day "HH:MM" on the 24-hour clock, from "00:00" to "23:59"';

/** A time of day, "HH:MM". */
export const clockTimeSchema = z.string().superRefine((v, ctx) => {
  if (!TIME_RE.test(v)) problem(ctx, v, TIME_ALLOWED);
});

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_ALLOWED = 'a date "YYYY-MM-DD", e.g. "2026-03-02"';

/** A calendar date, "YYYY-MM-DD", that exists (no 2026-02-30). */
export const isoDateSchema = z.string().superRefine((v, ctx) => {
  if (!DATE_RE.test(v)) return problem(ctx, v, DATE_ALLOWED);
  try {
    Temporal.PlainDate.from(v, { overflow: "reject" });
  } catch {
    problem(ctx, v, DATE_ALLOWED, `must be a date that exists in the calendar, as "YYYY-MM-DD"`);
  }
});

const LOGIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const LOGIN_ALLOWED = 'a GitHub login such as "lukeheath" (letters, digits and hyphens)';

/** A GitHub login. A leading "@" is accepted and removed. */
export const loginSchema = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().replace(/^@/, "") : v === null ? "" : v),
  z.string().superRefine((v, ctx) => {
    if (v === "") return problem(ctx, v, LOGIN_ALLOWED, `must not be empty: ${LOGIN_ALLOWED}`);
    if (!LOGIN_RE.test(v)) problem(ctx, v, LOGIN_ALLOWED);
  }),
);

export const REPO_NAME_RE = /^[A-Za-z0-9._-]{1,100}$/;

/** A name pattern with a `{version}` placeholder, e.g. "rc-minor-fleet-v{version}". */
export const versionPatternSchema = z.string().superRefine((v, ctx) => {
  const allowed = 'a pattern containing "{version}", e.g. "rc-minor-fleet-v{version}"';
  if (!v.includes("{version}")) return problem(ctx, v, allowed);
  const other = v.replaceAll("{version}", "").match(/\{[^}]*\}/);
  if (other) {
    problem(
      ctx,
      v,
      allowed,
      `must use only the placeholder "{version}" (found placeholder "${other[0]}")`,
    );
  }
  if (/\s/.test(v)) problem(ctx, v, allowed, `must not contain spaces: ${allowed}`);
});

export const httpUrlSchema = z.string().superRefine((v, ctx) => {
  const allowed = 'an http(s) URL, e.g. "https://api.github.com"';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return problem(ctx, v, allowed);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") problem(ctx, v, allowed);
});

/** An IANA time zone name that Temporal knows, normalised to its canonical spelling. */
export const timeZoneSchema = z.string().transform((v, ctx) => {
  const allowed = 'an IANA time zone name, e.g. "America/Los_Angeles", "Europe/Paris" or "UTC"';
  if (/^[+-]\d/.test(v.trim())) {
    problem(ctx, v, allowed, `must be ${allowed}, not a fixed UTC offset (it ignores DST)`);
    return z.NEVER;
  }
  try {
    return new Temporal.ZonedDateTime(0n, v.trim()).timeZoneId;
  } catch {
    problem(ctx, v, allowed, `must be ${allowed} (unknown time zone)`);
    return z.NEVER;
  }
});

export const nonEmpty = (what: string) =>
  z.string().superRefine((v, ctx) => {
    if (v.trim() === "") problem(ctx, v, what, `must not be empty: ${what}`);
  });

/** Turns `null` (a key written with an empty value) into "absent", so defaults apply. */
export const emptyIsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === null || v === "" ? undefined : v), schema);

const businessHoursObject = z
  .strictObject({
    start: clockTimeSchema.default("09:00"),
    end: clockTimeSchema.default("17:00"),
  })
  .superRefine((v, ctx) => {
    if (v.end <= v.start) {
      ctx.addIssue({
        code: "custom",
        message: `must end after they start (start "${v.start}", end "${v.end}")`,
        path: ["end"],
        input: v.end,
        params: { allowed: `a time after "${v.start}"`, noFound: true },
      });
    }
  });

/** Business hours, written "09:00-17:00" or as {start, end}. */
export const businessHoursSchema = z.preprocess((v, ctx) => {
  if (typeof v !== "string") return v;
  const m = v.match(/^\s*(\S+?)\s*-\s*(\S+?)\s*$/);
  if (!m) {
    problem(ctx, v, '"HH:MM-HH:MM", e.g. "09:00-17:00", or a mapping {start, end}');
    return v;
  }
  return { start: m[1], end: m[2] };
}, businessHoursObject);

export const weekdayTime = (weekday: Weekday, time: string) =>
  z
    .strictObject({
      weekday: weekdaySchema.default(weekday),
      time: clockTimeSchema.default(time),
    })
    .prefault({});
