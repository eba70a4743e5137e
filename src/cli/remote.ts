import {
  type KpiHistoryView,
  KpiInputError,
  KpiNotReadyError,
  type KpiOptions,
} from "../api/kpi.js";
import {
  type CalendarQuery,
  type CalendarView,
  type DeployCheckRequest,
  DeployInputError,
  type DeployRecordRequest,
  type DeployRecordView,
  type ReleaseTrainView,
} from "../api/release.js";
import {
  type OpenRunbookOptions,
  RitualInputError,
  type RitualsQuery,
  type RitualsView,
  type RunbookSummary,
} from "../api/rituals.js";
import type { AuditView, DataSource, StatusView } from "../api/views.js";
import type { EffectResult } from "../effects/executor.js";
import type { Plan } from "../effects/plan.js";
import type { Runbook } from "../handbook/runbook-model.js";
import type { DeployAnswer } from "../rules/deploy-guard/index.js";
import type { KpiView } from "../rules/kpi/view.js";

/** The same reads as {@link LocalData}, through a running Bosun server's JSON API. */
export class RemoteData implements DataSource {
  constructor(private readonly baseUrl: string) {}

  status(): Promise<StatusView> {
    return this.get("/api/status");
  }

  audit(query: { target?: string; limit: number }): Promise<AuditView[]> {
    const qs = new URLSearchParams({ limit: String(query.limit) });
    if (query.target) qs.set("target", query.target);
    return this.get(`/api/audit?${qs}`);
  }

  plan(at?: string): Promise<Plan> {
    return this.get(at ? `/api/plan?${new URLSearchParams({ at })}` : "/api/plan");
  }

  async kpi(asOf: string | undefined, options: KpiOptions): Promise<KpiView> {
    const qs = new URLSearchParams();
    if (asOf !== undefined) qs.set("asOf", asOf);
    if (options.compat) qs.set("compat", options.compat);
    try {
      return await this.get(`/api/kpi${qs.size > 0 ? `?${qs}` : ""}`);
    } catch (err) {
      // The server's refusals keep their meaning (bad input, nothing synced) on this side.
      const m = /answered (400|409) to \S+: (.*)$/s.exec((err as Error).message);
      if (m?.[1] === "400") throw new KpiInputError(m[2]!);
      if (m?.[1] === "409") throw new KpiNotReadyError(m[2]!);
      throw err;
    }
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
    return this.ritualCall(() => this.get(`/api/rituals${qs.size > 0 ? `?${qs}` : ""}`));
  }

  runbooks(): Promise<RunbookSummary[]> {
    return this.get("/api/runbooks");
  }

  runbook(anchor: string): Promise<Runbook> {
    return this.ritualCall(() => this.get(`/api/runbooks/${encodeURIComponent(anchor)}`));
  }

  importRunbooks(runbooks: Runbook[]): Promise<{ stored: number }> {
    return this.ritualCall(() => this.post("/api/runbooks", { runbooks }));
  }

  openRunbook(anchor: string, options: OpenRunbookOptions): Promise<EffectResult> {
    return this.ritualCall(() =>
      this.post(`/api/runbooks/${encodeURIComponent(anchor)}/open`, options),
    );
  }

  /** The server's 400 and 404 answers are bad input on this side too. */
  private async ritualCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const m = /answered (400|404) to \S+: (.*)$/s.exec((err as Error).message);
      if (m) throw new RitualInputError(m[2]!, m[1] === "404" ? 404 : 400);
      throw err;
    }
  }

  // --- release train and deploy guard (api/release.ts) ---
  releaseCalendar(query: CalendarQuery): Promise<CalendarView> {
    const qs = new URLSearchParams();
    if (query.from) qs.set("from", query.from);
    if (query.to) qs.set("to", query.to);
    return this.releaseCall(
      () => this.get(`/api/calendar${qs.size > 0 ? `?${qs}` : ""}`),
      RangeError,
    );
  }

  releaseTrain(): Promise<ReleaseTrainView> {
    return this.get("/api/release-train");
  }

  deployCheck(request: DeployCheckRequest): Promise<DeployAnswer> {
    return this.releaseCall(() => this.post("/api/deploy/check", request), DeployInputError);
  }

  deployRecord(request: DeployRecordRequest): Promise<DeployRecordView> {
    return this.releaseCall(() => this.post("/api/deploy/record", request), DeployInputError);
  }

  /** The server's 400 answers are bad input here too (exit code 2). */
  private async releaseCall<T>(call: () => Promise<T>, Bad: new (m: string) => Error): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const m = /answered 400 to \S+: (.*)$/s.exec((err as Error).message);
      if (m) throw new Bad(m[1]!);
      throw err;
    }
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new RemoteError(
        `cannot reach the Bosun server at ${this.baseUrl} (${(err as Error).message}); is it running? (--server, BOSUN_SERVER)`,
      );
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text;
      try {
        detail = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {}
      throw new RemoteError(
        `the Bosun server at ${this.baseUrl} answered ${res.status} to ${path}: ${detail}`,
      );
    }
    return JSON.parse(text) as T;
  }

  private async get<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new RemoteError(
        `cannot reach the Bosun server at ${this.baseUrl} (${(err as Error).message}); is it running? (--server, BOSUN_SERVER)`,
      );
    }
    const body = await res.text();
    if (!res.ok) {
      let detail = body;
      try {
        detail = (JSON.parse(body) as { error?: string }).error ?? body;
      } catch {}
      throw new RemoteError(
        `the Bosun server at ${this.baseUrl} answered ${res.status} to ${path}: ${detail}`,
      );
    }
    return JSON.parse(body) as T;
  }
}

export class RemoteError extends Error {
  override readonly name = "RemoteError";
}
