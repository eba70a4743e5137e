// Test-only: builds the weekly post's input: the repositories with their sync state, the issues
// the stored weekly snapshot counts (each label recorded as `labeled` at creation, as GitHub
// does), that snapshot, and the weeks already posted. Refuses a second issue with the same
// number in a repository, and a week posted twice.
import { Temporal } from "temporal-polyfill";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { RepositoryState } from "../rule.js";
import { indexKpiData } from "./asof.js";
import { type KpiEvent, type KpiItem, kpiSettings } from "./model.js";
import type { KpiPostInput, KpiSnapshotPart } from "./post.js";
import { kpiView } from "./view.js";
import { reportWindows } from "./week.js";

export const FLEET = "fleetdm/fleet";
const ms = (iso: string) => Temporal.Instant.from(iso).epochMilliseconds;

export interface NewKpiIssue {
  at: string;
  labels?: string[];
  repo?: string;
}

export class KpiPostState {
  private readonly repos = new Map<string, RepositoryState>();
  private readonly items = new Map<string, KpiItem>();
  private readonly events: KpiEvent[] = [];
  private readonly weeks = new Set<string>();
  private latest: KpiSnapshotPart["latestWeekly"] = null;

  /** Declares a repository; fleetdm/fleet, synced, when none is declared. */
  repository(fullName: string, o: { synced?: boolean } = {}): this {
    if (this.repos.has(fullName)) throw new Error(`${fullName} is already in this state`);
    this.repos.set(fullName, { fullName, synced: o.synced ?? true, labels: [] });
    return this;
  }

  /** An open issue opened at `at` by a maintainer. */
  issue(number: number, o: NewKpiIssue): this {
    const repo = o.repo ?? FLEET;
    const key = `${repo}#${number}`;
    if (this.items.has(key)) throw new Error(`${key} already exists in this state`);
    const labels = [...(o.labels ?? [])];
    this.items.set(key, {
      repo,
      number,
      isPullRequest: false,
      title: `Issue ${number}`,
      author: "getvictor",
      authorType: "User",
      labels: [...labels].sort(),
      draft: null,
      state: "open",
      createdAt: ms(o.at),
      closedAt: null,
      mergedAt: null,
    });
    for (const label of labels)
      this.events.push({ repo, number, event: "labeled", label, at: ms(o.at) });
    return this;
  }

  /** The weekly snapshot stored at `asOf`, of the issues added so far. */
  weekly(asOf: string, config: HandbookConfig): this {
    const repositories = [...this.repositoryStates()].map((r) => ({
      fullName: r.fullName,
      createdAt: ms("2025-01-01T00:00:00Z"),
      synced: true,
    }));
    const data = { repositories, items: [...this.items.values()], events: [...this.events] };
    const view = kpiView(
      indexKpiData(data),
      kpiSettings(config),
      reportWindows(Temporal.Instant.from(asOf), config.calendar.timeZone),
    );
    this.latest = { asOf, view };
    return this;
  }

  /** Weeks (`YYYY-MM-DD`) whose report is already on GitHub. */
  posted(...weeks: string[]): this {
    for (const week of weeks) {
      if (this.weeks.has(week)) throw new Error(`the week ${week} is already posted in this state`);
      this.weeks.add(week);
    }
    return this;
  }

  input(): KpiPostInput {
    return {
      repositories: this.repositoryStates().map((r) => ({ ...r, labels: [] })),
      kpi: { latestWeekly: this.latest, postedWeeks: [...this.weeks] },
    };
  }

  private repositoryStates(): RepositoryState[] {
    if (this.repos.size === 0) this.repository(FLEET);
    return [...this.repos.values()];
  }
}
