// The KPI report from the store (R1, R2): loads what the definitions in src/rules/kpi/ read,
// keeps it parsed in memory while the store's KPI watermark holds, answers reports at any
// instant, the weekly history for the dashboard's charts, and stores weekly snapshots.
import { Temporal } from "temporal-polyfill";
import { BosunError } from "../errors.js";
import { FULL_SYNC } from "../github/sync.js";
import type { HandbookConfig } from "../handbook/schema.js";
import {
  applyKpiDelta,
  boundariesBetween,
  boundaryAtOrBefore,
  columnDefinitions,
  indexKpiData,
  KPI_EVENTS,
  type KpiData,
  type KpiIndex,
  type KpiMode,
  type KpiRepository,
  type KpiSettings,
  type KpiView,
  kpiConfigHash,
  kpiSettings,
  kpiView,
  labelsOfInterest,
  reportWindows,
  weekBoundary,
} from "../rules/kpi/index.js";
import type { JobContext, ScheduledJob } from "../runtime/jobs.js";
import type { KpiKey, Store } from "../store/index.js";
import { parseMoment } from "../time/instant.js";

/** Bad input (an unreadable date, one before the repositories existed): code "bad-input". */
export class KpiInputError extends BosunError {
  override name = "KpiInputError";
  constructor(message: string) {
    super("bad-input", message);
  }
}

/** Nothing to report from yet (never synced, no KPI repository): code "not-ready". */
export class KpiNotReadyError extends BosunError {
  override name = "KpiNotReadyError";
  constructor(message: string) {
    super("not-ready", message);
  }
}

export interface KpiOptions {
  /** "script": the department's script's figures instead of the exact ones. */
  compat?: "script";
}

/** Each KPI over time, for the dashboard's charts. */
export interface KpiHistoryView {
  timeZone: string;
  repositories: string[];
  columns: { index: number; key: string; name: string }[];
  /** Week boundaries, oldest first (ISO 8601). */
  weeks: string[];
  /** Per week: "stored" (a weekly snapshot) or "computed" (replayed from events now). */
  sources: ("stored" | "computed")[];
  /** values[w][c]: column c+1 at weeks[w]; null for an average over nothing. */
  values: (number | null)[][];
  /** The current week so far: the report as of now. */
  current: KpiView;
}

interface Cached {
  /** The store's change horizon the index reflects (see Store.kpiChanges). */
  horizon: string;
  index: KpiIndex;
}

// The prepared data per store and per set of repositories and labels: each call re-reads only
// the issues changed since the previous one (a chain, so refreshes never interleave).
const CACHE = new WeakMap<Store, Map<string, Promise<Cached>>>();

// Beyond this many changed issues one full read is cheaper than reading them by key.
const DELTA_LIMIT = 2_000;

function filterOf(s: KpiSettings) {
  const interest = labelsOfInterest(s);
  return { events: KPI_EVENTS, labels: interest.names, labelPrefixes: interest.prefixes };
}

/** Issues, PRs and events of the KPI repositories: all, or only the issues `only` names. */
async function loadItems(
  store: Store,
  s: KpiSettings,
  only?: readonly KpiKey[],
): Promise<Omit<KpiData, "repositories">> {
  const [items, labels, events] = await Promise.all([
    store.kpiItems(s.repositories, only),
    store.kpiLabels(s.repositories, only),
    store.kpiEvents(s.repositories, filterOf(s), only),
  ]);
  const byItem = new Map<string, string[]>();
  for (const [repo, number, label] of labels) {
    const key = `${repo}#${number}`;
    const list = byItem.get(key);
    if (list) list.push(label);
    else byItem.set(key, [label]);
  }
  return {
    items: items.map((i) => ({ ...i, labels: byItem.get(`${i.repo}#${i.number}`) ?? [] })),
    events: events.map((e) => ({ ...e, label: e.labelName })),
  };
}

async function repositoriesOf(store: Store, s: KpiSettings): Promise<KpiRepository[]> {
  const out: KpiRepository[] = [];
  for (const fullName of s.repositories) {
    const [row, cursor] = await Promise.all([
      store.getRepository(fullName),
      store.getCursor(fullName, FULL_SYNC),
    ]);
    out.push({
      fullName,
      createdAt: row?.createdAt ? Date.parse(row.createdAt) : null,
      synced: cursor?.cursor === "complete",
    });
  }
  return out;
}

async function readIndex(store: Store, s: KpiSettings): Promise<KpiIndex> {
  const [repositories, data] = await Promise.all([repositoriesOf(store, s), loadItems(store, s)]);
  return indexKpiData({ repositories, ...data });
}

/** Brings `prior` up to the store's present: a full read the first time, else the changes. */
async function refresh(store: Store, s: KpiSettings, prior?: Cached): Promise<Cached> {
  const { horizon, changed } = await store.kpiChanges(s.repositories, prior?.horizon ?? null);
  if (!prior || changed.length > DELTA_LIMIT) return { horizon, index: await readIndex(store, s) };
  const { index } = prior;
  // Sync state is not an issue change: until every repository is synced, read it each time.
  const repositories = index.repositories.every((r) => r.synced)
    ? index.repositories
    : await repositoriesOf(store, s);
  if (changed.length === 0) {
    return {
      horizon,
      index: repositories === index.repositories ? index : { ...index, repositories },
    };
  }
  const data = await loadItems(store, s, changed);
  const present = new Set(data.items.map((i) => `${i.repo}#${i.number}`));
  const removed = changed
    .filter(([repo, number]) => !present.has(`${repo}#${number}`))
    .map(([repo, number]) => ({ repo, number }));
  return { horizon, index: applyKpiDelta(index, { repositories, ...data, removed }) };
}

/** The KPI data read whole from the store, as a process's first report reads it; no cache. */
export function readKpiIndex(store: Store, config: HandbookConfig): Promise<KpiIndex> {
  return readIndex(store, kpiSettings(config));
}

/** The prepared KPI data of `config`'s repositories, up to date with the store. */
export async function kpiIndex(store: Store, config: HandbookConfig): Promise<KpiIndex> {
  const s = kpiSettings(config);
  const key = JSON.stringify([s.repositories, labelsOfInterest(s)]);
  const perStore = CACHE.get(store) ?? new Map<string, Promise<Cached>>();
  CACHE.set(store, perStore);
  const previous = perStore.get(key);
  const next = (async () => refresh(store, s, await previous?.catch(() => undefined)))();
  perStore.set(key, next);
  next.catch(() => {
    if (perStore.get(key) === next) perStore.delete(key);
  });
  return (await next).index;
}

/**
 * Reads `--as-of` / `?asOf=`: a date (`2026-03-02`: that day at the week boundary's time in
 * `calendar.timeZone`), a local date and time (`2026-03-02T17:30`, in that zone), or an ISO
 * 8601 instant with an offset or a zone.
 */
export function parseAsOf(text: string, config: HandbookConfig): Temporal.Instant {
  const zone = config.calendar.timeZone;
  try {
    return parseMoment(text, { timeZone: zone, dateAt: config.kpi.week.time, localDateTime: true });
  } catch {
    throw new KpiInputError(
      `not a date: ${JSON.stringify(text)}; use YYYY-MM-DD (that day at ${config.kpi.week.time} ${zone}), YYYY-MM-DDTHH:MM (in ${zone}) or ISO 8601 with an offset, e.g. 2026-03-02T09:00:00-08:00`,
    );
  }
}

function checkReady(index: KpiIndex, s: KpiSettings): void {
  if (s.repositories.length === 0) {
    throw new KpiNotReadyError(
      "no repository counts in the KPI report: set kpi: true on one of repositories[] in the configuration",
    );
  }
  const unsynced = index.repositories.filter((r) => !r.synced).map((r) => r.fullName);
  if (unsynced.length > 0) {
    throw new KpiNotReadyError(
      `the store has never synced ${unsynced.join(", ")}: run bosun serve (or bosun preview) until the first sync finishes, then ask again`,
    );
  }
}

function checkInstant(at: Temporal.Instant, index: KpiIndex, now: Temporal.Instant): void {
  if (Temporal.Instant.compare(at, now) > 0) {
    throw new KpiInputError(`${at.toString()} is in the future; the latest report is as of now`);
  }
  if (index.firstInstant !== null && at.epochMilliseconds < index.firstInstant) {
    const first = Temporal.Instant.fromEpochMilliseconds(index.firstInstant).toString();
    throw new KpiInputError(
      `${at.toString()} is before the repositories existed (${index.repositories.map((r) => r.fullName).join(", ")}; the first was created ${first})`,
    );
  }
}

/** The report as of `asOf` (default: now). */
export async function kpiReport(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  asOf?: string,
  options: KpiOptions = {},
): Promise<KpiView> {
  // The date is read before the store, so a typo answers at once, whatever the store holds.
  const at = asOf === undefined ? now : parseAsOf(asOf, config);
  const s = kpiSettings(config);
  const index = await kpiIndex(store, config);
  checkReady(index, s);
  checkInstant(at, index, now);
  const mode: KpiMode = options.compat === "script" ? "script" : "exact";
  return kpiView(index, s, reportWindows(at, config.calendar.timeZone), mode);
}

/** Each KPI at every week boundary of the past `weeks` weeks: stored snapshots, else replayed. */
export async function kpiHistory(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  options: { weeks?: number } = {},
): Promise<KpiHistoryView> {
  const s = kpiSettings(config);
  const w = weekBoundary(config);
  const index = await kpiIndex(store, config);
  checkReady(index, s);
  const weeks = Math.min(Math.max(options.weeks ?? 104, 1), 520);
  const since = Temporal.Instant.fromEpochMilliseconds(
    Math.max(
      index.firstInstant ?? now.epochMilliseconds,
      now.subtract({ hours: 24 * 7 * weeks }).epochMilliseconds,
    ),
  );
  const boundaries = boundariesBetween(since, now, w);
  const hash = await kpiConfigHash(config);
  const stored = new Map(
    (await store.listKpiSnapshots({ configHash: hash, since: since.toString() })).map((r) => [
      Date.parse(r.asOf),
      r.payload as KpiView,
    ]),
  );
  const values: (number | null)[][] = [];
  const sources: ("stored" | "computed")[] = [];
  for (const b of boundaries) {
    const snap = stored.get(b.epochMilliseconds);
    const view =
      snap?.columns?.length === 20
        ? snap
        : kpiView(index, s, reportWindows(b, w.timeZone), "exact");
    sources.push(view === snap ? "stored" : "computed");
    values.push(view.columns.map((c) => c.value));
  }
  return {
    timeZone: w.timeZone,
    repositories: s.repositories,
    columns: columnDefinitions(s).map((c, i) => ({ index: i + 1, ...c })),
    weeks: boundaries.map((b) => b.toString()),
    sources,
    values,
    current: kpiView(index, s, reportWindows(now, w.timeZone), "exact"),
  };
}

/**
 * How long after a week boundary a webhook for a change made before it may still arrive: the
 * store vouches for the boundary once that has passed, a sync has finished after it, and no
 * delivery received before it waits (see {@link snapshotWait}).
 */
export const SNAPSHOT_SETTLE_MS = 60_000;

/**
 * Why the store cannot vouch yet for the report at `boundary` (R2: a stored week is never
 * computed again, so it must not be taken from a store that is behind), or undefined. Behind
 * means: the boundary is less than {@link SNAPSHOT_SETTLE_MS} old; a KPI repository has not
 * finished a sync since then (only a sync brings changes no webhook announced, and GitHub's
 * events), or one is under way (it writes rows before their events); or a webhook delivery
 * received by then is not applied yet. Sync and delivery times are the database's clock.
 */
export async function snapshotWait(
  store: Store,
  repositories: readonly string[],
  boundary: Temporal.Instant,
  now: Temporal.Instant,
): Promise<string | undefined> {
  const settled = boundary.add({ milliseconds: SNAPSHOT_SETTLE_MS });
  if (Temporal.Instant.compare(now, settled) < 0) {
    return `the week ending ${boundary.toString()} closed less than ${SNAPSHOT_SETTLE_MS / 1000} s ago: webhooks for changes before it may be on their way`;
  }
  for (const repo of repositories) {
    const sync = await store.syncCompletion(repo);
    if (sync.inProgress)
      return `a sync of ${repo} is under way (rows may be ahead of their events)`;
    if (!sync.completedAt || Date.parse(sync.completedAt) < settled.epochMilliseconds) {
      return `${repo} has not finished a sync since ${settled.toString()} (last: ${sync.completedAt ?? "never"})`;
    }
  }
  const waiting = await store.pendingDeliveryIds({ receivedBefore: settled.toString(), limit: 1 });
  if (waiting.length > 0) {
    return `webhook deliveries received before ${settled.toString()} are not applied yet (first: ${waiting[0]!.deliveryId})`;
  }
  return undefined;
}

/**
 * Stores the snapshot of the latest week boundary, and of up to `backfill` earlier weeks that
 * have none, replayed from the events. Converges: a stored week is never computed again, so
 * nothing is stored while the store is behind ({@link snapshotWait}).
 */
export async function storeWeeklySnapshots(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  backfill = 8,
): Promise<string[]> {
  const s = kpiSettings(config);
  if (s.repositories.length === 0) return [];
  const w = weekBoundary(config);
  const latest = boundaryAtOrBefore(now, w);
  if (await snapshotWait(store, s.repositories, latest, now)) return [];
  const index = await kpiIndex(store, config);
  if (!index.repositories.every((r) => r.synced) || index.firstInstant === null) return [];
  const hash = await kpiConfigHash(config);
  const first = Temporal.Instant.fromEpochMilliseconds(index.firstInstant);
  const have = new Set(
    (await store.listKpiSnapshots({ configHash: hash })).map((r) => Date.parse(r.asOf)),
  );
  const missing = boundariesBetween(first, latest, w)
    .reverse()
    .filter((b) => !have.has(b.epochMilliseconds))
    .slice(0, 1 + backfill);
  const written: string[] = [];
  for (const b of missing) {
    const view = kpiView(index, s, reportWindows(b, w.timeZone), "exact");
    await store.putKpiSnapshot({ asOf: b.toString(), configHash: hash, payload: view });
    written.push(b.toString());
  }
  return written;
}

/** Takes the weekly KPI snapshot once the week boundary has passed (R1, R2). */
export const kpiSnapshotJob: ScheduledJob = {
  name: "kpi-weekly-snapshot",
  everyMs: 5 * 60_000,
  async run({ store, config, now }: JobContext) {
    const written = await storeWeeklySnapshots(store, config, now);
    if (written.length === 0) return undefined;
    return `stored ${written.length} weekly KPI snapshot(s): ${written.at(-1)}${written.length > 1 ? ` … ${written[0]}` : ""}`;
  },
};

/** What the kpi-weekly-report rule reads (loaded with the decision snapshot). */
