// The KPI data kept in memory and brought up to date by the changed issues alone must give the
// report a full reading of the store gives, whatever changed: rows, labels, events, new items
// older or newer than the rest, deletions.
import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import {
  applyKpiDelta,
  computeKpi,
  indexKpiData,
  type KpiData,
  type KpiEvent,
  type KpiIndex,
  type KpiItem,
  type KpiSettings,
  kpiSettings,
  reportWindows,
} from "../../src/rules/kpi/index.js";
import { exampleConfig } from "../support/app.js";

let settings: KpiSettings;
beforeAll(async () => {
  settings = kpiSettings(await exampleConfig());
});

const DAY = 86_400_000;
const START = Date.parse("2026-01-01T00:00:00Z");
const END = Date.parse("2026-04-01T00:00:00Z");
const LABELS = ["bug", "~released bug", "~unreleased bug", "#g-mdm", "customer-acme", "~ceo"];
const REPOS = ["fleetdm/fleet", "fleetdm/other"];

/** A small deterministic PRNG (mulberry32): the same world on every run. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

type Rng = ReturnType<typeof random>;

/** One item with a consistent history: events in time order, the row as they leave it. */
function makeItem(rng: Rng, repo: string, number: number, createdAt: number, nextId: () => number) {
  const pr = rng.next() < 0.4;
  const labels = new Set<string>();
  const events: KpiEvent[] = [];
  let open = true;
  let closedAt: number | null = null;
  let draft = pr && rng.next() < 0.3;
  let t = createdAt;
  const add = (event: string, label: string | null = null) =>
    events.push({ repo, number, event, label, at: t, id: nextId() });
  const toggle = (l: string) => {
    if (labels.has(l)) labels.delete(l);
    else labels.add(l);
    add(labels.has(l) ? "labeled" : "unlabeled", l);
  };
  for (const l of LABELS) if (rng.next() < 0.3) toggle(l);
  for (let k = rng.int(5); k > 0; k--) {
    t += rng.int(10 * DAY) + 1000;
    if (t > END) break;
    const r = rng.next();
    if (r < 0.4) toggle(rng.pick(LABELS));
    else if (r < 0.7) {
      add(open ? "closed" : "reopened");
      if (open) closedAt = t;
      open = !open;
    } else if (pr) {
      add(draft ? "ready_for_review" : "convert_to_draft");
      draft = !draft;
    }
  }
  const item: KpiItem = {
    repo,
    number,
    isPullRequest: pr,
    title: `${pr ? "PR" : "Issue"} ${number}`,
    author: rng.pick(["getvictor", "dependabot[bot]", "noahtalerman"]),
    authorType: rng.next() < 0.2 ? "Bot" : "User",
    labels: [...labels],
    draft: pr ? draft : null,
    state: open ? "open" : "closed",
    createdAt,
    closedAt: open ? null : closedAt,
    mergedAt: pr && !open && rng.next() < 0.7 ? closedAt : null,
  };
  return { item, events };
}

class Store {
  readonly items = new Map<string, { item: KpiItem; events: KpiEvent[] }>();
  private id = 1;
  private numbers = 0;
  constructor(private readonly rng: Rng) {}
  nextId = () => this.id++;
  create(createdAt: number) {
    const repo = this.rng.pick(REPOS);
    const number = ++this.numbers;
    const made = makeItem(this.rng, repo, number, createdAt, this.nextId);
    this.items.set(`${repo}#${number}`, made);
    return `${repo}#${number}`;
  }
  data(): KpiData {
    const all = [...this.items.values()];
    return {
      repositories: REPOS.map((fullName) => ({ fullName, createdAt: START, synced: true })),
      items: all.map((x) => x.item),
      // The store returns events in no particular order.
      events: all.flatMap((x) => x.events).reverse(),
    };
  }
}

function reports(index: KpiIndex, s: KpiSettings) {
  const at = [START + 20 * DAY, START + 45 * DAY + 3_600_000, END - DAY, END + 30 * DAY];
  return at.flatMap((t) =>
    (["exact", "script"] as const).map((mode) =>
      computeKpi(
        index,
        { ...s, repositories: REPOS },
        reportWindows(Temporal.Instant.fromEpochMilliseconds(t), "America/Los_Angeles"),
        mode,
      ),
    ),
  );
}

const keys = (index: KpiIndex) => index.histories.map((h) => `${h.item.repo}#${h.item.number}`);

describe("KPI data brought up to date by changes", () => {
  it.each([1, 2, 3, 4, 5, 6])(
    "R2: seed %i: the updated data reports what a full reading reports",
    (seed) => {
      const rng = random(seed);
      const store = new Store(rng);
      for (let i = 0; i < 300; i++) store.create(START + rng.int(80 * DAY));
      let index = indexKpiData(store.data());
      for (let round = 0; round < 6; round++) {
        const changed = new Set<string>();
        const removed: { repo: string; number: number }[] = [];
        const existing = [...store.items.keys()];
        // Rewritten items: a new history from their creation on (labels, closings, drafts).
        for (let k = rng.int(15); k > 0; k--) {
          const key = rng.pick(existing);
          const old = store.items.get(key);
          if (!old) continue;
          const { item } = old;
          store.items.set(key, makeItem(rng, item.repo, item.number, item.createdAt, store.nextId));
          changed.add(key);
        }
        // New items, mostly the newest, some older than others (a repository added later).
        for (let k = rng.int(8); k > 0; k--) {
          changed.add(
            store.create(rng.next() < 0.7 ? END - rng.int(DAY) : START + rng.int(80 * DAY)),
          );
        }
        // Deleted items, and a name in the changes that never existed.
        for (let k = rng.int(4); k > 0; k--) {
          const key = rng.pick(existing);
          if (!store.items.delete(key)) continue;
          const [repo, n] = key.split("#") as [string, string];
          removed.push({ repo, number: Number(n) });
          changed.delete(key);
        }
        removed.push({ repo: "fleetdm/fleet", number: 99_999 });
        const delta = [...changed].map((k) => store.items.get(k)!);
        index = applyKpiDelta(index, {
          repositories: store.data().repositories,
          items: delta.map((x) => x.item),
          events: delta.flatMap((x) => x.events),
          removed,
        });
        const full = indexKpiData(store.data());
        expect(keys(index)).toEqual(keys(full));
        expect(index.firstInstant).toBe(full.firstInstant);
        expect([...index.positions].sort()).toEqual([...full.positions].sort());
        expect(reports(index, settings)).toEqual(reports(full, settings));
      }
    },
  );

  it("R2: an index is never changed by updating it: earlier reports stay as they were", () => {
    const rng = random(42);
    const store = new Store(rng);
    for (let i = 0; i < 50; i++) store.create(START + rng.int(80 * DAY));
    const before = indexKpiData(store.data());
    const snapshot = reports(before, settings);
    const key = [...store.items.keys()][0]!;
    const { item } = store.items.get(key)!;
    const again = makeItem(rng, item.repo, item.number, item.createdAt, store.nextId);
    applyKpiDelta(before, {
      repositories: store.data().repositories,
      items: [again.item],
      events: again.events,
      removed: [],
    });
    expect(reports(before, settings)).toEqual(snapshot);
  });
});
