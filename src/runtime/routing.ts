// Which rules a webhook or an instant re-decides, and with what scope: read from the rules'
// own declarations (rule.triggers); the runtime knows no rule by name.
import type { Temporal } from "temporal-polyfill";
import type { HandbookConfig } from "../handbook/schema.js";
import { planningRules } from "../rules/index.js";
import type { AnyPlanningRule, DueInstant, Scope } from "../rules/rule.js";
import type { DeliveryRow } from "../store/index.js";

export interface Route {
  /** The rules the delivery re-decides. */
  rules: AnyPlanningRule[];
  /** Set when every one of them needs only this repository and these numbers. */
  scope?: Scope & { repo: string };
}

/** The rules a stored delivery re-decides, or undefined when none declared it. */
export function routeDelivery(
  delivery: Pick<DeliveryRow, "event" | "action" | "payload" | "repository">,
  rules: readonly AnyPlanningRule[] = planningRules(),
): Route | undefined {
  const matched: { rule: AnyPlanningRule; scope?: Scope }[] = [];
  let payload: unknown;
  for (const rule of rules) {
    for (const t of rule.triggers?.events ?? []) {
      if (t.event !== delivery.event) continue;
      if (t.actions && !t.actions.includes(delivery.action ?? "")) continue;
      payload ??=
        typeof delivery.payload === "string" ? JSON.parse(delivery.payload) : delivery.payload;
      matched.push({ rule, scope: t.scope?.(payload, delivery.repository ?? undefined) });
      break;
    }
  }
  if (matched.length === 0) return undefined;
  const repo = matched[0]!.scope?.repo;
  const narrow = repo !== undefined && matched.every((m) => m.scope?.repo === repo);
  if (!narrow) return { rules: matched.map((m) => m.rule) };
  const numbers = [...new Set(matched.flatMap((m) => m.scope?.numbers ?? []))];
  return { rules: matched.map((m) => m.rule), scope: { repo, numbers } };
}

/** The earliest instant after `now` at which some rule must re-decide, if any. */
export function nextDueInstant(
  config: HandbookConfig,
  now: Temporal.Instant,
  rules: readonly AnyPlanningRule[] = planningRules(),
): DueInstant | undefined {
  let next: DueInstant | undefined;
  for (const rule of rules) {
    for (const due of rule.triggers?.instants?.(config, now) ?? []) {
      if (due.at.epochMilliseconds <= now.epochMilliseconds) continue;
      if (!next || due.at.epochMilliseconds < next.at.epochMilliseconds) next = due;
    }
  }
  return next;
}

/** Milliseconds from `now` to the next due instant (a day when there is none). */
export function msToNextInstant(
  config: HandbookConfig,
  now: Temporal.Instant,
): { ms: number; what: string; at: string } {
  const next = nextDueInstant(config, now);
  if (!next) return { ms: 86_400_000, what: "none", at: "" };
  return {
    ms: Math.max(0, next.at.epochMilliseconds - now.epochMilliseconds),
    what: next.what,
    at: next.at.toString(),
  };
}
