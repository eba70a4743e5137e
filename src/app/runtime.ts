// The long-running side of Bosun, shared by `serve` and `preview`: keep the store in step with
// GitHub, decide, apply through the executor, and serve what happened.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { Temporal } from "temporal-polyfill";
import { type EffectResult, execute } from "../effects/executor.js";
import { GitHubApplier } from "../github/applier.js";
import type { GitHubClient } from "../github/client.js";
import { type SyncReport, syncRepository } from "../github/sync.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { summarizeConfig } from "../handbook/summary.js";
import { describeRules } from "../rules/index.js";
import { buildServer } from "../server/app.js";
import type { Store } from "../store/index.js";
import { JOBS, type ScheduledJob } from "./jobs.js";
import { LocalData } from "./local.js";
import { SyncState } from "./sync-state.js";

export interface RuntimeOptions {
  config: HandbookConfig;
  store: Store;
  /** Where the store lives, as shown to people. */
  location: string;
  /** Without a client Bosun serves what it has but neither syncs nor applies. */
  client?: GitHubClient;
  /** Record what would be applied, apply nothing. */
  dryRun: boolean;
  /** At most this many GitHub writes per decision run. */
  budget?: number;
  logger?: FastifyServerOptions["logger"];
  clock?: () => Temporal.Instant;
}

export class Runtime {
  readonly sync = new SyncState();
  readonly data: LocalData;
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly clock: () => Temporal.Instant;
  private app?: FastifyInstance;
  private timers: NodeJS.Timeout[] = [];
  private busy: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly options: RuntimeOptions,
    private readonly jobs: readonly ScheduledJob[] = JOBS,
  ) {
    this.clock = options.clock ?? (() => Temporal.Now.instant());
    this.data = new LocalData(options.store, options.config, options.location, this.clock, () =>
      this.sync.snapshot(),
    );
  }

  get repositories(): string[] {
    const { organisation, repositories } = this.options.config;
    return repositories.map((r) => `${organisation}/${r.name}`);
  }

  async server(): Promise<FastifyInstance> {
    this.app ??= await buildServer({
      data: this.data,
      summary: () => summarizeConfig(this.options.config, this.clock()),
      rules: describeRules(),
      logger: this.options.logger,
    });
    return this.app;
  }

  private log(level: "info" | "warn" | "error", obj: object, msg: string) {
    this.app?.log[level](obj, msg);
  }

  /** Syncs every configured repository in turn; a failure is recorded and the next run resumes. */
  syncOnce(): Promise<SyncReport[]> {
    const run = this.busy.then(async () => {
      const client = this.options.client;
      if (!client) return [];
      this.sync.started();
      const reports: SyncReport[] = [];
      try {
        for (const repo of this.repositories) {
          const report = await syncRepository(
            { client, store: this.options.store, onProgress: this.sync.progress },
            repo,
          );
          reports.push(report);
          this.log("info", { sync: report }, `synced ${repo}`);
        }
        this.sync.finished(this.clock().toString());
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.sync.finished(this.clock().toString(), message);
        this.log("warn", { err: message }, "sync stopped; the next run resumes where it stopped");
        throw err;
      }
      return reports;
    });
    this.busy = run.catch(() => undefined);
    return run;
  }

  /** Decides over the store as it is now and applies the plan through the executor. */
  async decideAndApply(): Promise<EffectResult[]> {
    const client = this.options.client;
    const plan = await this.data.plan();
    if (plan.effects.length === 0) return [];
    const results = await execute(plan, new GitHubApplier(client!), this.options.store, {
      dryRun: this.options.dryRun || !client,
      owner: this.owner,
      budget: this.options.budget ?? 50,
    });
    for (const r of results)
      this.log(r.status === "failed" ? "warn" : "info", { effect: r }, `${r.status}: ${r.line}`);
    return results;
  }

  /** Periodic incremental sync (webhooks keep the store current in between) and decisions. */
  startLoops(intervals: { syncMs: number; decideMs: number }): void {
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const tick = async () => {
        if (this.stopped) return;
        await fn().catch(() => undefined);
        if (!this.stopped) this.timers.push(setTimeout(tick, ms).unref());
      };
      this.timers.push(setTimeout(tick, ms).unref());
    };
    if (this.options.client) every(intervals.syncMs, () => this.syncOnce());
    every(intervals.decideMs, () => this.decideAndApply());
    for (const job of this.jobs) {
      every(job.everyMs, async () => {
        const ctx = { store: this.options.store, config: this.options.config, now: this.clock() };
        try {
          const done = await job.run(ctx);
          if (done) this.log("info", { job: job.name }, done);
        } catch (err) {
          this.log(
            "warn",
            { job: job.name, err: (err as Error).message },
            `job ${job.name} failed; it runs again later`,
          );
        }
      });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await this.busy;
    await this.app?.close();
  }
}
