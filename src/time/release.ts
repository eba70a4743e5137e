/**
 * The release calendar basics: sprints, RC cuts (R14), freezes (R9, R11) and releases.
 *
 * Pure: every function takes the moment it reasons about; nothing reads the clock. All
 * schedule times are wall-clock times in `calendar.timeZone`, so they stay at 08:00 local
 * across DST changes (the UTC offset changes instead). Results are `Temporal.ZonedDateTime`
 * in that zone.
 *
 * The model (see `releaseTrainSchema`):
 * - sprint k: [anchor + k*lengthWeeks weeks at 00:00, the start of sprint k+1); k may be
 *   negative (before the anchor);
 * - RC cut of sprint k: its last (`rcCut.which: first`: first) `rcCut.weekday` at `rcCut.time`;
 * - release of sprint k: at the sprint boundary: the first `release.weekday` at `release.time`
 *   at or after the end of sprint k (so it may fall on the first day of sprint k+1);
 * - freeze of sprint k: the last `freeze.weekday` strictly before the day of the release, at
 *   `freeze.time` ("the Tuesday before the release, 09:00");
 * - deep freeze of sprint k: `deepFreezeHours` hours of elapsed time before the release.
 *
 * Where they land (R14, R9, R32): an RC cut, freeze or release named by `releaseTrain.overrides`
 * is at its `to`; otherwise one whose day is a holiday or not a work day of `calendar` moves to
 * the previous business day at the same local time (`releaseTrain.onHoliday`: previous, next or
 * keep). The deep freeze follows the release; the freeze belongs to the release as scheduled.
 * Every clock of the train (the merge gate, release actions, the runtime's instants, the feed)
 * reads these functions, so a move moves it everywhere. The weekday rules are in `schedule.ts`.
 *
 * The `next*` functions return the first event at or after the given moment.
 */
import { Temporal } from "temporal-polyfill";
import type { HandbookConfig } from "../handbook/schema.js";
import { businessCalendar, type Moment } from "./business.js";
import { businessDayFor, dayOff, type EventMove, type HolidayPolicy } from "./moves.js";
import { type MovableKind, occurrenceKey, resolveOverrides, trainSchedule } from "./schedule.js";

export interface Sprint {
  /** 0 for the sprint starting on the anchor date, negative before it. */
  index: number;
  /** 00:00 on the first day of the sprint. */
  start: Temporal.ZonedDateTime;
  /** Exclusive: the start of the next sprint. */
  end: Temporal.ZonedDateTime;
}

/** One occurrence of a movable event: where it is, and where it moved from and why. */
export interface Occurrence {
  at: Temporal.ZonedDateTime;
  /** Set when `at` is not where the weekday rules put it. */
  moved?: EventMove;
  /**
   * How many times the configuration moved it (the feed's SEQUENCE, R32): 0 as scheduled,
   * +1 when its scheduled day is a day off and `onHoliday` moves it, +1 for an override.
   */
  sequence: number;
}

export interface ReleaseCalendar {
  readonly timeZone: string;
  readonly mode: HandbookConfig["releaseTrain"]["mode"];
  /** Sprint number `index`. */
  sprint(index: number): Sprint;
  /** The sprint containing `at`. */
  sprintAt(at: Moment): Sprint;
  /** R14: when the RC of sprint `index` is cut. */
  rcCut(index: number): Temporal.ZonedDateTime;
  /** When the release concluding sprint `index` happens (at the sprint boundary). */
  release(index: number): Temporal.ZonedDateTime;
  /** R9: when main freezes before the release of sprint `index`. */
  freeze(index: number): Temporal.ZonedDateTime;
  /** R11: when the deep freeze before the release of sprint `index` begins. */
  deepFreeze(index: number): Temporal.ZonedDateTime;
  /** The RC cut, freeze or release of sprint `index`, with its move (holiday, override). */
  occurrence(kind: MovableKind, index: number): Occurrence;
  /** The first RC cut at or after `at`. */
  nextRcCut(at: Moment): Temporal.ZonedDateTime;
  /** The first release at or after `at`. */
  nextRelease(at: Moment): Temporal.ZonedDateTime;
  /** The first freeze at or after `at`. */
  nextFreeze(at: Moment): Temporal.ZonedDateTime;
  /** The first deep freeze at or after `at`. */
  nextDeepFreeze(at: Moment): Temporal.ZonedDateTime;
}

export function releaseCalendar(
  config: Pick<HandbookConfig, "calendar" | "releaseTrain">,
): ReleaseCalendar {
  const timeZone = config.calendar.timeZone;
  const train = config.releaseTrain;
  const schedule = trainSchedule(train);
  const business = businessCalendar(config.calendar);
  const policy: HolidayPolicy = train.onHoliday ?? "previous";
  const overrides = resolveOverrides(schedule, train.overrides ?? []);

  const startOf = (index: number) => schedule.sprintStart(index).toZonedDateTime({ timeZone });
  const sprint = (index: number): Sprint => ({
    index,
    start: startOf(index),
    end: startOf(index + 1),
  });
  const zoned = (m: Moment) =>
    m instanceof Temporal.ZonedDateTime ? m.withTimeZone(timeZone) : m.toZonedDateTimeISO(timeZone);
  const sprintAt = (m: Moment): Sprint => sprint(schedule.sprintOf(zoned(m).toPlainDate()));

  // R14, R9, R32: one business calendar decides where each event lands. An override is where
  // the department said; otherwise a day off moves the event to the previous (or next)
  // business day at the same local time, so it stays 08:00 across DST changes.
  const cache = new Map<string, Occurrence>();
  const occurrence = (kind: MovableKind, index: number): Occurrence => {
    const key = occurrenceKey(kind, index);
    const cached = cache.get(key);
    if (cached) return cached;
    const planned = schedule.scheduled(kind, index);
    const from = planned.toZonedDateTime(timeZone);
    const off = dayOff(business, planned.toPlainDate());
    const day = off ? businessDayFor(business, planned.toPlainDate(), policy) : undefined;
    const override = overrides.get(key);
    let result: Occurrence;
    if (override) {
      const to = override.to.toZonedDateTime(timeZone);
      result = {
        at: to,
        sequence: (day ? 1 : 0) + 1,
        ...(to.equals(from)
          ? {}
          : {
              moved: {
                from,
                to,
                because: "override" as const,
                ...(override.reason ? { reason: override.reason } : {}),
              },
            }),
      };
    } else if (off && day) {
      const to = day.toPlainDateTime(planned.toPlainTime()).toZonedDateTime(timeZone);
      result = { at: to, sequence: 1, moved: { from, to, ...off } };
    } else {
      result = { at: from, sequence: 0 };
    }
    cache.set(key, result);
    return result;
  };

  const rcCut = (index: number) => occurrence("rc-cut", index).at;
  const release = (index: number) => occurrence("release", index).at;
  const freeze = (index: number) => occurrence("freeze", index).at;
  const deepFreeze = (index: number) => release(index).subtract({ hours: train.deepFreezeHours });

  /** Events are increasing in the sprint index and lie within a sprint of their own. */
  const next = (event: (index: number) => Temporal.ZonedDateTime) => (m: Moment) => {
    const moment = zoned(m);
    for (let index = sprintAt(moment).index - 2; ; index++) {
      const candidate = event(index);
      if (Temporal.ZonedDateTime.compare(candidate, moment) >= 0) return candidate;
    }
  };

  return {
    timeZone,
    mode: train.mode,
    sprint,
    sprintAt,
    rcCut,
    release,
    freeze,
    deepFreeze,
    occurrence,
    nextRcCut: next(rcCut),
    nextRelease: next(release),
    nextFreeze: next(freeze),
    nextDeepFreeze: next(deepFreeze),
  };
}

// ---------------------------------------------------------------------------------------
// Versions, branch states and the event list (the merge gate, the feed, the dashboard)
// ---------------------------------------------------------------------------------------

/** A dotted version "4.62.0", compared numerically part by part. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
}

/** "4.62.0" (also "v4.62", "4.62.0-rc.1" without its suffix) or undefined. */
export function parseVersion(text: string): Version | undefined {
  const m = text.trim().match(/^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]*)?$/);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** What the repository says about versions: names only, as the store has them. */
export interface VersionEvidence {
  /** Tag names, e.g. "fleet-v4.61.0". */
  tags: readonly string[];
  /** Milestones, e.g. { title: "4.62.0", state: "open" }. */
  milestones: readonly { title: string; state: "open" | "closed" }[];
  /** Branch names, e.g. "rc-minor-fleet-v4.62.0". */
  branches: readonly string[];
}

export interface VersionState {
  /** The highest version tagged with `releaseTrain.tag`, if any. */
  latestRelease?: string;
  /**
   * The next minor release: the lowest x.y.0 above the latest release that an open milestone
   * (`milestone` or `tentativeMilestone`) or an RC branch names; else the latest release's
   * minor plus one; undefined when the repository names no version at all.
   */
  nextMinor?: string;
  /** RC branches of versions above the latest release (normally one, during the RC period). */
  openRcBranches: string[];
}

type PatternParser = (pattern: string, name: string) => string | undefined;

/**
 * Reads versions from tag, milestone and branch names. The pattern parser is passed in so that
 * this module stays free of the configuration loader (it is `parsePattern` from
 * `handbook/patterns.ts`).
 */
export function versionState(
  train: HandbookConfig["releaseTrain"],
  evidence: VersionEvidence,
  parsePattern: PatternParser,
): VersionState {
  const versionsOf = (pattern: string, names: readonly string[]) =>
    names.flatMap((name) => {
      const raw = parsePattern(pattern, name);
      // A pre-release tag ("fleet-v4.62.0-rc.1") is not a release.
      const v = raw !== undefined && !raw.includes("-") ? parseVersion(raw) : undefined;
      return v ? [{ name, v }] : [];
    });
  const released = versionsOf(train.tag, evidence.tags)
    .map((x) => x.v)
    .sort(compareVersions)
    .at(-1);
  const above = (v: Version) => !released || compareVersions(v, released) > 0;
  const openMilestones = evidence.milestones.filter((m) => m.state === "open").map((m) => m.title);
  const rcs = versionsOf(train.branches.rc, evidence.branches).filter((x) => above(x.v));
  const candidates = [
    ...versionsOf(train.milestone, openMilestones),
    ...versionsOf(train.tentativeMilestone, openMilestones),
    ...rcs,
  ]
    .map((x) => x.v)
    .filter((v) => v.patch === 0 && above(v))
    .sort(compareVersions);
  const next =
    candidates[0] ??
    (released ? { major: released.major, minor: released.minor + 1, patch: 0 } : undefined);
  return {
    ...(released ? { latestRelease: formatVersion(released) } : {}),
    ...(next ? { nextMinor: formatVersion(next) } : {}),
    openRcBranches: rcs.sort((a, b) => compareVersions(a.v, b.v)).map((x) => x.name),
  };
}

/** `version` plus `n` minor versions ("4.62.0" + 2 = "4.64.0"). */
export function addMinor(version: string, n: number): string | undefined {
  const v = parseVersion(version);
  return v ? formatVersion({ major: v.major, minor: v.minor + n, patch: 0 }) : undefined;
}

/** Where the release train stands at one instant. */
export interface TrainPhase {
  /** freeze mode: open, frozen (R9), deep-frozen (R11); release-candidate mode: open, rc (R14-R16). */
  phase: "open" | "frozen" | "deep-frozen" | "rc";
  /** The sprint whose release the phase leads to (the upcoming or current release). */
  releaseIndex: number;
  /** When the phase began (undefined while open: since the previous release). */
  since: Temporal.ZonedDateTime;
  /** When it ends: the next transition of the active mode. */
  until: Temporal.ZonedDateTime;
}

/**
 * The phase of the active mode at `at`. Freeze mode: frozen from the freeze to the deep freeze,
 * deep-frozen from there to the release. Release-candidate mode: the RC period runs from the RC
 * cut to the release. Otherwise open, from the previous release to the next transition.
 */
export function trainPhase(calendar: ReleaseCalendar, at: Moment): TrainPhase {
  const moment = zonedIn(calendar.timeZone, at);
  const cmp = Temporal.ZonedDateTime.compare;
  const k0 = calendar.sprintAt(moment).index;
  // The release of sprint k may fall in sprint k+1, so look one sprint back as well; a release
  // moved off a holiday (or by an override) may fall before the end of its sprint, so look one
  // sprint ahead too.
  for (const k of [k0 - 1, k0, k0 + 1]) {
    const release = calendar.release(k);
    if (cmp(moment, release) >= 0) continue;
    if (calendar.mode === "freeze") {
      const freeze = calendar.freeze(k);
      const deep = calendar.deepFreeze(k);
      if (cmp(moment, deep) >= 0 && cmp(deep, release) < 0)
        return { phase: "deep-frozen", releaseIndex: k, since: deep, until: release };
      if (cmp(moment, freeze) >= 0)
        return { phase: "frozen", releaseIndex: k, since: freeze, until: minZdt(deep, release) };
      return {
        phase: "open",
        releaseIndex: k,
        since: calendar.release(k - 1),
        until: minZdt(freeze, deep),
      };
    }
    const cut = calendar.rcCut(k);
    if (cmp(moment, cut) >= 0) return { phase: "rc", releaseIndex: k, since: cut, until: release };
    return { phase: "open", releaseIndex: k, since: calendar.release(k - 1), until: cut };
  }
  // Unreachable for a valid calendar (the release of sprint k0 is after any moment in it).
  throw new RangeError(`no release after ${moment.toString()}: check releaseTrain`);
}

function minZdt(a: Temporal.ZonedDateTime, b: Temporal.ZonedDateTime) {
  return Temporal.ZonedDateTime.compare(a, b) <= 0 ? a : b;
}

function zonedIn(timeZone: string, m: Moment): Temporal.ZonedDateTime {
  return m instanceof Temporal.ZonedDateTime
    ? m.withTimeZone(timeZone)
    : m.toZonedDateTimeISO(timeZone);
}

export type ReleaseEventKind = "sprint" | "rc-cut" | "freeze" | "deep-freeze" | "release";

/** One entry of the release calendar (the feed, `bosun calendar`, the dashboard). */
export interface ReleaseEvent {
  kind: ReleaseEventKind;
  /** Stable across runs and renames, so subscribed calendars update the event in place. */
  uid: string;
  title: string;
  start: Temporal.ZonedDateTime;
  /** Equal to `start` for the instants (RC cut, release); the end of the period otherwise. */
  end: Temporal.ZonedDateTime;
  /** The version the event belongs to, when the repository's tags or milestones tell it. */
  version?: string;
  sprintIndex: number;
  /**
   * Where its start moved from and why (a holiday, an override, with the release), when it is
   * not where the weekday rules put it.
   */
  moved?: EventMove;
  /**
   * The feed's SEQUENCE (R32): the moves of its start and end that the configuration records
   * (see {@link Occurrence.sequence}), so a subscribed calendar takes a moved event's new time.
   */
  sequence: number;
}

export interface EventOptions {
  /**
   * The next minor version as of `now` (from {@link versionState}); events of later sprints
   * are numbered on from it. Without it, titles carry no version.
   */
  nextMinor?: string;
  now: Moment;
  /** Names the uids: "<kind>-<sprint start date>@<uidDomain>". */
  uidDomain: string;
  /** Which modes' events to list: the active one (default) or both. */
  modes?: "active" | "all";
}

/**
 * Every event of the release train that overlaps [from, to), in start order. Sprints, then per
 * sprint the active mode's transitions: RC cut (R14) in release-candidate mode, freeze (R9) and
 * deep freeze (R11) in freeze mode, and the release. A moved event keeps its uid (named by its
 * sprint) and says where it moved from.
 */
export function releaseEvents(
  calendar: ReleaseCalendar,
  train: HandbookConfig["releaseTrain"],
  from: Moment,
  to: Moment,
  options: EventOptions,
): ReleaseEvent[] {
  const cmp = Temporal.ZonedDateTime.compare;
  const start = zonedIn(calendar.timeZone, from);
  const end = zonedIn(calendar.timeZone, to);
  if (cmp(end, start) <= 0) return [];
  const current = trainPhase(calendar, options.now).releaseIndex;
  const versionOf = (k: number) =>
    options.nextMinor ? addMinor(options.nextMinor, k - current) : undefined;
  const both = options.modes === "all";
  const events: ReleaseEvent[] = [];
  const overlaps = (a: Temporal.ZonedDateTime, b: Temporal.ZonedDateTime) =>
    cmp(b, a) === 0 ? cmp(a, start) >= 0 && cmp(a, end) < 0 : cmp(a, end) < 0 && cmp(b, start) > 0;
  const push = (
    kind: ReleaseEventKind,
    k: number,
    a: Temporal.ZonedDateTime,
    b: Temporal.ZonedDateTime,
    title: string,
    moves: { moved?: EventMove; sequence: number } = { sequence: 0 },
  ) => {
    if (!overlaps(a, b)) return;
    const version = versionOf(k);
    const day = calendar.sprint(k).start.toPlainDate().toString();
    events.push({
      kind,
      uid: `${kind}-${day}@${options.uidDomain}`,
      title: version ? `${title} ${kindSuffix(kind, train, version)}` : title,
      start: a,
      end: b,
      ...(version ? { version } : {}),
      sprintIndex: k,
      ...(moves.moved ? { moved: moves.moved } : {}),
      sequence: moves.sequence,
    });
  };
  // A moved event may fall outside its own sprint: look one sprint beyond the range too.
  const last = calendar.sprintAt(end).index + 1;
  for (let k = calendar.sprintAt(start).index - 1; k <= last; k++) {
    const sprint = calendar.sprint(k);
    const release = calendar.occurrence("release", k);
    push("sprint", k, sprint.start, sprint.end, "Sprint");
    if (both || calendar.mode === "release-candidate") {
      const cut = calendar.occurrence("rc-cut", k);
      push("rc-cut", k, cut.at, cut.at, "RC cut", cut);
    }
    if (both || calendar.mode === "freeze") {
      const freeze = calendar.occurrence("freeze", k);
      push("freeze", k, freeze.at, release.at, "Freeze of main", {
        ...(freeze.moved ? { moved: freeze.moved } : {}),
        sequence: freeze.sequence + release.sequence,
      });
      const deep = calendar.deepFreeze(k);
      push("deep-freeze", k, deep, release.at, "Deep freeze of main", {
        ...(release.moved
          ? {
              moved: {
                from: release.moved.from.subtract({ hours: train.deepFreezeHours }),
                to: deep,
                because: "release" as const,
              },
            }
          : {}),
        sequence: release.sequence,
      });
    }
    push("release", k, release.at, release.at, "Release", release);
  }
  const order: Record<ReleaseEventKind, number> = {
    sprint: 0,
    "rc-cut": 1,
    freeze: 2,
    "deep-freeze": 3,
    release: 4,
  };
  return events.sort((a, b) => cmp(a.start, b.start) || order[a.kind] - order[b.kind]);
}

function kindSuffix(
  kind: ReleaseEventKind,
  train: HandbookConfig["releaseTrain"],
  version: string,
): string {
  switch (kind) {
    case "rc-cut":
      return `${train.branches.rc.replaceAll("{version}", version)}`;
    case "release":
      return train.tag.replaceAll("{version}", version);
    default:
      return `(${version})`;
  }
}

/** The transitions of the active mode (freeze, deep freeze, RC cut, release) after `at`, soonest first. */
export function nextTransitions(
  calendar: ReleaseCalendar,
  at: Moment,
  count = 4,
): {
  kind: Exclude<ReleaseEventKind, "sprint">;
  at: Temporal.ZonedDateTime;
  sprintIndex: number;
}[] {
  const moment = zonedIn(calendar.timeZone, at);
  const cmp = Temporal.ZonedDateTime.compare;
  const out: {
    kind: Exclude<ReleaseEventKind, "sprint">;
    at: Temporal.ZonedDateTime;
    sprintIndex: number;
  }[] = [];
  for (let k = calendar.sprintAt(moment).index - 1; out.length < count; k++) {
    const list: { kind: Exclude<ReleaseEventKind, "sprint">; at: Temporal.ZonedDateTime }[] =
      calendar.mode === "freeze"
        ? [
            { kind: "freeze", at: calendar.freeze(k) },
            { kind: "deep-freeze", at: calendar.deepFreeze(k) },
            { kind: "release", at: calendar.release(k) },
          ]
        : [
            { kind: "rc-cut", at: calendar.rcCut(k) },
            { kind: "release", at: calendar.release(k) },
          ];
    for (const e of list.sort((a, b) => cmp(a.at, b.at))) {
      if (cmp(e.at, moment) > 0 && out.length < count) out.push({ ...e, sprintIndex: k });
    }
  }
  return out;
}

export interface BranchState {
  branch: string;
  state: "open" | "frozen" | "deep-frozen" | "rc-open";
  /** Handbook rule that governs merges into the branch in this state. */
  rule: string;
  since?: Temporal.ZonedDateTime;
  until?: Temporal.ZonedDateTime;
  version?: string;
}

/**
 * Each release-train branch's state at `at`: main (open, frozen R9, deep-frozen R11) and, in
 * release-candidate mode during the RC period, the RC branch of the next minor (R15). RC
 * branches the repository still has from earlier versions are not listed: they are released.
 */
export function branchStates(
  calendar: ReleaseCalendar,
  train: HandbookConfig["releaseTrain"],
  at: Moment,
  versions: VersionState,
): BranchState[] {
  const p = trainPhase(calendar, at);
  const main = train.branches.main;
  const version = versions.nextMinor;
  if (calendar.mode === "freeze") {
    if (p.phase === "open") return [{ branch: main, state: "open", rule: "R9", until: p.until }];
    return [
      {
        branch: main,
        state: p.phase === "deep-frozen" ? "deep-frozen" : "frozen",
        rule: p.phase === "deep-frozen" ? "R11" : "R9",
        since: p.since,
        until: p.until,
        ...(version ? { version } : {}),
      },
    ];
  }
  const states: BranchState[] = [{ branch: main, state: "open", rule: "R6" }];
  if (p.phase === "rc") {
    const branch =
      versions.openRcBranches.at(-1) ??
      (version ? train.branches.rc.replaceAll("{version}", version) : undefined);
    if (branch) {
      states.push({
        branch,
        state: "rc-open",
        rule: "R15",
        since: p.since,
        until: p.until,
        ...(version ? { version } : {}),
      });
    }
  }
  return states;
}
