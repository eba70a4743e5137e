// The registry: every rule Bosun runs, in the order their effects are applied. Adding a rule is
// its folder under src/rules/ and one line here; the configuration schema, the label
// vocabulary, the runtime's routing and /api/rules all follow from this list.
import { deployGuard } from "./deploy-guard/rule.js";
import { kpiWeeklyReport } from "./kpi/post.js";
import { labelVocabulary } from "./labels/index.js";
import { mergeGate } from "./merge-gate/index.js";
import { releaseActions } from "./release-actions/index.js";
import { rituals } from "./rituals/index.js";
import { type AnyPlanningRule, type AnyRule, configPaths } from "./rule.js";

export const RULES: readonly AnyRule[] = [
  labelVocabulary,
  mergeGate,
  releaseActions,
  rituals,
  kpiWeeklyReport,
  deployGuard,
];

/** The rules that plan effects, in registry order. */
export function planningRules(rules: readonly AnyRule[] = RULES): AnyPlanningRule[] {
  return rules.filter((r): r is AnyPlanningRule => r.kind === "plan");
}

export function ruleNamed(name: string, rules: readonly AnyRule[] = RULES): AnyRule | undefined {
  return rules.find((r) => r.name === name);
}

/** How a rule describes itself to people: the CLI, the dashboard, `/api/rules`. */
export interface RuleView {
  name: string;
  ids: string[];
  kind: "plan" | "guard";
  /** The bosun.yml paths it is configured by, its own first. */
  configPaths: string[];
  /** The same, as one line for tables. */
  section: string;
  summary: string;
  /** Webhooks that re-decide it ("pull_request.opened", "release"). */
  events: string[];
  /** Whether it re-decides at calendar instants of its own. */
  scheduled: boolean;
}

export function describeRules(rules: readonly AnyRule[] = RULES): RuleView[] {
  return rules.map((r) => ({
    name: r.name,
    ids: [...r.ids],
    kind: r.kind,
    configPaths: configPaths(r),
    section: configPaths(r).join(", "),
    summary: r.summary,
    events: (r.triggers?.events ?? []).flatMap((e) =>
      e.actions ? e.actions.map((a) => `${e.event}.${a}`) : [e.event],
    ),
    scheduled: r.triggers?.instants !== undefined,
  }));
}
