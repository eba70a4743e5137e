// The release train's read models and the deploy guard, over the store: the calendar
// (`bosun calendar`, /api/calendar, /calendar.ics), the train's state and the merge gate's
// verdicts (dashboard, /api/release-train), and deploy checks and records (R27-R29).
import { Temporal } from "temporal-polyfill";
import { BosunError } from "../errors.js";
import type { HandbookConfig } from "../handbook/schema.js";
import {
  type DeployAnswer,
  DeployInputError,
  DIGEST_EXAMPLE,
  environmentOf,
  imageVersion,
  parseImage,
} from "../rules/deploy-guard/index.js";
import type { CommitPlacer, DeployReads } from "../rules/deploy-guard/load.js";
import { deployGuard } from "../rules/deploy-guard/rule.js";
import { gateVerdicts, mergeGate, trainVersions } from "../rules/merge-gate/index.js";
import { loadVersionsSnapshot } from "../rules/release-train/load.js";
import type { RepositorySnapshot } from "../rules/release-train/snapshot.js";
import type { LoadContext } from "../rules/rule.js";
import { loadContext } from "../runtime/decide.js";
import type { DeployRow, Store } from "../store/index.js";
import { isoWithOffset } from "../time/index.js";
import { type MomentError, parseMoment } from "../time/instant.js";
import { describeMove, type EventMove, type MoveCause } from "../time/moves.js";
import {
  branchStates,
  nextTransitions,
  type ReleaseEvent,
  type ReleaseEventKind,
  releaseCalendar,
  releaseEvents,
  trainPhase,
} from "../time/release.js";

export { DeployInputError };

/** One event of `bosun calendar --json`: instants in ISO 8601 with their UTC offset. */
export interface CalendarEventView {
  kind: ReleaseEventKind;
  title: string;
  start: string;
  end: string;
  uid: string;
  version?: string;
  /** The feed's SEQUENCE (R32): 0 as scheduled, higher once the configuration moved it. */
  sequence: number;
  /** Where the event moved from and why (R14, R9: a holiday; R32: an override). */
  moved?: CalendarMoveView;
}

/** A moved event: "moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24". */
export interface CalendarMoveView {
  /** Where the weekday rules put it, with its UTC offset. */
  from: string;
  because: MoveCause;
  /** The holiday's name, when it moved off a holiday ("" when unnamed). */
  holiday?: string;
  /** The override's reason, when it gives one. */
  reason?: string;
  text: string;
}

export interface CalendarView {
  timeZone: string;
  from: string;
  to: string;
  events: CalendarEventView[];
}

export interface CalendarQuery {
  /** "YYYY-MM-DD" (00:00 in calendar.timeZone) or an instant; default the previous sprint's start. */
  from?: string;
  /** "YYYY-MM-DD" (through the end of that day) or an instant; default 26 weeks after now. */
  to?: string;
}

export interface GateRowView {
  repo: string;
  number: number;
  title: string;
  author: string | null;
  base: string | null;
  draft: boolean;
  state: "success" | "failure";
  rule: string;
  description: string;
  /** The latest status on GitHub already says this. */
  current: boolean;
}

export interface ReleaseTrainView {
  now: string;
  mode: HandbookConfig["releaseTrain"]["mode"];
  timeZone: string;
  sprint: { index: number; start: string; end: string };
  phase: { phase: string; since: string; until: string };
  latestRelease?: string;
  nextMinor?: string;
  branches: { branch: string; state: string; rule: string; since?: string; until?: string }[];
  next: { kind: string; at: string }[];
  gate: GateRowView[];
}

export interface DeployCheckRequest {
  environment: string;
  image: string;
  /** An instant (ISO 8601); default now. */
  at?: string;
  override?: string;
}

export interface DeployRecordRequest {
  environment: string;
  image: string;
  by?: string;
  note?: string;
}

/** A recorded deploy, as the API answers it. */
export type DeployRecordView = DeployRow;

const MAX_RANGE_DAYS = 3 * 366;

/** An instant, or a date meaning midnight (`endOfDay`: the following midnight) in `timeZone`. */
export function parseDateOrInstant(
  text: string,
  timeZone: string,
  what: string,
  endOfDay = false,
): Temporal.Instant {
  try {
    return parseMoment(text, { timeZone, dateAt: endOfDay ? "end-of-day" : "00:00" });
  } catch (err) {
    throw new BosunError(
      "bad-input",
      (err as MomentError).reason === "not-in-calendar"
        ? `${what}: ${JSON.stringify(text)} is not a date in the calendar`
        : `${what}: ${JSON.stringify(text)} is neither a date (2026-12-01) nor an instant with its offset (2026-12-01T09:00:00-08:00)`,
    );
  }
}

function eventView(e: ReleaseEvent): CalendarEventView {
  return {
    kind: e.kind,
    title: e.title,
    start: isoWithOffset(e.start),
    end: isoWithOffset(e.end),
    uid: e.uid,
    ...(e.version ? { version: e.version } : {}),
    sequence: e.sequence,
    ...(e.moved ? { moved: moveView(e.moved) } : {}),
  };
}

function moveView(m: EventMove): CalendarMoveView {
  return {
    from: isoWithOffset(m.from),
    because: m.because,
    ...(m.holiday !== undefined ? { holiday: m.holiday } : {}),
    ...(m.reason ? { reason: m.reason } : {}),
    text: describeMove(m),
  };
}

/** Versions as the first configured repository with release tags or milestones tells them. */
async function currentVersions(store: Store, config: HandbookConfig) {
  const repos: RepositorySnapshot[] = [];
  for (const r of config.repositories) {
    repos.push(await loadVersionsSnapshot(store, `${config.organisation}/${r.name}`));
  }
  return trainVersions(config, repos)(repos[0]?.fullName ?? "");
}

export async function calendarView(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  query: CalendarQuery,
): Promise<CalendarView> {
  const zone = config.calendar.timeZone;
  const calendar = releaseCalendar(config);
  const current = calendar.sprintAt(now);
  const from = query.from
    ? parseDateOrInstant(query.from, zone, "from")
    : calendar.sprint(current.index - 1).start.toInstant();
  const to = query.to
    ? parseDateOrInstant(query.to, zone, "to", true)
    : now.toZonedDateTimeISO(zone).add({ weeks: 26 }).toInstant();
  if (Temporal.Instant.compare(to, from) <= 0) {
    throw new BosunError(
      "bad-input",
      `to must be after from (from ${from.toString()}, to ${to.toString()})`,
    );
  }
  if (from.until(to).total("days") > MAX_RANGE_DAYS) {
    throw new BosunError("bad-input", `from and to may be at most ${MAX_RANGE_DAYS} days apart`);
  }
  const versions = await currentVersions(store, config);
  const events = releaseEvents(calendar, config.releaseTrain, from, to, {
    now,
    uidDomain: `${config.organisation.toLowerCase()}.bosun`,
    ...(versions.nextMinor ? { nextMinor: versions.nextMinor } : {}),
  });
  return {
    timeZone: zone,
    from: isoWithOffset(from.toZonedDateTimeISO(zone)),
    to: isoWithOffset(to.toZonedDateTimeISO(zone)),
    events: events.map(eventView),
  };
}

export async function releaseTrainView(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
): Promise<ReleaseTrainView> {
  const zone = config.calendar.timeZone;
  const calendar = releaseCalendar(config);
  const sprint = calendar.sprintAt(now);
  const phase = trainPhase(calendar, now);
  // The gate's own loader: the table says what the rule decides, word for word.
  const input = await mergeGate.load(loadContext(store, config, now));
  const repositories = input.repositories;
  const versions = trainVersions(config, repositories)(repositories[0]?.fullName ?? "");
  const at = (z: Temporal.ZonedDateTime) => isoWithOffset(z);
  const verdicts = gateVerdicts(input, config, now, calendar);
  return {
    now: isoWithOffset(now.toZonedDateTimeISO(zone)),
    mode: config.releaseTrain.mode,
    timeZone: zone,
    sprint: { index: sprint.index, start: at(sprint.start), end: at(sprint.end) },
    phase: { phase: phase.phase, since: at(phase.since), until: at(phase.until) },
    ...(versions.latestRelease ? { latestRelease: versions.latestRelease } : {}),
    ...(versions.nextMinor ? { nextMinor: versions.nextMinor } : {}),
    branches: branchStates(calendar, config.releaseTrain, now, versions).map((b) => ({
      branch: b.branch,
      state: b.state,
      rule: b.rule,
      ...(b.since ? { since: at(b.since) } : {}),
      ...(b.until ? { until: at(b.until) } : {}),
    })),
    next: nextTransitions(calendar, now, 4).map((t) => ({ kind: t.kind, at: at(t.at) })),
    gate: verdicts.map(({ repo, pull, verdict, current }) => ({
      repo,
      number: pull.number,
      title: pull.title,
      author: pull.author,
      base: pull.baseRef,
      draft: pull.draft,
      state: verdict.state,
      rule: verdict.rule,
      description: verdict.description,
      current,
    })),
  };
}

export async function deployCheck(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  request: DeployCheckRequest,
  /** R28: GitHub's compare API (src/github/compare.ts) where this process has a client. */
  placer: CommitPlacer = NO_GITHUB_CLIENT,
): Promise<DeployAnswer> {
  const at = request.at ? parseDeployAt(request.at) : now;
  const input = await deployGuard.load(deployContext(store, config, now, placer), {
    environment: request.environment,
    image: request.image,
    at,
    ...(request.override ? { override: request.override } : {}),
  });
  return deployGuard.decide(input, config, now);
}

/** Without a GitHub client no commit can be placed (R28), and the answer says so. */
const NO_GITHUB_CLIENT: CommitPlacer = {
  placeCommit: async () => ({
    status: "unknown",
    reason:
      "this Bosun has no GitHub credentials to compare commits with (GITHUB_TOKEN or a GitHub App; or ask a server that has them, --server)",
  }),
};

/** The deploy guard's reads: the store's, and commit placement by `placer`. */
function deployContext(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  placer: CommitPlacer,
): LoadContext<DeployReads> {
  const ctx = loadContext(store, config, now);
  const reads: DeployReads = {
    listRefs: (repo) => store.listRefs(repo),
    tagsForCommit: (prefix) => store.tagsForCommit(prefix),
    listDeploys: (environment, limit) => store.listDeploys(environment, limit),
    listTags: (repo) => store.listTags(repo),
    placeCommit: (repo, base, head) => placer.placeCommit(repo, base, head),
  };
  return { ...ctx, reads };
}

export function parseDeployAt(text: string): Temporal.Instant {
  try {
    return parseMoment(text);
  } catch {
    throw new DeployInputError(
      `--at: ${JSON.stringify(text)} is not an instant; use ISO 8601 with an offset, such as 2026-12-01T18:30:00-08:00`,
    );
  }
}

/** R28: records what now runs. Refuses a branch name: it does not say what runs (R29). */
export async function deployRecord(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  request: DeployRecordRequest,
): Promise<DeployRecordView> {
  const env = environmentOf(config.deployGuard, request.environment);
  // Only the branches and release tags are read here: no commit needs placing.
  const { knowledge } = await deployGuard.load(
    deployContext(store, config, now, NO_GITHUB_CLIENT),
    {
      environment: env.name,
      image: request.image,
      at: now,
    },
  );
  const parsed = parseImage(request.image, config.deployGuard.branches, knowledge.branches);
  if (parsed.kind === "branch" || parsed.kind === "other" || parsed.kind === "not-a-digest") {
    throw new DeployInputError(
      `--image: ${JSON.stringify(parsed.tag)} does not say what runs (R29): record the commit hash, version tag or content digest (${DIGEST_EXAMPLE}) that was deployed`,
    );
  }
  const version = imageVersion(parsed, {
    branches: [],
    versionsOfCommit: knowledge.versionsOfCommit,
  });
  const row = await store.recordDeploy({
    environment: env.name,
    image: request.image.trim(),
    version: version ?? null,
    sha: parsed.sha ?? null,
    recordedBy: request.by ?? null,
    note: request.note ?? null,
    recordedAt: now.toString(),
  });
  return { ...row };
}

export async function deployHistory(
  store: Store,
  config: HandbookConfig,
  environment: string,
  limit = 20,
): Promise<DeployRecordView[]> {
  const env = environmentOf(config.deployGuard, environment);
  return store.listDeploys(env.name, limit);
}
