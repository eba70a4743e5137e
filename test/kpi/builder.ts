// Builds KPI datasets by hand, as GitHub would record them: each change appends the issue event
// and updates the current row, so the rows and the events always agree (as after a sync).
import { Temporal } from "temporal-polyfill";
import type { KpiData, KpiEvent, KpiItem } from "../../src/rules/kpi/index.js";

export const FLEET = "fleetdm/fleet";
export const ms = (iso: string) => Temporal.Instant.from(iso).epochMilliseconds;

interface NewItem {
  at: string;
  labels?: string[];
  author?: string;
  authorType?: string;
  draft?: boolean;
  title?: string;
  repo?: string;
}

export class World {
  private readonly items = new Map<string, KpiItem & { labels: string[] }>();
  private readonly events: KpiEvent[] = [];
  readonly repositories = [
    { fullName: FLEET, createdAt: ms("2025-01-01T00:00:00Z"), synced: true },
  ];

  private add(number: number, pr: boolean, o: NewItem): this {
    const repo = o.repo ?? FLEET;
    const key = `${repo}#${number}`;
    if (this.items.has(key)) throw new Error(`${key} already exists in this world`);
    this.items.set(key, {
      repo,
      number,
      isPullRequest: pr,
      title: o.title ?? `${pr ? "PR" : "Issue"} ${number}`,
      author: o.author ?? "getvictor",
      authorType: o.authorType ?? "User",
      labels: [],
      draft: pr ? (o.draft ?? false) : null,
      state: "open",
      createdAt: ms(o.at),
      closedAt: null,
      mergedAt: null,
    });
    // Labels given at creation are recorded as `labeled` at the creation time, as GitHub does.
    for (const l of o.labels ?? []) this.label(number, o.at, l, repo);
    return this;
  }

  issue(number: number, o: NewItem): this {
    return this.add(number, false, o);
  }

  pr(number: number, o: NewItem): this {
    return this.add(number, true, o);
  }

  private get(number: number, repo = FLEET) {
    const item = this.items.get(`${repo}#${number}`);
    if (!item) throw new Error(`${repo}#${number} does not exist`);
    return item;
  }

  private event(number: number, at: string, event: string, label: string | null, repo = FLEET) {
    this.events.push({ repo, number, event, label, at: ms(at) });
  }

  label(number: number, at: string, name: string, repo = FLEET): this {
    const item = this.get(number, repo);
    if (!item.labels.includes(name)) item.labels.push(name);
    this.event(number, at, "labeled", name, repo);
    return this;
  }

  unlabel(number: number, at: string, name: string): this {
    const item = this.get(number);
    item.labels = item.labels.filter((l) => l !== name);
    this.event(number, at, "unlabeled", name);
    return this;
  }

  close(number: number, at: string): this {
    Object.assign(this.get(number), { state: "closed", closedAt: ms(at) });
    this.event(number, at, "closed", null);
    return this;
  }

  reopen(number: number, at: string): this {
    Object.assign(this.get(number), { state: "open", closedAt: null });
    this.event(number, at, "reopened", null);
    return this;
  }

  merge(number: number, at: string): this {
    Object.assign(this.get(number), { mergedAt: ms(at) });
    this.event(number, at, "merged", null);
    return this.close(number, at);
  }

  toDraft(number: number, at: string): this {
    this.get(number).draft = true;
    this.event(number, at, "convert_to_draft", null);
    return this;
  }

  ready(number: number, at: string): this {
    this.get(number).draft = false;
    this.event(number, at, "ready_for_review", null);
    return this;
  }

  data(): KpiData {
    return {
      repositories: this.repositories,
      items: [...this.items.values()].map((i) => ({ ...i, labels: [...i.labels].sort() })),
      events: [...this.events],
    };
  }
}
