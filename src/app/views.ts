// The read models the CLI, the JSON API and the dashboard share; the CLI gets them from the
// store directly or from a running server, and prints the same thing either way.
import type { Plan } from "../effects/plan.js";
import type { SyncStateView } from "./sync-state.js";

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
  plan(at?: string): Promise<Plan>;
}
