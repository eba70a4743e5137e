/**
 * The shared sections of `bosun.yml` (organisation, repositories, GitHub, calendar, roles,
 * product groups, labels, the release calendar). Each rule's own section lives in its folder
 * and joins these in `assemble.ts`; its type joins {@link HandbookConfig} through
 * {@link RuleSections} or {@link ReleaseTrainSections} (module augmentation in its config.ts).
 *
 * Every object is strict: an unknown key is an error, never silently ignored. Parsing fills
 * in every default, so the rest of Bosun works on {@link HandbookConfig}, a normalised value
 * in which nothing is optional that has a sensible default.
 *
 * Conventions of the normalised value (plain, JSON-serialisable data):
 * - dates are `"YYYY-MM-DD"` strings, times of day `"HH:MM"` strings (24-hour clock), both
 *   interpreted in `calendar.timeZone` (`src/time/` turns them into Temporal values);
 * - weekdays are lower-case English names (`"monday"` ... `"sunday"`);
 * - GitHub logins are stored without a leading `@`;
 * - name patterns (branches, milestones, tags) contain the placeholder `{version}`
 *   (see `patterns.ts` to build and parse them).
 *
 * Messages written here start with "must be ..." and name what is allowed; the loader adds
 * the file, line, column, key path and the value found.
 */
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import {
  type MovableKind,
  OVERRIDE_KEYS,
  type OverrideKey,
  occurrenceKey,
  overrideOccurrence,
  overrideTarget,
  resolveOverrides,
  trainSchedule,
} from "../time/schedule.js";
import { boardsSchema } from "./boards.js";
import {
  businessHoursSchema,
  clockTimeSchema,
  httpUrlSchema,
  isoDateSchema,
  loginSchema,
  nonEmpty,
  problem,
  REPO_NAME_RE,
  timeZoneSchema,
  versionPatternSchema,
  weekdayName,
  weekdayNumber,
  weekdaySchema,
  weekdayTime,
} from "./scalars.js";

export {
  RITUAL_FREQUENCIES,
  type Ritual,
  type RitualFrequency,
  ritualSchema,
  ritualsFileSchema,
} from "./ritual-schema.js";
export {
  businessHoursSchema,
  clockTimeSchema,
  isoDateSchema,
  loginSchema,
  timeZoneSchema,
  versionPatternSchema,
  WEEKDAYS,
  type Weekday,
  weekdayName,
  weekdayNumber,
  weekdaySchema,
} from "./scalars.js";

// ---------------------------------------------------------------------------------------
// Shared sections
// ---------------------------------------------------------------------------------------

/** A repository of the organisation. Written as a name ("fleet") or a mapping. */
export const repositorySchema = z.preprocess(
  (v) => (typeof v === "string" ? { name: v } : v),
  z.strictObject({
    /** The repository name inside `organisation` (not "owner/name"). */
    name: z.string().superRefine((v, ctx) => {
      if (!REPO_NAME_RE.test(v)) {
        problem(ctx, v, 'a repository name such as "fleet" (without the owner)');
      }
    }),
    defaultBranch: nonEmpty("a branch name").default("main"),
    /** Whether the repository counts in the KPI report (R1, R2). */
    kpi: z.boolean().default(true),
    /** R33: released straight from the default branch (QA before merge, no "Ready for release"). */
    releasedFromMain: z.boolean().default(false),
  }),
);

export const githubSchema = z.strictObject({
  apiUrl: httpUrlSchema.default("https://api.github.com"),
  /**
   * Secret of the webhook signatures (X-Hub-Signature-256). The environment variable
   * BOSUN_WEBHOOK_SECRET, when set, overrides it; prefer the environment variable.
   */
  webhookSecret: z.string().min(1).optional(),
});

export const holidaySchema = z.preprocess(
  (v) => (typeof v === "string" ? { date: v } : v),
  z.strictObject({ date: isoDateSchema, name: z.string().optional() }),
);

/** The one business calendar every clock in Bosun uses (R41 and every SLA). */
export const calendarSchema = z.strictObject({
  timeZone: timeZoneSchema.default("America/Los_Angeles"),
  businessHours: businessHoursSchema.prefault("09:00-17:00"),
  workDays: z
    .array(weekdaySchema)
    .min(1)
    .default(["monday", "tuesday", "wednesday", "thursday", "friday"]),
  holidays: z
    .array(holidaySchema)
    .default([])
    .superRefine((days, ctx) => {
      const seen = new Set<string>();
      days.forEach((d, i) => {
        if (seen.has(d.date)) {
          ctx.addIssue({
            code: "custom",
            message: `"${d.date}" is listed twice: each holiday date may appear only once`,
            path: [i],
            input: d.date,
            params: { noFound: true },
          });
        }
        seen.add(d.date);
      });
    }),
});

export const onCallSchema = z
  .strictObject({
    /** Logins in rotation order; each is on call for one week (R41, R43). */
    rotation: z.array(loginSchema).min(1),
    /** When the on-call engineer hands off to the next one (R43). */
    handoff: z
      .strictObject({
        weekday: weekdaySchema.default("monday"),
        time: clockTimeSchema.default("09:00"),
      })
      .prefault({}),
    /** The date on which `rotation[0]` takes over (a `handoff.weekday`). */
    startsOn: isoDateSchema,
  })
  .superRefine((v, ctx) => {
    const day = Temporal.PlainDate.from(v.startsOn).dayOfWeek;
    if (day !== weekdayNumber(v.handoff.weekday)) {
      ctx.addIssue({
        code: "custom",
        message: `must be a ${v.handoff.weekday} (the handoff weekday), found "${v.startsOn}", a ${weekdayName(day)}`,
        path: ["startsOn"],
        input: v.startsOn,
        params: { allowed: `a ${v.handoff.weekday}`, noFound: true },
      });
    }
  });

export const rolesSchema = z.strictObject({
  /** Assigned engineering-initiated stories (R3), records the KPIs. */
  engineeringOutputDri: loginSchema,
  /** Told when QA is done, approves exceptions, receives dependency bugs (R13, R16, R19, R26). */
  releaseRitualDri: loginSchema,
  /** Mentioned when a story is pushed (R34). */
  headOfProductDesign: loginSchema,
  /** Mentioned when a pushed story carries `customer-*` labels (R34). */
  vpCustomerSuccess: loginSchema,
  onCall: onCallSchema,
});

export const productGroupSchema = z.strictObject({
  /** A short identifier used in commands and URLs, e.g. "mdm". */
  id: z.string().superRefine((v, ctx) => {
    if (!/^[a-z][a-z0-9-]*$/.test(v)) {
      problem(ctx, v, 'a short identifier in lower case, e.g. "mdm" or "endpoint-ops"');
    }
  }),
  name: nonEmpty('a display name, e.g. "MDM"'),
  /** The GitHub label of the group, e.g. "#g-mdm" (KPI columns, R18). */
  label: nonEmpty('a GitHub label, e.g. "#g-mdm"'),
  engineeringManager: loginSchema,
  qaLead: loginSchema,
  members: z.array(loginSchema).default([]),
});

/**
 * Bug states, in order. A bug's state is the state of the FIRST entry whose label the bug
 * carries; a bug with none of these labels has no state. List them from the earliest state
 * to the latest: a bug still labelled `:incoming` is "inbox" even if it also has `:release`.
 */
export const bugStateSchema = z
  .strictObject({
    state: z.string().superRefine((v, ctx) => {
      if (!/^[a-z][a-z0-9-]*$/.test(v)) problem(ctx, v, 'a state name in lower case, e.g. "inbox"');
    }),
    /** One name, or a list of aliases (the first is the one Bosun writes and creates). */
    label: labelNamesSchema('a GitHub label, e.g. ":reproduce"'),
  })
  .transform(({ state, label: [label, ...aliases] }) => ({ state, label: label!, aliases }));

/**
 * A label setting: one name, or a list of aliases whose first is the canonical name (the one
 * Bosun writes and creates; the others are recognised when read: the older handbook writes
 * `~release-blocker` where the rest of it writes `~release blocker`). Normalised to the list.
 * One name keeps the messages a plain text setting had.
 */
function labelNamesSchema(what: string) {
  const one = nonEmpty(what);
  const list = z.array(one).min(1);
  return z.unknown().transform((v, ctx): string[] => {
    const r = Array.isArray(v)
      ? list.safeParse(v, { reportInput: true })
      : one.safeParse(v, { reportInput: true });
    if (r.success) return typeof r.data === "string" ? [r.data] : r.data;
    for (const issue of r.error.issues) ctx.addIssue({ ...issue } as z.core.$ZodRawIssue);
    return z.NEVER;
  });
}

const label = (name: string) => labelNamesSchema("a GitHub label").prefault(name);

/** The label settings that take one name or a list of aliases. */
export const LABEL_SETTINGS = [
  "bug",
  "releasedBug",
  "unreleasedBug",
  "releaseBlocker",
  "story",
  "engineeringInitiated",
  "product",
  "release",
  "pushed",
  "ceo",
] as const;
export type LabelSetting = (typeof LABEL_SETTINGS)[number];

/**
 * The label vocabulary. Every label Bosun reads or writes is named here. Normalised: each
 * label setting is its canonical name, `aliases` the other names each is recognised by
 * (`src/handbook/labels.ts` matches them).
 */
export const labelsSchema = z
  .strictObject({
    bug: label("bug"),
    releasedBug: label("~released bug"),
    unreleasedBug: label("~unreleased bug"),
    releaseBlocker: label("~release blocker"),
    story: label("story"),
    engineeringInitiated: label("~engineering-initiated"),
    product: label(":product"),
    release: label(":release"),
    pushed: label("~pushed"),
    ceo: label("~ceo"),
    /** Labels starting with this prefix mark customer-impacting issues ("customer-acme"). */
    customerPrefix: nonEmpty("a GitHub label").default("customer-"),
    bugStates: z
      .array(bugStateSchema)
      .min(1)
      .prefault([
        { state: "inbox", label: ":incoming" },
        { state: "acknowledged", label: ":reproduce" },
        { state: "reproduced", label: ":release" },
      ]),
    /** PRs with any of these labels are left out of KPI column 1 (DESIGN.md, "KPI columns"). */
    kpiExcludedPrLabels: z
      .array(nonEmpty("a GitHub label"))
      .default(["#handbook", "~ceo", ":improve documentation"]),
  })
  .transform(({ customerPrefix, bugStates, kpiExcludedPrLabels, ...settings }) => {
    const names = {} as Record<LabelSetting, string>;
    const aliases = {} as Record<LabelSetting, string[]>;
    for (const key of LABEL_SETTINGS) {
      const [name, ...others] = settings[key];
      names[key] = name!;
      aliases[key] = others;
    }
    return { ...names, customerPrefix, bugStates, kpiExcludedPrLabels, aliases };
  });

const LOCAL_DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/;
const LOCAL_DATE_TIME_ALLOWED =
  'a local date and time "YYYY-MM-DDTHH:MM" in calendar.timeZone, e.g. "2026-12-16T09:00", or a date "YYYY-MM-DD" (at the event\'s usual time)';

/** Where an override moves its event: a wall-clock date and time, or a date. */
const overrideToSchema = z.string().superRefine((v, ctx) => {
  if (!LOCAL_DATE_TIME_RE.test(v)) return problem(ctx, v, LOCAL_DATE_TIME_ALLOWED);
  try {
    Temporal.PlainDateTime.from(v.length === 10 ? `${v}T00:00` : v, { overflow: "reject" });
  } catch {
    problem(
      ctx,
      v,
      LOCAL_DATE_TIME_ALLOWED,
      `must be a date and time that exist in the calendar: ${LOCAL_DATE_TIME_ALLOWED}`,
    );
  }
});

const OVERRIDE_KEY_LIST = "rcCut, release or freeze";

/**
 * R32: one RC cut, release or freeze moved, named by the date the weekday rules give it
 * (before any holiday move): `{ release: "2026-12-14", to: "2026-12-16T09:00", reason: "..." }`.
 * The date names the occurrence unambiguously (a sprint's start date would not: a release
 * falls on the first day of the next sprint). Checked against the schedule by
 * {@link checkDeepFreeze}.
 */
export const releaseOverrideSchema = z
  .strictObject({
    rcCut: isoDateSchema.optional(),
    release: isoDateSchema.optional(),
    freeze: isoDateSchema.optional(),
    to: overrideToSchema,
    reason: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    const named = (Object.keys(OVERRIDE_KEYS) as OverrideKey[]).filter((k) => v[k] !== undefined);
    if (named.length === 0) {
      ctx.addIssue({
        code: "custom",
        message: `must name the event it moves by its scheduled date: add one of the keys ${OVERRIDE_KEY_LIST}, e.g. release: "2026-12-14"`,
        path: [],
        params: { allowed: `one of the keys ${OVERRIDE_KEY_LIST}`, noFound: true },
      });
    } else if (named.length > 1) {
      ctx.addIssue({
        code: "custom",
        message: `must name one event, found ${named.join(" and ")}: write one override per moved event`,
        path: [named[1]!],
        params: { allowed: `one of the keys ${OVERRIDE_KEY_LIST}`, noFound: true },
      });
    }
  });

/**
 * The release train. All times are in `calendar.timeZone`.
 *
 * Sprint k runs from `anchor + k * lengthWeeks` weeks at 00:00 to the start of sprint k+1.
 * - RC cut (R14, release-candidate mode): the last (or first) `rcCut.weekday` of the sprint
 *   at `rcCut.time`.
 * - Release: at the sprint boundary: the first `release.weekday` at `release.time` at or
 *   after the end of the sprint (default Monday 09:00, the first morning of the next sprint).
 * - Freeze (R9, freeze mode): the last `freeze.weekday` before the release at `freeze.time`
 *   ("the Tuesday before the release, 09:00"); deep freeze (R11): the final
 *   `deepFreezeHours` hours before the release.
 * - An RC cut, freeze or release on a holiday or a day outside `calendar.workDays` moves to
 *   the previous business day at the same time (`onHoliday`); `overrides` move one occurrence,
 *   named by its scheduled date, to a date and time of the department's choosing (R32).
 */
export const releaseTrainCoreShape = {
  /** "freeze": merge freeze of main (older handbook); "release-candidate": RC branches (newer). */
  mode: z.enum(["freeze", "release-candidate"]).default("release-candidate"),
  sprint: z.strictObject({
    lengthWeeks: z.int().min(1).max(12).default(3),
    /** The first day of any sprint (usually a Monday); other sprints follow every lengthWeeks. */
    anchor: isoDateSchema,
  }),
  rcCut: z
    .strictObject({
      weekday: weekdaySchema.default("friday"),
      time: clockTimeSchema.default("08:00"),
      which: z.enum(["last", "first"]).default("last"),
    })
    .prefault({}),
  freeze: weekdayTime("tuesday", "09:00"),
  deepFreezeHours: z.int().min(0).max(168).default(24),
  release: weekdayTime("monday", "09:00"),
  branches: z
    .strictObject({
      main: nonEmpty("a branch name").default("main"),
      rc: versionPatternSchema.default("rc-minor-fleet-v{version}"),
      patch: versionPatternSchema.default("patch-fleet-v{version}"),
    })
    .prefault({}),
  milestone: versionPatternSchema.default("{version}"),
  /** Freeze mode: the milestone of the next release until it is concluded (R30). */
  tentativeMilestone: versionPatternSchema.default("{version}-tentative"),
  tag: versionPatternSchema.default("fleet-v{version}"),
  /**
   * R14, R9: where an RC cut, freeze or release goes when its day is a holiday or not one of
   * `calendar.workDays`: the previous business day at the same local time (default), the next
   * one, or keep (the event stays on the day off).
   */
  onHoliday: z.enum(["previous", "next", "keep"]).default("previous"),
  /** R32: single occurrences moved by date; see {@link releaseOverrideSchema}. */
  overrides: z.array(releaseOverrideSchema).default([]),
};

type ReleaseTrainCore = z.output<z.ZodObject<typeof releaseTrainCoreShape>>;

/**
 * The release train's checks across its keys (the assembled schema runs them on
 * `releaseTrain`): R11 sits inside R9, and every override names a scheduled occurrence (R32).
 */
export function checkDeepFreeze(v: ReleaseTrainCore, ctx: z.RefinementCtx): void {
  deepFreezeWithinFreeze(v, ctx);
  overridesOnSchedule(v, ctx);
}

/** R11 sits inside R9: the deep freeze must not begin before the freeze does. */
function deepFreezeWithinFreeze(
  v: Pick<ReleaseTrainCore, "release" | "freeze" | "deepFreezeHours">,
  ctx: z.RefinementCtx,
): void {
  const release = weekdayNumber(v.release.weekday);
  const freeze = weekdayNumber(v.freeze.weekday);
  const days = (release - freeze + 7) % 7 || 7;
  const [rh, rm] = v.release.time.split(":").map(Number) as [number, number];
  const [fh, fm] = v.freeze.time.split(":").map(Number) as [number, number];
  const hours = days * 24 + (rh * 60 + rm - (fh * 60 + fm)) / 60;
  if (v.deepFreezeHours > hours) {
    ctx.addIssue({
      code: "custom",
      message: `must be at most ${hours}: the freeze (${v.freeze.weekday} ${v.freeze.time}) begins ${hours} hours before the release (${v.release.weekday} ${v.release.time}), and the deep freeze cannot begin before it, found ${v.deepFreezeHours}`,
      path: ["deepFreezeHours"],
      input: v.deepFreezeHours,
      params: { allowed: `a number of hours from 0 to ${hours}`, noFound: true },
    });
  }
}

const KIND_NAME: Record<MovableKind, string> = {
  "rc-cut": "RC cut",
  freeze: "freeze",
  release: "release",
};
const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const dayText = (d: Temporal.PlainDate | Temporal.PlainDateTime) =>
  `${DAY_NAMES[d.dayOfWeek - 1]} ${("toPlainDate" in d ? d.toPlainDate() : d).toString()}`;
const timeText = (d: Temporal.PlainDateTime) =>
  `${dayText(d)} ${d.toPlainTime().toString({ smallestUnit: "minute" })}`;

/**
 * R32: each override names an occurrence the weekday rules schedule (by its date, before any
 * holiday move), no other override names it, and its `to` keeps the train in order: an RC cut
 * or a freeze between the release before it and its own release, a release between its RC
 * cut (freeze mode: its freeze) and the next sprint's.
 */
function overridesOnSchedule(v: ReleaseTrainCore, ctx: z.RefinementCtx): void {
  if (!Array.isArray(v.overrides) || v.overrides.length === 0) return;
  let schedule: ReturnType<typeof trainSchedule>;
  try {
    schedule = trainSchedule(v);
    schedule.scheduled("release", 0);
    schedule.scheduled("rc-cut", 0);
    schedule.scheduled("freeze", 0);
  } catch {
    return; // The anchor or a time is wrong: reported where it is written.
  }
  const resolved = resolveOverrides(schedule, v.overrides);
  const at = (kind: MovableKind, index: number) =>
    resolved.get(occurrenceKey(kind, index))?.to ?? schedule.scheduled(kind, index);
  const seen = new Map<string, number>();
  v.overrides.forEach((o, position) => {
    const named = overrideOccurrence(o);
    // An entry naming no event or two is reported where it is written.
    if (!named || (Object.keys(OVERRIDE_KEYS) as OverrideKey[]).filter((k) => o[k]).length > 1)
      return;
    let date: Temporal.PlainDate;
    try {
      date = Temporal.PlainDate.from(named.date, { overflow: "reject" });
    } catch {
      return;
    }
    const what = KIND_NAME[named.kind];
    const index = schedule.occurrenceOn(named.kind, date);
    if (index === undefined) {
      const { before, after } = schedule.around(named.kind, date);
      ctx.addIssue({
        code: "custom",
        message: `must be the date of a scheduled ${what} (as the weekday rules give it, before any holiday move): none falls on ${dayText(date)}; the nearest are ${dayText(before)} and ${dayText(after)}`,
        path: ["overrides", position, named.key],
        input: named.date,
        params: { allowed: `${dayText(before)} or ${dayText(after)}`, noFound: true },
      });
      return;
    }
    const key = occurrenceKey(named.kind, index);
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `must name an occurrence no other override moves: overrides[${first}] already moves the ${what} of ${dayText(date)}; keep one of them`,
        path: ["overrides", position, named.key],
        input: named.date,
        params: { allowed: "a date no other override names", noFound: true },
      });
      return;
    }
    seen.set(key, position);
    const to = overrideTarget(o.to, named.kind, schedule);
    if (!to) return;
    const [lower, lowerName, upper, upperName] =
      named.kind !== "release"
        ? [at("release", index - 1), "the release before it", at("release", index), "its release"]
        : v.mode === "freeze"
          ? [at("freeze", index), "its freeze", at("freeze", index + 1), "the next freeze"]
          : [at("rc-cut", index), "its RC cut", at("rc-cut", index + 1), "the next RC cut"];
    const cmp = Temporal.PlainDateTime.compare;
    if (cmp(to, lower) > 0 && cmp(to, upper) < 0) return;
    ctx.addIssue({
      code: "custom",
      message: `must be after ${lowerName} (${timeText(lower)}) and before ${upperName} (${timeText(upper)}): the ${what} of ${dayText(date)} keeps its place in the release train`,
      path: ["overrides", position, "to"],
      input: o.to,
      params: { allowed: `a date and time after ${timeText(lower)} and before ${timeText(upper)}` },
    });
  });
}

/** The shared sections, in the order bosun.yml lists them; rules' keys follow (assemble.ts). */
export const sharedShape = {
  /** The GitHub organisation (owner login) of the repositories. */
  organisation: loginSchema,
  repositories: z.array(repositorySchema).min(1),
  github: githubSchema.prefault({}),
  calendar: calendarSchema.prefault({}),
  roles: rolesSchema,
  productGroups: z.array(productGroupSchema).min(1),
  labels: labelsSchema.prefault({}),
};

/** A Slack channel: `#name` (a public channel, by name) or its id (`C0123ABCD`). */
export const slackChannelSchema = z.string().superRefine((v, ctx) => {
  if (!/^(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{2,})$/.test(v)) {
    problem(
      ctx,
      v,
      'a Slack channel as "#name" (lower case, e.g. "#help-engineering") or its id, e.g. "C0123ABCD"',
    );
  }
});

const SLACK_USER_ALLOWED =
  'a Slack member id such as "U012AB3CD" (in Slack: the person\'s profile, "Copy member ID")';
const SLACK_LOGIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;

/**
 * Slack, the department's other voice (src/notify/). Credentials are not configured here but in
 * the environment: `SLACK_BOT_TOKEN` (or `SLACK_BOT_TOKEN_FILE`) for `app`, `SLACK_WEBHOOK_URL`
 * (or `SLACK_WEBHOOK_URL_FILE`) for `webhook`.
 */
export const slackSchema = z.strictObject({
  /**
   * app: a Slack app's bot token; follow-ups go in the announcement's thread and a changed fact
   * edits it. webhook: an incoming webhook, for teams that cannot install an app; every message
   * is a new post in the webhook's own channel (no threads, no edits). off: nothing is posted.
   */
  mode: z.enum(["app", "webhook", "off"]).default("app"),
  /** The Web API's base URL (the emulator's in `bosun preview`). */
  apiUrl: httpUrlSchema.default("https://slack.com/api/"),
  channels: z
    .strictObject({
      /** Where announcements go when their own setting names no channel (the handbook's). */
      default: slackChannelSchema.default("#help-engineering"),
    })
    .prefault({}),
  /** GitHub login -> Slack member id: `@login` in a message becomes a Slack mention. */
  users: z
    .record(
      z.string(),
      z.string().superRefine((v, ctx) => {
        if (!/^[UW][A-Z0-9]{2,}$/.test(v)) problem(ctx, v, SLACK_USER_ALLOWED);
      }),
    )
    .superRefine((users, ctx) => {
      for (const login of Object.keys(users)) {
        if (!SLACK_LOGIN_RE.test(login.replace(/^@/, ""))) {
          ctx.addIssue({
            code: "custom",
            message: 'must be keyed by GitHub logins such as "lukeheath"',
            path: [login],
            input: login,
            params: { allowed: 'a GitHub login such as "lukeheath" (letters, digits and hyphens)' },
          });
        }
      }
    })
    .transform((users) =>
      Object.fromEntries(Object.entries(users).map(([login, id]) => [login.replace(/^@/, ""), id])),
    )
    .default({}),
});

/** Sections after the rules' keys, so the messages listing the keys before them stay as they were. */
export const trailingShape = {
  slack: slackSchema.prefault({}),
  /** The boards stories move across (boards.ts). */
  boards: boardsSchema.default({}),
};

/** Keys rules add at the top level of bosun.yml: each rule's config.ts augments this. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation.
export interface RuleSections {}

/** Keys rules add to `releaseTrain`: each rule's config.ts augments this. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation.
export interface ReleaseTrainSections {}

type Output<S extends z.core.$ZodLooseShape> = z.output<z.ZodObject<S>>;

export type ReleaseTrainConfig = Output<typeof releaseTrainCoreShape> & ReleaseTrainSections;

/** The normalised handbook configuration: every default filled in. */
export type HandbookConfig = Output<typeof sharedShape> & {
  releaseTrain: ReleaseTrainConfig;
} & RuleSections &
  Output<typeof trailingShape>;
export type SlackConfig = HandbookConfig["slack"];
export type CalendarConfig = HandbookConfig["calendar"];
export type RolesConfig = HandbookConfig["roles"];
export type OnCallConfig = RolesConfig["onCall"];
export type ProductGroup = HandbookConfig["productGroups"][number];
export type Repository = HandbookConfig["repositories"][number];
export type LabelsConfig = HandbookConfig["labels"];
export type BugState = LabelsConfig["bugStates"][number];
