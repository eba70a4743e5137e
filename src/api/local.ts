import { randomUUID } from "node:crypto";
import { Temporal } from "temporal-polyfill";
import type { EffectApplier, EffectResult } from "../effects/executor.js";
import type { Plan } from "../effects/plan.js";
import { BosunError } from "../errors.js";
import { FULL_SYNC } from "../github/sync.js";
import type { Runbook } from "../handbook/runbook-model.js";
import type { HandbookConfig } from "../handbook/schema.js";
import type { DeployAnswer } from "../rules/deploy-guard/index.js";
import type { CommitPlacer } from "../rules/deploy-guard/load.js";
import type { KpiView } from "../rules/kpi/view.js";
import { decide } from "../runtime/decide.js";
import type { SyncStateView } from "../runtime/sync-state.js";
import type { Store } from "../store/index.js";
import type { AuditEntry } from "../store/types.js";
import { parseInstant } from "../time/instant.js";
import { auditView } from "./audit-view.js";
import { type KpiHistoryView, type KpiOptions, kpiHistory, kpiReport } from "./kpi.js";
import {
  type CalendarQuery,
  type CalendarView,
  calendarView,
  type DeployCheckRequest,
  type DeployRecordRequest,
  type DeployRecordView,
  deployCheck,
  deployRecord,
  type ReleaseTrainView,
  releaseTrainView,
} from "./release.js";
import {
  getRunbook,
  listRunbooks,
  type OpenRunbookOptions,
  openRunbook,
  type RitualsQuery,
  type RitualsView,
  type RunbookSummary,
  ritualsView,
} from "./rituals.js";
import { resolveTargets } from "./targets.js";
import type {
  AuditView,
  DataSource,
  NotificationView,
  RepositoryView,
  StatusView,
} from "./views.js";

/** `parseInstant`, its RangeError as bad input (same message): the instant came from the user. */
function parseAt(text: string): Temporal.Instant {
  try {
    return parseInstant(text);
  } catch (err) {
    throw new BosunError("bad-input", (err as Error).message, { cause: err });
  }
}

/** Reads straight from a store this process holds. */
export class LocalData implements DataSource {
  constructor(
    private readonly store: Store,
    private readonly config: HandbookConfig,
    private readonly location: string,
    private readonly clock: () => Temporal.Instant = () => Temporal.Now.instant(),
    private readonly syncState?: () => SyncStateView,
  ) {}

  private repoNames(): string[] {
    return this.config.repositories.map((r) => `${this.config.organisation}/${r.name}`);
  }

  async status(): Promise<StatusView> {
    const repositories: RepositoryView[] = [];
    for (const fullName of this.repoNames()) {
      const cursor = await this.store.getCursor(fullName, FULL_SYNC);
      repositories.push({
        fullName,
        synced: cursor?.cursor === "complete",
        lastSyncedAt: cursor?.updatedAt,
        issues: await this.store.countIssues({ repo: fullName, kind: "issue" }),
        pullRequests: await this.store.countIssues({ repo: fullName, kind: "pull" }),
      });
    }
    return {
      generatedAt: this.clock().toString(),
      store: {
        backend: this.store.backend,
        schemaVersion: await this.store.schemaVersion(),
        location: this.location,
      },
      repositories,
      sync: this.syncState?.() ?? { running: false, runs: 0 },
      counts: { ...(await this.store.stats()) },
      recent: (await this.store.listAudit({ limit: 20 })).map(auditView),
    };
  }

  async audit(query: { target?: string; limit: number }): Promise<AuditView[]> {
    if (!query.target) return (await this.store.listAudit({ limit: query.limit })).map(auditView);
    const entries: AuditEntry[] = [];
    for (const target of resolveTargets(query.target, this.config)) {
      entries.push(...(await this.store.auditForTarget(target, { limit: query.limit })));
    }
    const unique = new Map(entries.map((e) => [e.id, e]));
    return [...unique.values()]
      .sort((a, b) => b.id - a.id)
      .slice(0, query.limit)
      .map(auditView);
  }

  async notifications(query: { limit: number }): Promise<NotificationView[]> {
    return (await this.store.listNotifications({ limit: query.limit })).map((n) => ({
      postedAt: n.postedAt,
      ...(n.editedAt ? { editedAt: n.editedAt } : {}),
      channel: n.channel,
      ...(n.subject ? { subject: n.subject } : {}),
      mode: n.mode,
      reply: n.threadTs !== null,
      edits: n.edits,
      text: n.text,
    }));
  }

  async plan(at?: string): Promise<Plan> {
    const now = at === undefined ? this.clock() : parseAt(at);
    return decide(this.store, this.config, now, `plan-${randomUUID()}`);
  }

  kpi(asOf: string | undefined, options: KpiOptions): Promise<KpiView> {
    return kpiReport(this.store, this.config, this.clock(), asOf, options);
  }

  kpiHistory(options: { weeks?: number }): Promise<KpiHistoryView> {
    return kpiHistory(this.store, this.config, this.clock(), options);
  }

  // --- rituals and runbooks (api/rituals.ts) ---
  /** Applies `openRunbook`'s issue when set (the runtime's GitHub client); without it, a dry run. */
  applier?: EffectApplier;
  readonly owner = `local:${randomUUID().slice(0, 8)}`;

  rituals(query: RitualsQuery): Promise<RitualsView> {
    return ritualsView(this.store, this.config, this.clock(), query);
  }

  runbooks(): Promise<RunbookSummary[]> {
    return listRunbooks(this.store);
  }

  runbook(anchor: string): Promise<Runbook> {
    return getRunbook(this.store, anchor);
  }

  async importRunbooks(runbooks: Runbook[]): Promise<{ stored: number }> {
    await this.store.putRunbooks(runbooks);
    return { stored: runbooks.length };
  }

  openRunbook(anchor: string, options: OpenRunbookOptions): Promise<EffectResult> {
    return openRunbook(
      { store: this.store, config: this.config, applier: this.applier, owner: this.owner },
      anchor,
      options,
      this.clock(),
    );
  }

  // --- release train and deploy guard (api/release.ts) ---
  releaseCalendar(query: CalendarQuery): Promise<CalendarView> {
    return calendarView(this.store, this.config, this.clock(), query);
  }

  releaseTrain(): Promise<ReleaseTrainView> {
    return releaseTrainView(this.store, this.config, this.clock());
  }

  /** R28: places commits through GitHub's compare API when set (a GitHub client's adapter). */
  placer?: CommitPlacer;

  deployCheck(request: DeployCheckRequest): Promise<DeployAnswer> {
    return deployCheck(this.store, this.config, this.clock(), request, this.placer);
  }

  deployRecord(request: DeployRecordRequest): Promise<DeployRecordView> {
    return deployRecord(this.store, this.config, this.clock(), request);
  }
}
