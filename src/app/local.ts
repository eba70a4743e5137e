import { randomUUID } from "node:crypto";
import { Temporal } from "temporal-polyfill";
import { describeEffect } from "../effects/effects.js";
import type { Plan } from "../effects/plan.js";
import { FULL_SYNC } from "../github/sync.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { decideAll } from "../rules/index.js";
import type { Store } from "../store/index.js";
import type { AuditEntry } from "../store/types.js";
import { loadSnapshot } from "./snapshot.js";
import type { SyncStateView } from "./sync-state.js";
import { resolveTargets } from "./targets.js";
import type { AuditView, DataSource, RepositoryView, StatusView } from "./views.js";

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

  async plan(at?: string): Promise<Plan> {
    const now = at === undefined ? this.clock() : parseInstant(at);
    return decideAll(
      { config: this.config, snapshot: await loadSnapshot(this.store, this.config), now },
      `plan-${randomUUID()}`,
    );
  }
}

/** Accepts ISO 8601 with an offset or a zone (`2026-12-04T08:00-08:00`, `...[America/Los_Angeles]`). */
export function parseInstant(text: string): Temporal.Instant {
  try {
    return text.includes("[")
      ? Temporal.ZonedDateTime.from(text).toInstant()
      : Temporal.Instant.from(text);
  } catch {
    throw new RangeError(
      `not an instant: ${JSON.stringify(text)}; use ISO 8601 with an offset, such as 2026-12-04T08:00:00-08:00`,
    );
  }
}

export function auditView(e: AuditEntry): AuditView {
  let line = `${e.target}: ${e.effectType}`;
  try {
    line = describeEffect(e.effect as Parameters<typeof describeEffect>[0]);
  } catch {
    // An entry written by another Bosun version may hold an effect shape this one does not know.
  }
  return {
    key: e.key,
    at: e.finishedAt ?? e.createdAt,
    rule: e.rule ?? "",
    target: e.target,
    effectType: e.effectType,
    status: e.status,
    reason: e.reason ?? "",
    line,
    ...(e.error ? { error: e.error } : {}),
  };
}
