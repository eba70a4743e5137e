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
  settled?: ItemAt;
}

/** The data prepared once for any number of as-of computations (items by creation time). */
export interface KpiIndex {
  repositories: KpiData["repositories"];
  histories: ItemHistory[];
  /** The earliest creation of a repository (or of its first item), per repository. */
  firstInstant: number | null;
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

export function indexKpiData(data: KpiData): KpiIndex {
  const key = (repo: string, n: number) => `${repo}#${n}`;
  const byItem = new Map<string, ItemHistory>();
  for (const item of data.items) {
    byItem.set(key(item.repo, item.number), {
      item,
      labels: new Map(),
      closed: [],
      draft: [],
      settledAt: item.createdAt,
    });
  }
  const events = [...data.events].filter((e) => RELEVANT.has(e.event));
  // A stable sort keeps the feed's order for events of one second.
  events.sort((a, b) => a.at - b.at);
  for (const e of events) {
    const h = byItem.get(key(e.repo, e.number));
    if (h) addEvent(h, e);
  }
  let firstInstant: number | null = null;
  const note = (t: number | null) => {
    if (t !== null && (firstInstant === null || t < firstInstant)) firstInstant = t;
  };
  for (const r of data.repositories) note(r.createdAt);
  const histories = [...byItem.values()];
  for (const h of histories) {
    const { item } = h;
    note(item.createdAt);
    // The row's closing counts even when the feed lacks its event (a second of slack: the
    // feed and the row may be rendered from one instant with different precision).
    if (item.state === "closed" && item.closedAt !== null) {
      const last = h.closed.at(-1);
      if (!last?.on || last.at < item.closedAt - 1000) {
        h.closed.push({ at: item.closedAt, on: true });
      }
    }
    h.settledAt = Math.max(
      item.createdAt,
      item.closedAt ?? 0,
      item.mergedAt ?? 0,
      h.closed.at(-1)?.at ?? 0,
      h.draft.at(-1)?.at ?? 0,
      ...[...h.labels.values()].map((l) => l.at(-1)?.at ?? 0),
    );
  }
  histories.sort((a, b) => a.item.createdAt - b.item.createdAt || a.item.number - b.item.number);
  return { repositories: data.repositories, histories, firstInstant };
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
