// One decision run: each rule loads its input through the context (shared data read once),
// then decides; the plan is data, nothing has happened yet. The periodic run, a scheduled
// instant, a webhook's scoped run and `bosun plan` all come through here, so none of them can
// word a verdict differently.
import type { Temporal } from "temporal-polyfill";
import { assemblePlan, type Plan } from "../effects/plan.js";
import { FULL_SYNC } from "../github/sync.js";
import { skippedRules } from "../handbook/partial.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { planningRules, RULES } from "../rules/index.js";
import { uniqueLabels, type VocabularyLabel } from "../rules/labels/vocabulary.js";
import type {
  AnyPlanningRule,
  AnyRule,
  LoadContext,
  RepositoryState,
  RuleOutput,
  Scope,
} from "../rules/rule.js";
import type { Store } from "../store/index.js";

/** The label vocabulary: the union of every registered rule's labels, in registry order. */
export function labelVocabularyOf(
  config: HandbookConfig,
  rules: readonly AnyRule[] = RULES,
): VocabularyLabel[] {
  const words = rules.flatMap((r) => r.labels?.(config) ?? []);
  // A label wanted everywhere wins over the same label wanted in one repository.
  const everywhere = uniqueLabels(words.filter((w) => w.repo === undefined));
  const names = new Set(everywhere.map((w) => w.name.toLowerCase()));
  const local = words.filter((w) => w.repo !== undefined && !names.has(w.name.toLowerCase()));
  return [...everywhere, ...local];
}

/** The context every rule loads through during one run: shared reads happen once. */
export function loadContext(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  scope: Scope = {},
): LoadContext<Store> {
  const memo = new Map<string, Promise<unknown>>();
  const shared = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, load());
    return memo.get(key) as Promise<T>;
  };
  return {
    reads: store,
    config,
    scope,
    now,
    shared,
    vocabulary: labelVocabularyOf(config),
    repositories: () =>
      shared("repositories", async () => {
        const out: RepositoryState[] = [];
        for (const r of config.repositories) {
          const fullName = `${config.organisation}/${r.name}`;
          const cursor = await store.getCursor(fullName, FULL_SYNC);
          const labels = await store.listLabels(fullName);
          out.push({
            fullName,
            synced: cursor?.cursor === "complete",
            labels: labels.map((l) => ({ name: l.name, color: l.color ?? undefined })),
          });
        }
        return out;
      }),
    missingLogins: () => shared("missing-logins", () => store.missingLogins()),
  };
}

export interface DecideOptions {
  /** Default: every planning rule of the registry. */
  rules?: readonly AnyPlanningRule[];
  /** Default: everything. */
  scope?: Scope;
}

/**
 * Runs the rules over the store at one instant. Rules whose settings are broken are skipped.
 * Effects whose key the audit log holds as done are left out: a rule that cannot see the
 * result on GitHub (a repository variable, R17) plans it on every run, and passing it on would
 * have every run report a no-op as if it were work.
 */
export async function decide(
  store: Store,
  config: HandbookConfig,
  now: Temporal.Instant,
  planId: string,
  options: DecideOptions = {},
): Promise<Plan> {
  const ctx = loadContext(store, config, now, options.scope);
  const skipped = new Map(skippedRules(config).map((s) => [s.rule, s]));
  const outputs: RuleOutput[] = [];
  for (const rule of options.rules ?? planningRules()) {
    const broken = skipped.get(rule.name);
    if (broken) {
      outputs.push({
        effects: [],
        observations: [
          {
            rule: rule.name,
            target: "bosun.yml",
            message: `skipped: its settings have ${broken.errors.length} problem(s) (${broken.errors[0]?.path ?? ""}); run bosun config check`,
          },
        ],
      });
      continue;
    }
    outputs.push(rule.decide(await rule.load(ctx), config, now));
  }
  const plan = assemblePlan(planId, now.toString(), outputs);
  const done = await store.doneKeys(plan.effects.map((e) => e.key));
  return done.size === 0
    ? plan
    : { ...plan, effects: plan.effects.filter((e) => !done.has(e.key)) };
}
