// The read models the CLI, the JSON API and the dashboard share; the CLI gets them from the
// store directly or from a running server, and prints the same thing either way.
import type { EffectResult } from "../effects/executor.js";
import type { Plan } from "../effects/plan.js";
import type { Runbook } from "../handbook/runbook-model.js";
import type { DeployAnswer } from "../rules/deploy-guard/index.js";
import type { KpiView } from "../rules/kpi/view.js";
import type { SyncStateView } from "../runtime/sync-state.js";
import type { KpiHistoryView, KpiOptions } from "./kpi.js";
import type {
  CalendarQuery,
  CalendarView,
  DeployCheckRequest,
  DeployRecordRequest,
  DeployRecordView,
  ReleaseTrainView,
} from "./release.js";
import type { OpenRunbookOptions, RitualsQuery, RitualsView, RunbookSummary } from "./rituals.js";

export interface AuditView {
  key: string;
  at: string;
  rule: string;
  target: string;
  effectType: string;
  status: string;
  reason: string;
  /** What happened, in one readable line. */
  line: string;
  error?: string;
}

/** A message Bosun posted to Slack, for the dashboard's Notifications and `GET /api/notifications`. */
export interface NotificationView {
  postedAt: string;
  editedAt?: string;
  /** As the setting named it ("#help-engineering"). */
  channel: string;
  /** What it is about ("rc-cut:4.62.0"). */
  subject?: string;
  /** "app" (bot token) or "webhook" (incoming webhook: no threads, no edits). */
  mode: string;
  /** A follow-up in an earlier message's thread. */
  reply: boolean;
  edits: number;
  /** The text as Slack got it (escaped, people mentioned). */
  text: string;
}

export interface RepositoryView {
  fullName: string;
  synced: boolean;
  lastSyncedAt?: string;
  issues: number;
  pullRequests: number;
}

export interface StatusView {
  generatedAt: string;
  store: { backend: string; schemaVersion: number; location: string };
  repositories: RepositoryView[];
  sync: SyncStateView;
  counts: Record<string, number>;
  recent: AuditView[];
}

export interface DataSource {
  status(): Promise<StatusView>;
  audit(query: { target?: string; limit: number }): Promise<AuditView[]>;
  /** Every message posted to Slack, newest first; `GET /api/notifications?limit=`. */
  notifications(query: { limit: number }): Promise<NotificationView[]>;
  plan(at?: string): Promise<Plan>;
  /** The KPI report (R1, R2) as of `asOf` (default now); `GET /api/kpi?asOf=`. */
  kpi(asOf: string | undefined, options: KpiOptions): Promise<KpiView>;
  /** Each KPI at the past weeks' boundaries and the current week; `GET /api/kpi/history`. */
  kpiHistory(options: { weeks?: number }): Promise<KpiHistoryView>;
  /** Upcoming ritual occurrences and filed ritual issues (R47); `GET /api/rituals?from=&to=`. */
  rituals(query: RitualsQuery): Promise<RitualsView>;
  /** Imported runbooks (R48); `GET /api/runbooks`. */
  runbooks(): Promise<RunbookSummary[]>;
  /** One runbook by anchor or alias; `GET /api/runbooks/:anchor`. */
  runbook(anchor: string): Promise<Runbook>;
  /** Stores runbooks, replacing those of the same anchor; `POST /api/runbooks`. */
  importRunbooks(runbooks: Runbook[]): Promise<{ stored: number }>;
  /** Opens an issue from a runbook through the executor; `POST /api/runbooks/:anchor/open`. */
  openRunbook(anchor: string, options: OpenRunbookOptions): Promise<EffectResult>;
  /** The release calendar (R14, R9, R11, R32); `GET /api/calendar?from=&to=`. */
  releaseCalendar(query: CalendarQuery): Promise<CalendarView>;
  /** Sprint, branch states, next transitions, merge-gate verdicts; `GET /api/release-train`. */
  releaseTrain(): Promise<ReleaseTrainView>;
  /** R27-R29: may this image be deployed now (or `at`)? `POST /api/deploy/check`. */
  deployCheck(request: DeployCheckRequest): Promise<DeployAnswer>;
  /** R28: records what runs in an environment; `POST /api/deploy/record`. */
  deployRecord(request: DeployRecordRequest): Promise<DeployRecordView>;
}
