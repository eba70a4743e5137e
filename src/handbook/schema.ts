/**
 * The schema of `bosun.yml`: the handbook configuration.
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
import { ritualRichFields } from "./ritual-fields.js";
import { WEEKDAYS, type Weekday, weekdayName, weekdayNumber } from "./weekdays.js";

export { WEEKDAYS, type Weekday, weekdayName, weekdayNumber };

// ---------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------

/** Adds an issue the loader reports as "<message>, found <value>", with `allowed` attached. */
function problem(ctx: z.RefinementCtx, value: unknown, allowed: string, message?: string): void {
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

const REPO_NAME_RE = /^[A-Za-z0-9._-]{1,100}$/;

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

const httpUrlSchema = z.string().superRefine((v, ctx) => {
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

const nonEmpty = (what: string) =>
  z.string().superRefine((v, ctx) => {
    if (v.trim() === "") problem(ctx, v, what, `must not be empty: ${what}`);
  });

/** Turns `null` (a key written with an empty value) into "absent", so defaults apply. */
const emptyIsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === null || v === "" ? undefined : v), schema);

// ---------------------------------------------------------------------------------------
// Sections
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
  holidays: z.array(holidaySchema).default([]),
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
export const bugStateSchema = z.strictObject({
  state: z.string().superRefine((v, ctx) => {
    if (!/^[a-z][a-z0-9-]*$/.test(v)) problem(ctx, v, 'a state name in lower case, e.g. "inbox"');
  }),
  label: nonEmpty('a GitHub label, e.g. ":reproduce"'),
});

const label = (name: string) => nonEmpty("a GitHub label").default(name);

/** The label vocabulary. Every label Bosun reads or writes is named here. */
export const labelsSchema = z.strictObject({
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
  customerPrefix: label("customer-"),
  bugStates: z
    .array(bugStateSchema)
    .min(1)
    .default([
      { state: "inbox", label: ":incoming" },
      { state: "acknowledged", label: ":reproduce" },
      { state: "reproduced", label: ":release" },
    ]),
  /** PRs with any of these labels are left out of KPI column 1 (DESIGN.md, "KPI columns"). */
  kpiExcludedPrLabels: z
    .array(nonEmpty("a GitHub label"))
    .default(["#handbook", "~ceo", ":improve documentation"]),
});

const weekdayTime = (weekday: Weekday, time: string) =>
  z
    .strictObject({
      weekday: weekdaySchema.default(weekday),
      time: clockTimeSchema.default(time),
    })
    .prefault({});

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
 */
const releaseTrainObject = z.strictObject({
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
  mergeGate: z
    .strictObject({
      context: nonEmpty("a commit status context").default("bosun/merge-gate"),
      /**
       * R10: a PR whose changed files all match these globs is docs-only ("documentation
       * changes, and website updates" merge during the freeze). `**` spans folders.
       */
      docsPaths: z
        .array(nonEmpty('a path glob such as "docs/**" or "**/*.md"'))
        .default(["docs/**", "handbook/**", "articles/**", "website/**", "**/*.md"]),
      /** R13/R16: an approval counts only when given on the PR's current head commit. */
      approvalsOnHeadOnly: z.boolean().default(false),
    })
    .prefault({}),
  /**
   * R17: the repository variable QA deploys read ("QAWOLF_DEPLOY_TAG" in `confidential`): set to
   * the RC branch at the RC cut and back to main at the release. Absent: not managed.
   */
  qaDeployTarget: z
    .strictObject({
      /** One of `repositories` (by name). */
      repository: nonEmpty('a configured repository name, e.g. "confidential"'),
      variable: z.string().superRefine((v, ctx) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) {
          problem(ctx, v, 'a variable name of letters, digits and "_", e.g. "QAWOLF_DEPLOY_TAG"');
        }
      }),
    })
    .optional(),
  /** R14: the title of the release QA issue filed at the RC cut. */
  qaIssueTitle: z
    .string()
    .superRefine((v, ctx) => {
      if (!v.includes("{version}"))
        problem(ctx, v, 'a title containing "{version}", e.g. "Release QA: {version}"');
    })
    .default("Release QA: {version}"),
  /** R14, R9, R11: where the RC cut, the freeze and the deep freeze are announced. Absent: not announced. */
  announcements: z
    .strictObject({ channel: nonEmpty('a channel name, e.g. "#help-engineering"') })
    .optional(),
});

export const releaseTrainSchema = releaseTrainObject.superRefine((v, ctx) => {
  // R11 sits inside R9: the deep freeze must not begin before the freeze does.
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
});

export const RITUAL_FREQUENCIES = [
  "Daily",
  "Weekly",
  "Biweekly",
  "Triweekly",
  "Monthly",
  "Quarterly",
  "Annually",
  "Every patch release",
] as const;
export type RitualFrequency = (typeof RITUAL_FREQUENCIES)[number];

/** One ritual, in the format of the department's `*.rituals.yml` files (R47). */
export const ritualSchema = z.strictObject({
  task: nonEmpty("the name of the ritual"),
  startedOn: isoDateSchema,
  frequency: z.enum(RITUAL_FREQUENCIES),
  description: emptyIsAbsent(z.string().default("")),
  moreInfoUrl: emptyIsAbsent(httpUrlSchema.optional()),
  dri: loginSchema,
  /** When present, each occurrence opens an issue in `repo` with `labels`, assigned to the DRI. */
  autoIssue: z
    .strictObject({
      labels: z.array(nonEmpty("a GitHub label")).default([]),
      /** One of the configured `repositories` (by name). */
      repo: z.string(),
    })
    .optional(),
  /** Bosun's richer form (time, time zone, every, leadTime, runbook, assignee, catchUp ...). */
  ...ritualRichFields,
});
export type Ritual = z.output<typeof ritualSchema>;

/** The contents of a rituals file: a list of rituals. */
export const ritualsFileSchema = z.array(ritualSchema);

// --- KPI report (R1, R2) ---------------------------------------------------------------

const BOT_LOGIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?(?:\[bot\])?$/;

/** A login that may carry GitHub's "[bot]" suffix ("renovate[bot]"). */
const botLoginSchema = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().replace(/^@/, "") : v),
  z.string().superRefine((v, ctx) => {
    if (!BOT_LOGIN_RE.test(v)) {
      problem(ctx, v, 'a GitHub login such as "renovate" or "renovate[bot]"');
    }
  }),
);

/**
 * The weekly KPI report. Which repositories count is `repositories[].kpi`; which PR labels
 * leave a PR out of the contributor figures is `labels.kpiExcludedPrLabels`.
 */
export const kpiSchema = z.strictObject({
  /** The two product-group labels whose bugs fill columns 10-13 and 14-17 of the sheet. */
  groups: z
    .array(nonEmpty('a GitHub label, e.g. "#g-mdm"'))
    .length(2)
    .default(["#g-endpoint-ops", "#g-mdm"]),
  /** Authors counted as bots besides those GitHub marks as type "Bot". */
  bots: z.array(botLoginSchema).default([]),
  /** Maintainers; PRs by anyone else are community PRs. Default: everyone the configuration names. */
  maintainers: z.array(loginSchema).optional(),
  /** The week boundary, in calendar.timeZone: weekly snapshots and reports are taken there. */
  week: weekdayTime("monday", "09:00"),
  /** Posting the weekly report on GitHub, through the executor (off by default). */
  post: z
    .strictObject({
      to: z.enum(["off", "issue", "comment"]).default("off"),
      /** One of `repositories` (by name); default the first KPI repository. */
      repository: z.string().optional(),
      /** With `to: comment`: the issue that collects the weekly reports. */
      issue: z.int().min(1).optional(),
      /** With `to: issue`: labels of the new issue. */
      labels: z.array(nonEmpty("a GitHub label")).default([]),
    })
    .superRefine((v, ctx) => {
      if (v.to === "comment" && v.issue === undefined) {
        ctx.addIssue({
          code: "custom",
          message: "is required with to: comment: the number of the issue to comment on",
          path: ["issue"],
          input: undefined,
          params: { allowed: "an issue number such as 1234", noFound: true },
        });
      }
    })
    .prefault({}),
});

// --- deploy guard (R27-R29) -------------------------------------------------------------

/** A path-like glob for branch names: "*" matches within a "/"-separated part. */
const branchGlobSchema = nonEmpty('a branch name or glob such as "main" or "rc-minor-*"');

export const deployEnvironmentSchema = z.strictObject({
  /** The name `bosun deploy --env` uses, e.g. "dogfood". */
  name: z.string().superRefine((v, ctx) => {
    if (!/^[a-z][a-z0-9-]*$/.test(v)) problem(ctx, v, 'a short name in lower case, e.g. "dogfood"');
  }),
  /** R27: deploys are refused in these hours on these days (calendar.timeZone) without --override. */
  noDeployHours: businessHoursSchema.prefault("07:00-17:00"),
  noDeployDays: z
    .array(weekdaySchema)
    .default(["monday", "tuesday", "wednesday", "thursday", "friday"]),
  /** R28: refuse an image older than the one recorded as running. */
  neverOlder: z.boolean().default(true),
});

export const deployGuardSchema = z.strictObject({
  environments: z
    .array(deployEnvironmentSchema)
    .min(1)
    .default([
      {
        name: "dogfood",
        noDeployHours: { start: "07:00", end: "17:00" },
        noDeployDays: ["monday", "tuesday", "wednesday", "thursday", "friday"],
        neverOlder: true,
      },
    ]),
  /**
   * R29: image tags that name a branch, not a commit or version. Branches the store knows from
   * GitHub count as well; these cover images built from branches of other repositories.
   */
  branches: z
    .array(branchGlobSchema)
    .default(["main", "master", "develop", "latest", "rc-minor-*", "patch-*"]),
});

/** `bosun.yml`. */
export const configSchema = z.strictObject({
  /** The GitHub organisation (owner login) of the repositories. */
  organisation: loginSchema,
  repositories: z.array(repositorySchema).min(1),
  github: githubSchema.prefault({}),
  calendar: calendarSchema.prefault({}),
  roles: rolesSchema,
  productGroups: z.array(productGroupSchema).min(1),
  labels: labelsSchema.prefault({}),
  releaseTrain: releaseTrainSchema,
  /** Inline rituals. After loading, always holds the rituals, also those of `ritualsFile`. */
  rituals: z.array(ritualSchema).default([]),
  /** A rituals file, relative to the configuration file. Exclusive with `rituals`. */
  ritualsFile: nonEmpty("a path relative to the configuration file").optional(),
  /** The weekly KPI report (R1, R2). */
  kpi: kpiSchema.prefault({}),
  /** Deploys: when, what and which image names are allowed (R27-R29). */
  deployGuard: deployGuardSchema.prefault({}),
});

/** The normalised handbook configuration: every default filled in. */
export type HandbookConfig = z.output<typeof configSchema>;
export type CalendarConfig = HandbookConfig["calendar"];
export type ReleaseTrainConfig = HandbookConfig["releaseTrain"];
export type RolesConfig = HandbookConfig["roles"];
export type OnCallConfig = RolesConfig["onCall"];
export type ProductGroup = HandbookConfig["productGroups"][number];
export type Repository = HandbookConfig["repositories"][number];
export type LabelsConfig = HandbookConfig["labels"];
export type BugState = LabelsConfig["bugStates"][number];
export type KpiConfig = HandbookConfig["kpi"];
export type DeployGuardConfig = HandbookConfig["deployGuard"];
