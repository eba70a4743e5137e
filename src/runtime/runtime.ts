// The long-running side of Bosun, shared by `serve` and `preview`: keep the store in step with
// GitHub, decide, apply through the executor, and serve what happened.

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { Temporal } from "temporal-polyfill";
import { kpiIndex } from "../api/kpi.js";
import { LocalData } from "../api/local.js";
import { type EffectApplier, type EffectResult, execute } from "../effects/executor.js";
import type { Plan } from "../effects/plan.js";
import { GitHubApplier } from "../github/applier.js";
import type { GitHubClient } from "../github/client.js";
import { githubCommitPlacer } from "../github/compare.js";
import { storeEtags } from "../github/etags.js";
import { checkLogins } from "../github/logins.js";
import { syncPullCommits } from "../github/pull-commits.js";
import { syncPullFiles } from "../github/pull-files.js";
import { type SyncReport, syncRepository } from "../github/sync.js";
import { formatConfigError } from "../handbook/config-error.js";
import { roleLogins } from "../handbook/people.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { summarizeConfig } from "../handbook/summary.js";
import { type Notifier, previewMessage } from "../notify/index.js";
import { describeRules } from "../rules/index.js";
import type { AnyPlanningRule, Scope } from "../rules/rule.js";
import { buildServer } from "../server/app.js";
import type { ApiAuth } from "../server/auth.js";
import { assessReadiness, type Probes } from "../server/probes.js";
import type { Store } from "../store/index.js";
import { decide } from "./decide.js";
import { JOBS, type ScheduledJob } from "./jobs.js";
import { msToNextInstant, routeDelivery } from "./routing.js";
import { SyncState } from "./sync-state.js";
import type { WebhookIntake } from "./webhooks.js";
import { StoreWriteThrough } from "./write-through.js";

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
  /** Applies effects instead of the GitHub client (benchmarks, tests). */
  applier?: EffectApplier;
  /** `POST /webhooks/github` and its worker; deliveries applied trigger decisions. */
  webhooks?: WebhookIntake;
  logger?: FastifyServerOptions["logger"];
  clock?: () => Temporal.Instant;
  /** Where `notify` effects go (Slack, src/notify/); without one they fail as not delivered. */
  notifier?: Notifier;
  /** A running sync silent this long makes `/readyz` answer not ready (default 5 min). */
  syncStallMs?: number;
  /** The configuration's file: problems only GitHub can reveal (a board's columns) name its lines. */
  configFile?: string;
  /** Who may write and read over HTTP (src/server/auth.ts); left out, nothing is checked. */
  auth?: ApiAuth;
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
  /** Why the runtime stops (a signal's name), once it does; see stop(). */
  private stopping?: string;
  private stopDone?: Promise<void>;
  /** Aborted by stop(): a sync ends after its current page, a decision run after its current effect. */
  private readonly abort = new AbortController();
  private readonly startedAt = Date.now();
  private schemaVersion?: number;
  // Prompt decisions: one run at a time, requests during a run fold into one more.
  private deciding: Promise<unknown> = Promise.resolve();
  private decisionTimer?: NodeJS.Timeout;
  private decisionRequested?: Promise<EffectResult[]>;
  private transitionTimer?: NodeJS.Timeout;

  constructor(
    private readonly options: RuntimeOptions,
    private readonly jobs: readonly ScheduledJob[] = JOBS,
  ) {
    this.clock = options.clock ?? (() => Temporal.Now.instant());
    this.data = new LocalData(options.store, options.config, options.location, this.clock, () =>
      this.sync.snapshot(),
    );
    // Deploy checks place commits through the same client (a read: dry runs too).
    if (options.client)
      this.data.placer = githubCommitPlacer(options.client, storeEtags(options.store));
    // Commands a server runs for the CLI (such as `bosun runbook open`) write through the same applier.
    if (!options.dryRun)
      this.data.applier =
        options.applier ?? (options.client ? this.githubApplier(options.client) : undefined);
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
      webhooks: this.options.webhooks?.deps,
      probes: this.probes(),
      auth: this.options.auth,
    });
    return this.app;
  }

  /** `/healthz` (alive: no store query after the first) and `/readyz` (store, migrations, first sync). */
  private probes(): Probes {
    const store = this.options.store;
    return {
      health: async () => {
        this.schemaVersion ??= await store.schemaVersion();
        return {
          uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
          store: {
            backend: store.backend,
            schemaVersion: this.schemaVersion,
            location: this.options.location,
          },
          ...(this.stopping ? { stopping: this.stopping } : {}),
        };
      },
      readiness: async () => {
        let answer: { schemaVersion: number } | { error: string };
        try {
          answer = { schemaVersion: await store.schemaVersion() };
        } catch (err) {
          answer = { error: (err as Error).message };
        }
        return assessReadiness({
          store: answer,
          sync: this.options.client ? this.sync.snapshot() : "off",
          stopping: this.stopping,
          now: Date.now(),
          ...(this.options.syncStallMs ? { syncStallMs: this.options.syncStallMs } : {}),
        });
      },
    };
  }

  private log(level: "info" | "warn" | "error", obj: object, msg: string) {
    this.app?.log[level](obj, msg);
  }

  /** Syncs every configured repository in turn; a failure is recorded and the next run resumes. */
  syncOnce(): Promise<SyncReport[]> {
    const run = this.busy.then(async () => {
      const client = this.options.client;
      if (!client || this.stopped) return [];
      this.sync.started();
      const reports: SyncReport[] = [];
      const signal = this.abort.signal;
      try {
        for (const repo of this.repositories) {
          signal.throwIfAborted();
          const report = await syncRepository(
            { client, store: this.options.store, onProgress: this.sync.progress, signal },
            repo,
          );
          reports.push(report);
          this.log("info", { sync: report }, `synced ${repo}`);
        }
        await this.afterSync();
        try {
          const logins = await checkLogins(
            client,
            this.options.store,
            roleLogins(this.options.config),
          );
          if (logins.missing.length > 0)
            this.log("warn", { logins: logins.missing }, "configured logins GitHub does not know");
        } catch (err) {
          this.log(
            "warn",
            { err: (err as Error).message },
            "logins not checked; the next sync tries again",
          );
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

  /** Keeps reads fast after a sync: planner statistics after a bulk load, the KPI data warm. */
  private async afterSync(): Promise<void> {
    const analyzed = await this.options.store.refreshStatistics();
    if (analyzed.length > 0) this.log("info", { tables: analyzed }, "planner statistics refreshed");
    if (this.options.config.repositories.some((r) => r.kpi)) {
      // The first KPI report after start-up reads the whole store; later ones only changes.
      void kpiIndex(this.options.store, this.options.config).catch((err: unknown) => {
        if (!this.stopped) this.log("warn", { err: (err as Error).message }, "KPI data not loaded");
      });
    }
  }

  /**
   * Decides over the store as it is now and applies the plan through the executor. Runs one
   * at a time: a call while another runs waits for it, then decides on what is stored then.
   */
  decideAndApply(): Promise<EffectResult[]> {
    if (this.stopped) return Promise.resolve([]);
    const run = this.deciding.then(() => (this.stopped ? [] : this.decideAndApplyNow()));
    this.deciding = run.catch(() => undefined);
    return run;
  }

  /**
   * Asks for a decision run soon (after `delayMs`), folding requests that arrive meanwhile into
   * one: a burst of webhooks costs one run. Resolves with that run's results.
   */
  requestDecision(delayMs = 200): Promise<EffectResult[]> {
    if (this.stopped) return Promise.resolve([]);
    if (this.decisionRequested) return this.decisionRequested;
    const requested = new Promise<EffectResult[]>((resolve, reject) => {
      this.decisionTimer = setTimeout(() => {
        this.decisionRequested = undefined;
        this.decisionTimer = undefined;
        this.decideAndApply().then(resolve, reject);
      }, delayMs);
      this.decisionTimer.unref();
    });
    this.decisionRequested = requested;
    requested.catch((err: unknown) =>
      this.log("warn", { err: (err as Error).message }, "requested decision run failed"),
    );
    return requested;
  }

  /**
   * Tells the runtime a webhook delivery was applied. The rules that declared its event decide
   * again: at once and only for what it touches when each of them names a scope (a pull
   * request's own event), else in the next folded run.
   */
  async deliveryProcessed(deliveryId: string): Promise<void> {
    if (this.stopped) return;
    const delivery = await this.options.store.getDelivery(deliveryId);
    if (!delivery || delivery.error) return;
    const route = routeDelivery(delivery);
    if (!route) return;
    if (route.scope && this.repositories.includes(route.scope.repo)) {
      void this.decideScoped(route.rules, route.scope).catch((err: unknown) =>
        this.log("warn", { err: (err as Error).message }, "scoped decision failed"),
      );
    } else {
      void this.requestDecision().catch(() => undefined);
    }
  }

  /** Some rules over one repository's few issues or pull requests, applied through the executor. */
  decideScoped(
    rules: readonly AnyPlanningRule[],
    scope: Scope & { repo: string },
  ): Promise<EffectResult[]> {
    if (this.stopped) return Promise.resolve([]);
    const run = this.deciding.then(async () => {
      if (this.stopped) return [];
      await this.syncBeforeDecision([scope.repo], scope.numbers);
      if (this.stopped) return [];
      const plan = await decide(
        this.options.store,
        this.options.config,
        this.clock(),
        `scoped-${randomUUID()}`,
        { rules, scope },
      );
      return this.applyPlan(plan);
    });
    this.deciding = run.catch(() => undefined);
    return run;
  }

  /**
   * What decisions read that webhooks do not carry, per pull request head: changed files, commits
   * and the comparison with the latest release tag.
   */
  private async syncBeforeDecision(
    repos: readonly string[],
    numbers?: readonly number[],
  ): Promise<void> {
    const client = this.options.client;
    if (!client) return;
    const signal = this.abort.signal;
    for (const repo of repos) {
      if (signal.aborted) return;
      try {
        await syncPullFiles(
          { client, store: this.options.store, signal },
          repo,
          numbers ? { only: numbers } : undefined,
        );
      } catch (err) {
        if (signal.aborted) return;
        this.log("warn", { repo, err: (err as Error).message }, "pull request files not read");
      }
      // R7/R8: the commits' messages, and the head compared with the latest release tag.
      try {
        const report = await syncPullCommits(
          { client, store: this.options.store, signal },
          repo,
          this.options.config.releaseTrain,
          numbers ? { only: numbers } : undefined,
        );
        if (report.failed.length > 0)
          this.log("warn", { repo, failed: report.failed }, "release tag comparisons not read");
      } catch (err) {
        if (signal.aborted) return;
        this.log("warn", { repo, err: (err as Error).message }, "pull request commits not read");
      }
    }
  }

  private async decideAndApplyNow(): Promise<EffectResult[]> {
    await this.syncBeforeDecision(this.repositories);
    if (this.stopped) return [];
    return this.applyPlan(await this.data.plan());
  }

  /** GitHub writes through the client, messages through the notifier. */
  private githubApplier(client: GitHubClient): GitHubApplier {
    const notifier = this.options.notifier;
    return new GitHubApplier(client, notifier ? (effect) => notifier.notify(effect) : undefined);
  }

  /**
   * Asks Slack once whether the notifier's credentials work (`auth.test`) and says what the mode
   * cannot do; a problem is logged with the setting to fix, and the rest of Bosun runs on.
   */
  async checkNotifier(): Promise<{ ok: boolean; message: string } | undefined> {
    const notifier = this.options.notifier;
    if (!notifier || this.options.dryRun) return undefined;
    const answer = await notifier.check();
    if (answer.ok) this.log("info", { notifier: notifier.mode }, `Slack ${answer.message}`);
    else this.log("warn", { notifier: notifier.mode }, `Slack: ${answer.message}`);
    for (const limitation of notifier.limitations)
      this.log("warn", { notifier: notifier.mode }, limitation);
    return answer;
  }

  /**
   * Boards named in the configuration, checked against GitHub once at start: a project, field or
   * column that does not exist is logged with its file and line and the columns that do; moves
   * to it fail (not retried) while the rest of Bosun runs on.
   */
  async checkBoards(): Promise<string[]> {
    const { client, configFile, config } = this.options;
    if (!client || !configFile || Object.keys(config.boards).length === 0) return [];
    const { boardProblemsInFile } = await import("../github/projects.js");
    const problems = (await boardProblemsInFile(client, configFile, config.boards)).map(
      formatConfigError,
    );
    for (const problem of problems) this.log("warn", { boards: true }, problem);
    return problems;
  }

  private async applyPlan(plan: Plan): Promise<EffectResult[]> {
    const client = this.options.client;
    if (plan.effects.length === 0) return [];
    const applier = new StoreWriteThrough(
      this.options.applier ?? this.githubApplier(client!),
      this.options.store,
      this.clock,
    );
    const results = await execute(plan, applier, this.options.store, {
      dryRun: this.options.dryRun || (!client && !this.options.applier),
      owner: this.owner,
      budget: this.options.budget ?? 50,
      signal: this.abort.signal,
    });
    for (const r of results)
      this.log(r.status === "failed" ? "warn" : "info", { effect: r }, `${r.status}: ${r.line}`);
    // A dry run prints each message as Slack would get it, instead of posting it.
    for (const p of plan.effects) {
      if (
        p.effect.type !== "notify" ||
        !results.some((r) => r.key === p.key && r.status === "dry-run")
      )
        continue;
      const message = previewMessage(p.effect, this.options.config.slack);
      this.log(
        "info",
        { notify: message },
        `dry run, not posted to ${message.channel}: ${message.text}`,
      );
    }
    return results;
  }

  /** Starts applying stored webhook deliveries (after `server()`, whose log it uses). */
  async startWebhooks(): Promise<void> {
    const app = await this.server();
    await this.options.webhooks?.start(
      app.log,
      (id) => void this.deliveryProcessed(id).catch(() => undefined),
    );
  }

  /** Periodic incremental sync (webhooks keep the store current in between) and decisions. */
  startLoops(intervals: { syncMs: number; decideMs: number }): void {
    void this.checkNotifier().catch(() => undefined);
    void this.checkBoards().catch((err: Error) =>
      this.log("warn", { boards: true }, `boards not checked: ${err.message}`),
    );
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
    this.scheduleTransition();
    for (const job of this.jobs) {
      every(job.everyMs, async () => {
        const ctx = {
          store: this.options.store,
          config: this.options.config,
          now: this.clock(),
          client: this.options.client,
        };
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

  /**
   * Decides right after the next instant a rule declared (a freeze, an RC cut, a release), so
   * verdicts change at the configured instant rather than at the next periodic run.
   */
  private scheduleTransition(): void {
    if (this.stopped) return;
    const next = msToNextInstant(this.options.config, this.clock());
    // Timers hold at most ~24.8 days; a far instant is looked at again within a day.
    const wait = Math.min(next.ms + 1_000, 86_400_000);
    this.transitionTimer = setTimeout(() => {
      if (this.stopped) return;
      if (next.ms + 1_000 <= wait) {
        this.log("info", { instant: next.what, at: next.at }, next.what);
        void this.requestDecision(0).catch(() => undefined);
      }
      this.scheduleTransition();
    }, wait);
    this.transitionTimer.unref();
  }

  /**
   * Stops taking work and lets what is in hand end: the HTTP server refuses new connections and
   * answers those in flight; loops and timers stop; the webhook worker finishes the batch it
   * holds (deliveries are stored before they are answered, so none is lost); a sync stops after
   * its current page (the next start resumes there) and a decision run after its current
   * effect, which is finished and recorded; effects not yet claimed wait for the next run.
   * The store stays open for the caller to close (its lock goes with it).
   */
  stop(reason = "stop"): Promise<void> {
    this.stopDone ??= this.stopNow(reason);
    return this.stopDone;
  }

  private async stopNow(reason: string): Promise<void> {
    this.stopped = true;
    this.stopping = reason;
    this.abort.abort(new Error(`Bosun is stopping (${reason})`));
    for (const t of this.timers) clearTimeout(t);
    if (this.decisionTimer) clearTimeout(this.decisionTimer);
    if (this.transitionTimer) clearTimeout(this.transitionTimer);
    const http = this.app?.close();
    const webhooks = this.options.webhooks
      ?.stop()
      .catch((err: unknown) =>
        this.log("warn", { err: (err as Error).message }, "webhook worker did not stop cleanly"),
      );
    await Promise.all([webhooks, this.deciding, this.busy]);
    await http;
  }
}
