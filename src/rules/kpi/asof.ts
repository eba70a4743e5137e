// What an issue or pull request looked like at a past instant, from its current row and its
// issue events.
//
// The rule, for each fact the KPIs read (each label, open/closed, draft):
// - the last event for it at or before T decides (labeled / closed / convert_to_draft: on;
//   unlabeled / reopened / ready_for_review: off);
// - with none at or before T, the first event after T decides, inverted (a label added after
//   T was absent at T, one removed after T was present);
// - with no event at all, the current row decides.
// So the state at creation is the current state minus every later change: labels applied at
// creation (GitHub records them as `labeled` at `created_at`) replay as they happened, and
// labels the feed has no event for count as present since creation. The row's `closed_at`
// is a closing even when the feed lacks its `closed` event, so a closed item never reads as
// open after it closed.
import { KPI_EVENTS, type KpiData, type KpiEvent, type KpiItem } from "./model.js";

interface Transition {
  at: number;
  on: boolean;
}

export interface ItemHistory {
  item: KpiItem;
  /** Label -> changes in time order; only labels that have events. */
  labels: Map<string, Transition[]>;
  /** on = closed. */
  closed: Transition[];
  /** on = draft. */
  draft: Transition[];
  /** From this instant on nothing changes any more: the state is {@link ItemHistory.settled}. */
  settledAt: number;
  /** The state at and after `settledAt`, computed once (most items, at most instants). */
  settled: ItemAt | undefined;
}

/** The data prepared once for any number of as-of computations (items by creation time). */
export interface KpiIndex {
  repositories: KpiData["repositories"];
  histories: ItemHistory[];
  /** The earliest creation of a repository (or of its first item), per repository. */
  firstInstant: number | null;
  /** `repo#number` -> position in {@link KpiIndex.histories}, for {@link applyKpiDelta}. */
  positions: Map<string, number>;
}

/** Items whose row or events changed, each with ALL its events (a replacement, not a diff). */
export interface KpiDelta {
  repositories: KpiData["repositories"];
  items: readonly KpiItem[];
  /** Every event of `items`, in any order. */
  events: readonly KpiEvent[];
  /** Items that are gone (deleted or transferred away). */
  removed: readonly { repo: string; number: number }[];
}

export interface ItemAt {
  item: KpiItem;
  labels: Set<string>;
  open: boolean;
  draft: boolean;
  /** The last closing at or before T, when closed at T. */
  closedAt: number | null;
  merged: boolean;
}

const RELEVANT = new Set<string>(KPI_EVENTS);
const keyOf = (repo: string, n: number) => `${repo}#${n}`;
const byCreation = (a: KpiItem, b: KpiItem) =>
  a.createdAt - b.createdAt || (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : a.number - b.number);

export function indexKpiData(data: KpiData): KpiIndex {
  const events = eventsByItem(data.events);
  // Histories are allocated in the order every report walks them: on a heap of tens of
  // thousands of items, that locality makes a report several times faster.
  const histories = [...data.items]
    .sort(byCreation)
    .map((item) => historyOf(item, events.get(keyOf(item.repo, item.number))));
  const positions = new Map<string, number>();
  for (const [i, h] of histories.entries()) positions.set(keyOf(h.item.repo, h.item.number), i);
  return {
    repositories: data.repositories,
    histories,
    firstInstant: firstInstantOf(data.repositories, histories),
    positions,
  };
}

/**
 * `index` with the histories of `delta`'s items replaced, added or removed, as
 * {@link indexKpiData} would build it from the whole data. Unchanged histories are shared;
 * `index` itself is left as it was.
 */
export function applyKpiDelta(index: KpiIndex, delta: KpiDelta): KpiIndex {
  const events = eventsByItem(delta.events);
  let histories = index.histories.slice();
  let positions = index.positions;
  const added: ItemHistory[] = [];
  for (const item of delta.items) {
    const key = keyOf(item.repo, item.number);
    const h = historyOf(item, events.get(key));
    const at = positions.get(key);
    if (at !== undefined && histories[at]!.item.createdAt === item.createdAt) histories[at] = h;
    else added.push(h);
  }
  const gone = delta.removed.map((r) => keyOf(r.repo, r.number)).filter((k) => positions.has(k));
  if (added.length > 0 || gone.length > 0) {
    added.sort((a, b) => byCreation(a.item, b.item));
    const moved = new Set([
      ...gone,
      ...added.map((h) => keyOf(h.item.repo, h.item.number)).filter((k) => positions.has(k)),
    ]);
    const kept =
      moved.size === 0
        ? histories
        : histories.filter((h) => !moved.has(keyOf(h.item.repo, h.item.number)));
    // New items are nearly always the newest: appending keeps every position.
    const last = kept.at(-1);
    const append = moved.size === 0 && (!last || byCreation(last.item, added[0]!.item) < 0);
    histories = append ? kept.concat(added) : mergeSorted(kept, added);
    positions = append ? new Map(positions) : new Map();
    for (let i = append ? kept.length : 0; i < histories.length; i++) {
      const h = histories[i]!;
      positions.set(keyOf(h.item.repo, h.item.number), i);
    }
  }
  return {
    repositories: delta.repositories,
    histories,
    firstInstant: firstInstantOf(delta.repositories, histories),
    positions,
  };
}

function mergeSorted(a: ItemHistory[], b: ItemHistory[]): ItemHistory[] {
  const out: ItemHistory[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    out.push(byCreation(a[i]!.item, b[j]!.item) <= 0 ? a[i++]! : b[j++]!);
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

function eventsByItem(all: readonly KpiEvent[]): Map<string, KpiEvent[]> {
  const events = all.filter((e) => RELEVANT.has(e.event));
  // Events of one second in id order; a stable sort keeps the feed's order without ids.
  events.sort((a, b) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0));
  const out = new Map<string, KpiEvent[]>();
  for (const e of events) {
    const key = keyOf(e.repo, e.number);
    const list = out.get(key);
    if (list) list.push(e);
    else out.set(key, [e]);
  }
  return out;
}

function firstInstantOf(
  repositories: KpiData["repositories"],
  histories: readonly ItemHistory[],
): number | null {
  let first: number | null = histories[0]?.item.createdAt ?? null;
  for (const r of repositories) {
    if (r.createdAt !== null && (first === null || r.createdAt < first)) first = r.createdAt;
  }
  return first;
}

function historyOf(source: KpiItem, events: readonly KpiEvent[] = []): ItemHistory {
  // A copy, so the item sits beside its history in memory.
  const item: KpiItem = { ...source, labels: [...source.labels] };
  const h: ItemHistory = {
    item,
    labels: new Map(),
    closed: [],
    draft: [],
    settledAt: item.createdAt,
    settled: undefined,
  };
  for (const e of events) addEvent(h, e);
  // The row's closing counts even when the feed lacks its event (a second of slack: the
  // feed and the row may be rendered from one instant with different precision).
  if (item.state === "closed" && item.closedAt !== null) {
    const last = h.closed.at(-1);
    if (!last?.on || last.at < item.closedAt - 1000) {
      h.closed.push({ at: item.closedAt, on: true });
    }
  }
  let settled = Math.max(
    item.createdAt,
    item.closedAt ?? 0,
    item.mergedAt ?? 0,
    h.closed.at(-1)?.at ?? 0,
    h.draft.at(-1)?.at ?? 0,
  );
  for (const changes of h.labels.values()) settled = Math.max(settled, changes.at(-1)?.at ?? 0);
  h.settledAt = settled;
  return h;
}

function addEvent(h: ItemHistory, e: KpiEvent): void {
  switch (e.event) {
    case "labeled":
    case "unlabeled": {
      if (!e.label) return;
      const list = h.labels.get(e.label) ?? [];
      if (list.length === 0) h.labels.set(e.label, list);
      list.push({ at: e.at, on: e.event === "labeled" });
      return;
    }
    case "closed":
    case "reopened":
      h.closed.push({ at: e.at, on: e.event === "closed" });
      return;
    case "convert_to_draft":
    case "ready_for_review":
      h.draft.push({ at: e.at, on: e.event === "convert_to_draft" });
      return;
  }
}

function flagAt(changes: readonly Transition[], t: number, current: boolean): boolean {
  let last: Transition | undefined;
  for (const c of changes) {
    if (c.at <= t) last = c;
    else return last ? last.on : !c.on;
  }
  return last ? last.on : current;
}

/**
 * The item at instant `t`, or null when it did not exist yet. The result may be shared between
 * calls: treat it as read-only.
 */
export function itemAt(h: ItemHistory, t: number): ItemAt | null {
  if (h.item.createdAt > t) return null;
  if (t < h.settledAt) return replay(h, t);
  h.settled ??= replay(h, h.settledAt);
  return h.settled;
}

function replay(h: ItemHistory, t: number): ItemAt {
  const { item } = h;
  const labels = new Set<string>();
  for (const name of item.labels) {
    const changes = h.labels.get(name);
    if (!changes || flagAt(changes, t, true)) labels.add(name);
  }
  for (const [name, changes] of h.labels) {
    if (!labels.has(name) && flagAt(changes, t, item.labels.includes(name))) labels.add(name);
  }
  const closed = flagAt(h.closed, t, item.state === "closed");
  let closedAt: number | null = null;
  if (closed) {
    for (const c of h.closed) {
      if (c.at > t) break;
      if (c.on) closedAt = c.at;
    }
    closedAt ??= item.closedAt !== null && item.closedAt <= t ? item.closedAt : null;
  }
  return {
    item,
    labels,
    open: !closed,
    draft: item.isPullRequest && flagAt(h.draft, t, item.draft === true),
    closedAt,
    merged: item.mergedAt !== null && item.mergedAt <= t,
  };
}
