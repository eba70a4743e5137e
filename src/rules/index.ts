import { assemblePlan, type Plan } from "../effects/plan.js";
import { kpiWeeklyReport } from "./kpi/post.js";
import { labelVocabulary } from "./labels/index.js";
import { mergeGate } from "./merge-gate/index.js";
import { releaseActions } from "./release-actions/index.js";
import { rituals } from "./rituals/index.js";
import type { Rule, RuleContext } from "./rule.js";

/** Every rule Bosun runs, in the order their effects are applied. */
export const RULES: readonly Rule[] = [
  labelVocabulary,
  mergeGate,
  releaseActions,
  rituals,
  kpiWeeklyReport,
];

/** Runs every rule over one snapshot at one instant; the result is data, nothing has happened yet. */
export function decideAll(ctx: RuleContext, planId: string, rules: readonly Rule[] = RULES): Plan {
  return assemblePlan(
    planId,
    ctx.now.toString(),
    rules.map((r) => r.decide(ctx)),
  );
}

export function describeRules(rules: readonly Rule[] = RULES) {
  return rules.map(({ name, ids, section, summary }) => ({ name, ids, section, summary }));
}
