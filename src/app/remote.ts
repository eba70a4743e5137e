import type { Plan } from "../effects/plan.js";
import type { AuditView, DataSource, StatusView } from "./views.js";

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
