// How an audit log entry reads on the dashboard, in the API and in `bosun why`.
import { describeEffect } from "../effects/effects.js";
import type { AuditEntry } from "../store/types.js";
import type { AuditView } from "./views.js";

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
