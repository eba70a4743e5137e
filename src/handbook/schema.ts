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
};

/** R11 sits inside R9: the deep freeze must not begin before the freeze does. */
export function checkDeepFreeze(
  v: Pick<
    z.output<z.ZodObject<typeof releaseTrainCoreShape>>,
    "release" | "freeze" | "deepFreezeHours"
  >,
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
} & RuleSections;
export type CalendarConfig = HandbookConfig["calendar"];
export type RolesConfig = HandbookConfig["roles"];
export type OnCallConfig = RolesConfig["onCall"];
export type ProductGroup = HandbookConfig["productGroups"][number];
export type Repository = HandbookConfig["repositories"][number];
export type LabelsConfig = HandbookConfig["labels"];
export type BugState = LabelsConfig["bugStates"][number];
