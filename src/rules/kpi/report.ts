// The weekly bug and PR report (R1, R2): the 20 columns of the department's KPI sheet, in its
// order, plus R1's figures, the per-group breakdown, unlabelled-bug warnings, ~ceo PRs,
// community PRs and open-to-merge time, at any instant. Two modes:
// - "exact": the definitions in docs/kpi.md, over the state reconstructed at the instant;
// - "script": what the department's script would have printed at that instant (it counts only
//   still-open bugs as opened in the past 7 days, reads only 300 closed bugs and 300 closed
//   PRs per repository, counts PRs carrying the bug label as bugs, 24-hour days).
import { Temporal } from "temporal-polyfill";
import { bugRelease } from "../../handbook/labels.js";
import { type ItemAt, itemAt, type KpiIndex } from "./asof.js";
import type { KpiSettings } from "./model.js";
import { DAY_MS, type ReportWindows } from "./week.js";

export type KpiMode = "exact" | "script";

export interface KpiColumn {
  /** 1-20, the sheet's column. */
  index: number;
  key: string;
  name: string;
  /** Null for an average over nothing. */
  value: number | null;
}

export interface KpiGroupFigures {
  /** Null for bugs without any configured product-group label. */
  label: string | null;
  name: string;
  openedThisWeek: number;
  openedCustomerImpacting: number;
  openedReleased: number;
  openedUnreleased: number;
  closedThisWeek: number;
  open: number;
  openReleased: number;
  openUnreleased: number;
  averageDaysOpen: number | null;
}

export interface UnlabelledBug {
  repo: string;
  number: number;
  title: string;
  url: string;
  daysOpen: number;
}

export interface KpiReport {
  asOf: string;
  /** The start (exclusive) of "this week". */
  weekStart: string;
  mode: KpiMode;
  repositories: string[];
  columns: KpiColumn[];
  /** R1. */
  r1: {
    openedThisWeek: number;
    open: number;
    openByState: { state: string; count: number }[];
    /** Open bugs carrying none of the state labels. */
    openWithoutState: number;
    closedThisWeek: number;
  };
  groups: KpiGroupFigures[];
  /** Open bugs with neither the released nor the unreleased label (R2 warnings). */
  unlabelledBugs: UnlabelledBug[];
  ceo: {
    open: number;
    averageDaysOpen: number | null;
    mergedInPast3Weeks: number;
    averageDaysToMerge: number | null;
  };
  community: { open: number; averageDaysOpen: number | null };
  /** From the first commit to the merge, of PRs merged in the past 3 weeks. */
  commitToMerge: {
    merged: number;
    averageDays: number | null;
    /** The store has no commit times: the PR's creation stands in for its first commit. */
    firstCommit: "pr-created";
  };
}

/** The sheet's columns: key and name; names of columns 10-17 carry the group labels. */
export function columnDefinitions(s: KpiSettings): { key: string; name: string }[] {
  const [a, b] = s.columnGroups;
  const group = (g: { label: string }, n: 1 | 2) => [
    { key: `group${n}Opened`, name: `${g.label} bugs opened in the past 7 days` },
    { key: `group${n}OpenedCustomer`, name: `${g.label} of those, customer-impacting` },
    { key: `group${n}OpenedReleased`, name: `${g.label} of those, released` },
    { key: `group${n}OpenedUnreleased`, name: `${g.label} of those, unreleased` },
  ];
  return [
    {
      key: "contributorPrAvgDays",
      name: "Average days open, PRs by people (no bots, no excluded labels)",
    },
    { key: "contributorPrCount", name: "Open PRs by people (no bots, no excluded labels)" },
    { key: "prAvgDays", name: "Average days open, all open non-draft PRs" },
    { key: "prCount", name: "Open non-draft PRs" },
    { key: "releasedBugAvgDays", name: `Average days open, ${s.releasedBug} bugs` },
    { key: "unreleasedBugAvgDays", name: `Average days open, ${s.unreleasedBug} bugs` },
    { key: "bugsClosed", name: "Bugs closed in the past 7 days" },
    { key: "bugAvgDays", name: "Average days open, all open bugs" },
    { key: "bugsOpened", name: "Bugs opened in the past 7 days" },
    ...group(a, 1),
    ...group(b, 2),
    { key: "openBugs", name: "Open bugs" },
    { key: "openReleasedBugs", name: `Open ${s.releasedBug} bugs` },
    { key: "openUnreleasedBugs", name: `Open ${s.unreleasedBug} bugs` },
  ];
}

/** Whole days, half up, from a sum of milliseconds over n items; null over nothing. */
export function averageDays(sumMs: number, n: number): number | null {
  if (n === 0) return null;
  // Integer arithmetic: a half-way average (x.5 days) rounds up, never down by a float error.
  return Math.floor((sumMs + (n * DAY_MS) / 2) / (n * DAY_MS));
}

/** The script's rounding: Math.round of the mean of fractional days. */
function scriptAverage(days: number[]): number | null {
  if (days.length === 0) return null;
  return Math.round(days.reduce((a, d) => a + d, 0) / days.length);
}

const SCRIPT_PAGE_LIMIT = 300;

export function computeKpi(
  index: KpiIndex,
  s: KpiSettings,
  w: ReportWindows,
  mode: KpiMode = "exact",
): KpiReport {
  const T = w.asOf;
  const script = mode === "script";
  const weekStart = script ? T - 7 * DAY_MS : w.weekStart;
  const threeWeeksStart = script ? T - 21 * DAY_MS : w.threeWeeksStart;
  const repos = new Set(s.repositories);
  const bots = new Set(s.botLogins);
  const maintainers = new Set(s.maintainers);
  const excluded = s.excludedPrLabels;
  const isCustomer = script
    ? (l: string) => l.includes(s.customerPrefix)
    : (l: string) => l.startsWith(s.customerPrefix);
  const isBot = (x: ItemAt) =>
    x.item.authorType === "Bot" ||
    (!script && x.item.author !== null && bots.has(x.item.author.toLowerCase()));
  // A label under its canonical name or an alias (labels.aliases), as the store spells it.
  const named = (label: string, aliases: readonly string[]) => {
    const names = [label, ...aliases];
    return (labels: { has(name: string): boolean }) => names.some((n) => labels.has(n));
  };
  const isBug = named(s.bug, s.aliases.bug);
  const isCeo = named(s.ceo, s.aliases.ceo);
  const isReleased = named(s.releasedBug, s.aliases.releasedBug);
  const isUnreleased = named(s.unreleasedBug, s.aliases.unreleasedBug);
  // The merge gate decides the same (handbook/labels.ts): a bug with both labels is released.
  const kind = (x: ItemAt): "released" | "unreleased" | null =>
    bugRelease({ released: isReleased(x.labels), unreleased: isUnreleased(x.labels) }) ?? null;
  // Exact: created in (weekStart, T]. Script: still open and at most 7 × 24 h old.
  const openedThisWeek = (x: ItemAt) =>
    script ? x.open && T - x.item.createdAt <= 7 * DAY_MS : x.item.createdAt > weekStart;

  const openBugs: ItemAt[] = [];
  const opened: ItemAt[] = [];
  const closedBugsByRepo = new Map<string, ItemAt[]>();
  const openPrs: ItemAt[] = [];
  const mergedRecently: ItemAt[] = [];
  const closedPrsByRepo = new Map<string, ItemAt[]>();
  const ceoMerged: ItemAt[] = [];

  for (const h of index.histories) {
    if (h.item.createdAt > T) break;
    if (!repos.has(h.item.repo)) continue;
    // An issue that never carried the bug label plays no part: skip its replay.
    if (
      !h.item.isPullRequest &&
      !isBug({ has: (n) => h.item.labels.includes(n) }) &&
      !isBug(h.labels)
    )
      continue;
    const x = itemAt(h, T)!;
    const pr = x.item.isPullRequest;
    // The script reads bugs from the issues API, which lists pull requests too.
    if (isBug(x.labels) && (script || !pr)) {
      if (x.open) openBugs.push(x);
      else push(closedBugsByRepo, x.item.repo, x);
      if (openedThisWeek(x)) opened.push(x);
    }
    if (pr) {
      if (x.open && !x.draft) openPrs.push(x);
      if (!x.open) push(closedPrsByRepo, x.item.repo, x);
      if (x.merged && x.item.mergedAt! > threeWeeksStart) {
        mergedRecently.push(x);
        if (isCeo(x.labels)) ceoMerged.push(x);
      }
    }
  }

  // Closed bugs: exact, every closing in the window; script, only the 300 newest (by
  // creation, the issues API's default order) closed bug items of each repository.
  const closed: ItemAt[] = [];
  for (const list of closedBugsByRepo.values()) {
    // The histories' order is by creation: the newest are at the end.
    const read = script ? list.slice(-SCRIPT_PAGE_LIMIT).reverse() : list;
    for (const x of read) {
      if (x.closedAt === null) continue;
      if (script ? T - x.closedAt <= 7 * DAY_MS : x.closedAt > weekStart) closed.push(x);
    }
  }

  const age = (x: ItemAt) => T - x.item.createdAt;
  const avg = (list: ItemAt[], ms: (x: ItemAt) => number = age) =>
    script
      ? scriptAverage(list.map((x) => ms(x) / DAY_MS))
      : averageDays(
          list.reduce((a, x) => a + ms(x), 0),
          list.length,
        );

  const contributor = openPrs.filter((x) => !isBot(x) && !excluded.some((l) => x.labels.has(l)));
  const released = openBugs.filter((x) => kind(x) === "released");
  const unreleased = openBugs.filter((x) => kind(x) === "unreleased");
  const inGroup = (list: ItemAt[], label: string) => list.filter((x) => x.labels.has(label));
  const groupColumns = (label: string) => {
    const g = inGroup(opened, label);
    return [
      g.length,
      g.filter((x) => [...x.labels].some(isCustomer)).length,
      g.filter((x) => kind(x) === "released").length,
      g.filter((x) => kind(x) === "unreleased").length,
    ];
  };
  const values: (number | null)[] = [
    avg(contributor),
    contributor.length,
    avg(openPrs),
    openPrs.length,
    avg(released),
    avg(unreleased),
    closed.length,
    avg(openBugs),
    opened.length,
    ...groupColumns(s.columnGroups[0].label),
    ...groupColumns(s.columnGroups[1].label),
    openBugs.length,
    released.length,
    unreleased.length,
  ];
  const columns = columnDefinitions(s).map((c, i) => ({
    index: i + 1,
    ...c,
    value: values[i] ?? null,
  }));

  const stateOf = (x: ItemAt) =>
    s.bugStates.find((b) => named(b.label, b.aliases)(x.labels))?.state;
  const openByState = s.bugStates.map((b) => ({
    state: b.state,
    count: openBugs.filter((x) => stateOf(x) === b.state).length,
  }));

  const groupLabels = s.groups.map((g) => g.label);
  const groupFigures = (label: string | null, name: string): KpiGroupFigures => {
    const has = (x: ItemAt) =>
      label === null ? !groupLabels.some((l) => x.labels.has(l)) : x.labels.has(label);
    const o = opened.filter(has);
    const open = openBugs.filter(has);
    return {
      label,
      name,
      openedThisWeek: o.length,
      openedCustomerImpacting: o.filter((x) => [...x.labels].some(isCustomer)).length,
      openedReleased: o.filter((x) => kind(x) === "released").length,
      openedUnreleased: o.filter((x) => kind(x) === "unreleased").length,
      closedThisWeek: closed.filter(has).length,
      open: open.length,
      openReleased: open.filter((x) => kind(x) === "released").length,
      openUnreleased: open.filter((x) => kind(x) === "unreleased").length,
      averageDaysOpen: avg(open),
    };
  };

  const ceoOpen = openPrs.filter((x) => isCeo(x.labels));
  const community = openPrs.filter(
    (x) => !isBot(x) && !(x.item.author && maintainers.has(x.item.author.toLowerCase())),
  );
  // Script: from the 300 most recently closed PRs (by closing time, standing in for the
  // API's "recently updated"), the non-draft ones merged in the past 21 × 24 h.
  const merged = script
    ? [...closedPrsByRepo.values()].flatMap((list) =>
        [...list]
          .sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0) || b.item.number - a.item.number)
          .slice(0, SCRIPT_PAGE_LIMIT)
          .filter((x) => !x.draft && x.merged && x.item.mergedAt! >= threeWeeksStart),
      )
    : mergedRecently;
  const toMerge = (x: ItemAt) => x.item.mergedAt! - x.item.createdAt;

  const iso = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toString();
  return {
    asOf: iso(T),
    weekStart: iso(weekStart),
    mode,
    repositories: [...s.repositories],
    columns,
    r1: {
      openedThisWeek: opened.length,
      open: openBugs.length,
      openByState,
      openWithoutState: openBugs.filter((x) => stateOf(x) === undefined).length,
      closedThisWeek: closed.length,
    },
    groups: [
      ...s.groups.map((g) => groupFigures(g.label, g.name)),
      groupFigures(null, "no product group"),
    ],
    unlabelledBugs: openBugs
      .filter((x) => kind(x) === null)
      .sort((a, b) => a.item.createdAt - b.item.createdAt || a.item.number - b.item.number)
      .map((x) => ({
        repo: x.item.repo,
        number: x.item.number,
        title: x.item.title,
        url: `${s.htmlBase}/${x.item.repo}/${x.item.isPullRequest ? "pull" : "issues"}/${x.item.number}`,
        daysOpen: Math.floor(age(x) / DAY_MS),
      })),
    ceo: {
      open: ceoOpen.length,
      averageDaysOpen: avg(ceoOpen),
      mergedInPast3Weeks: ceoMerged.length,
      averageDaysToMerge: avg(ceoMerged, toMerge),
    },
    community: { open: community.length, averageDaysOpen: avg(community) },
    commitToMerge: {
      merged: merged.length,
      averageDays: avg(merged, toMerge),
      firstCommit: "pr-created",
    },
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The CSV row for the sheet: the 20 figures, nothing else; an average over nothing is empty. */
export function csvRow(report: Pick<KpiReport, "columns">): string {
  return report.columns.map((c) => (c.value === null ? "" : String(c.value))).join(",");
}
