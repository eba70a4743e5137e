import type { KpiHistoryView, KpiOptions } from "../api/kpi.js";
import type {
  CalendarQuery,
  CalendarView,
  DeployCheckRequest,
  DeployRecordRequest,
  DeployRecordView,
  ReleaseTrainView,
} from "../api/release.js";
import type {
  OpenRunbookOptions,
  RitualsQuery,
  RitualsView,
  RunbookSummary,
} from "../api/rituals.js";
import type { AuditView, DataSource, NotificationView, StatusView } from "../api/views.js";
import type { EffectResult } from "../effects/executor.js";
import type { Plan } from "../effects/plan.js";
import { BosunError, fromWire } from "../errors.js";
import type { Runbook } from "../handbook/runbook-model.js";
import type { DeployAnswer } from "../rules/deploy-guard/index.js";
import type { KpiView } from "../rules/kpi/view.js";

/**
 * The same reads as {@link LocalData}, through a running Bosun server's JSON API. The server's
 * errors arrive as the BosunError it threw (same code, same message: `fromWire`); a server that
 * cannot be reached is "unavailable". Every request carries BOSUN_API_TOKEN, when set, as
 * `Authorization: Bearer`: writes always need it, reads once the server listens beyond loopback.
 */
export class RemoteData implements DataSource {
  private readonly authorization: Record<string, string>;

  constructor(
    private readonly baseUrl: string,
    token: string | undefined = process.env.BOSUN_API_TOKEN,
  ) {
    const trimmed = token?.trim();
    this.authorization = trimmed ? { authorization: `Bearer ${trimmed}` } : {};
  }

  status(): Promise<StatusView> {
    return this.get("/api/status");
  }

  audit(query: { target?: string; limit: number }): Promise<AuditView[]> {
    const qs = new URLSearchParams({ limit: String(query.limit) });
    if (query.target) qs.set("target", query.target);
    return this.get(`/api/audit?${qs}`);
  }

  notifications(query: { limit: number }): Promise<NotificationView[]> {
    return this.get(`/api/notifications?${new URLSearchParams({ limit: String(query.limit) })}`);
  }

  plan(at?: string): Promise<Plan> {
    return this.get(at ? `/api/plan?${new URLSearchParams({ at })}` : "/api/plan");
  }

  kpi(asOf: string | undefined, options: KpiOptions): Promise<KpiView> {
    const qs = new URLSearchParams();
    if (asOf !== undefined) qs.set("asOf", asOf);
    if (options.compat) qs.set("compat", options.compat);
    return this.get(`/api/kpi${qs.size > 0 ? `?${qs}` : ""}`);
  }

  kpiHistory(options: { weeks?: number }): Promise<KpiHistoryView> {
    const qs =
      options.weeks === undefined
        ? ""
        : `?${new URLSearchParams({ weeks: String(options.weeks) })}`;
    return this.get(`/api/kpi/history${qs}`);
  }

  // --- rituals and runbooks ---
  rituals(query: RitualsQuery): Promise<RitualsView> {
    const qs = new URLSearchParams();
    if (query.from) qs.set("from", query.from);
    if (query.to) qs.set("to", query.to);
    return this.get(`/api/rituals${qs.size > 0 ? `?${qs}` : ""}`);
  }

  runbooks(): Promise<RunbookSummary[]> {
    return this.get("/api/runbooks");
  }

  runbook(anchor: string): Promise<Runbook> {
    return this.get(`/api/runbooks/${encodeURIComponent(anchor)}`);
  }

  importRunbooks(runbooks: Runbook[]): Promise<{ stored: number }> {
    return this.post("/api/runbooks", { runbooks });
  }

  openRunbook(anchor: string, options: OpenRunbookOptions): Promise<EffectResult> {
    return this.post(`/api/runbooks/${encodeURIComponent(anchor)}/open`, options);
  }

  // --- release train and deploy guard (api/release.ts) ---
  releaseCalendar(query: CalendarQuery): Promise<CalendarView> {
    const qs = new URLSearchParams();
    if (query.from) qs.set("from", query.from);
    if (query.to) qs.set("to", query.to);
    return this.get(`/api/calendar${qs.size > 0 ? `?${qs}` : ""}`);
  }

  releaseTrain(): Promise<ReleaseTrainView> {
    return this.get("/api/release-train");
  }

  deployCheck(request: DeployCheckRequest): Promise<DeployAnswer> {
    return this.post("/api/deploy/check", request);
  }

  deployRecord(request: DeployRecordRequest): Promise<DeployRecordView> {
    return this.post("/api/deploy/record", request);
  }

  private get<T>(path: string): Promise<T> {
    return this.request(path, {
      headers: { ...this.authorization },
      signal: AbortSignal.timeout(30_000),
    });
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...this.authorization },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.baseUrl}${path}`, init);
      text = await res.text();
    } catch (err) {
      throw new BosunError(
        "unavailable",
        `cannot reach the Bosun server at ${this.baseUrl} (${(err as Error).message}); is it running? (--server, BOSUN_SERVER)`,
        { cause: err },
      );
    }
    if (!res.ok) {
      const who = `the Bosun server at ${this.baseUrl} (${init.method ?? "GET"} ${path.split("?")[0]})`;
      throw fromWire(res.status, parseJson(text) ?? text, who);
    }
    return JSON.parse(text) as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
