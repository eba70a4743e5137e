// Scheduled work that is not a GitHub effect (for example storing a weekly KPI snapshot).
// Every job must be safe to run in several Bosun processes at once and to run late: it
// converges on what should exist at `now` (for example by a unique key in the store).
import type { Temporal } from "temporal-polyfill";
import { kpiSnapshotJob } from "../api/kpi.js";
import type { GitHubClient } from "../github/client.js";
import type { HandbookConfig } from "../handbook/schema.js";
import type { Store } from "../store/index.js";
import { peopleJob } from "./people-job.js";

export interface JobContext {
  store: Store;
  config: HandbookConfig;
  now: Temporal.Instant;
  /** GitHub, for jobs that read it; absent when Bosun runs without a client. */
  client?: GitHubClient;
}

export interface ScheduledJob {
  name: string;
  /** How often the job is looked at; it decides itself whether anything is due. */
  everyMs: number;
  /** Returns a one-line summary of what it did, for the log, or nothing. */
  run(ctx: JobContext): Promise<string | undefined>;
}

/** Keeps the planner's statistics current as the store grows (PGlite has no autovacuum). */
export const statisticsJob: ScheduledJob = {
  name: "store-statistics",
  everyMs: 10 * 60_000,
  async run({ store }: JobContext) {
    const tables = await store.refreshStatistics();
    return tables.length > 0 ? `planner statistics refreshed: ${tables.join(", ")}` : undefined;
  },
};

/** Every scheduled job `bosun serve` and `bosun preview` run. */
export const JOBS: ScheduledJob[] = [kpiSnapshotJob, statisticsJob, peopleJob];
