/**
 * What runs when parts of the configuration are broken. `config check` reports every problem
 * and exits 1 (the loader's result stays `ok: false`), but when every problem is inside an
 * individual ritual or inside one rule's own section, the loader also returns `partial`: the
 * configuration without those rituals, with those rules' sections at their defaults, and the
 * list of what was left out. `serve`, `preview` and the read commands run with it, skipping those
 * rituals and rules and saying so. A problem in a shared section (organisation, repositories,
 * calendar, roles, product groups, labels, the release calendar) stops everything: every rule
 * reads them.
 *
 * Why: a rituals file is edited by many people and loaded unchanged from the department's
 * repository; one mistyped frequency, or a typo in the KPI post settings, must not stop the
 * release train and the other rules.
 */
import { RULES } from "../rules/index.js";
import { type AnyRule, ownConfigPaths } from "../rules/rule.js";
import { type assembleSchema, configSchema } from "./assemble.js";
import { type ConfigError, isRecord } from "./config-error.js";
import { ritualSchema } from "./ritual-schema.js";
import type { SkippedRitual } from "./rituals.js";
import type { HandbookConfig } from "./schema.js";

export interface SkippedRule {
  rule: string;
  errors: ConfigError[];
}

export interface PartialConfig {
  /** The configuration without the broken rituals, and broken rule sections at their defaults. */
  config: HandbookConfig;
  skipped: SkippedRitual[];
  skippedRules: SkippedRule[];
}

/** The rule owning a problem's key path in bosun.yml, if any; rituals go ritual by ritual. */
function ownerOf(e: ConfigError, mainFile: string, rules: readonly AnyRule[]): AnyRule | undefined {
  if (e.file !== mainFile || e.path === "") return undefined;
  return rules.find((r) =>
    ownConfigPaths(r)
      .filter((p) => p !== "rituals")
      .some((p) => e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}[`)),
  );
}

export function withoutBrokenParts(input: {
  data: Record<string, unknown>;
  /** The raw rituals, inline or from the rituals file. */
  rituals: unknown[];
  /** The rituals file as errors name it, when the rituals come from one. */
  ritualsFile?: string;
  /** The configuration file as errors name it. */
  file: string;
  errors: readonly ConfigError[];
  rules?: readonly AnyRule[];
  schema?: ReturnType<typeof assembleSchema>;
}): PartialConfig | undefined {
  const { data, rituals, ritualsFile, errors } = input;
  const byIndex = new Map<number, ConfigError[]>();
  const byRule = new Map<AnyRule, ConfigError[]>();
  for (const e of errors) {
    const index = ritualIndexOf(e, ritualsFile);
    if (index !== undefined) {
      byIndex.set(index, [...(byIndex.get(index) ?? []), e]);
      continue;
    }
    const rule = ownerOf(e, input.file, input.rules ?? RULES);
    if (!rule) return undefined;
    byRule.set(rule, [...(byRule.get(rule) ?? []), e]);
  }
  if (byIndex.size === 0 && byRule.size === 0) return undefined;

  const kept: unknown[] = [];
  const keptRaw: unknown[] = [];
  rituals.forEach((raw, index) => {
    if (byIndex.has(index)) return;
    const parsed = ritualSchema.safeParse(raw);
    if (!parsed.success) return;
    kept.push(parsed.data);
    keptRaw.push(raw);
  });
  const repaired: Record<string, unknown> = ritualsFile
    ? { ...data }
    : { ...data, rituals: keptRaw };
  for (const rule of byRule.keys()) {
    const section = rule.config.in;
    let target = repaired;
    if (section && isRecord(repaired[section])) {
      target = { ...(repaired[section] as Record<string, unknown>) };
      repaired[section] = target;
    }
    for (const key of Object.keys(rule.config.keys ?? {})) delete target[key];
  }
  const parsed = (input.schema ?? configSchema).safeParse(repaired);
  if (!parsed.success) return undefined;
  const skipped = [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, errs]) => {
      const raw = rituals[index] as { task?: unknown } | undefined;
      const task = typeof raw?.task === "string" ? raw.task : undefined;
      return { index, ...(task ? { task } : {}), errors: errs };
    });
  const config = { ...parsed.data, rituals: kept } as HandbookConfig;
  const skippedRules = [...byRule.entries()].map(([rule, errs]) => ({
    rule: rule.name,
    errors: errs,
  }));
  if (skippedRules.length > 0) noteSkippedRules(config, skippedRules);
  return { config, skipped, skippedRules };
}

/** "rituals[3].frequency" in the configuration, "[3].frequency" in a rituals file -> 3. */
function ritualIndexOf(e: ConfigError, ritualsFile: string | undefined): number | undefined {
  const inFile = ritualsFile !== undefined && e.file === ritualsFile;
  const m = (inFile ? /^\[(\d+)\]/ : /^rituals\[(\d+)\]/).exec(e.path);
  return m ? Number(m[1]) : undefined;
}

// The rules a configuration object runs without: the runtime skips them, the API shows them.
const skippedRulesByConfig = new WeakMap<HandbookConfig, SkippedRule[]>();

export function noteSkippedRules(config: HandbookConfig, skipped: SkippedRule[]): void {
  skippedRulesByConfig.set(config, skipped);
}

export function skippedRules(config: HandbookConfig): SkippedRule[] {
  return skippedRulesByConfig.get(config) ?? [];
}
