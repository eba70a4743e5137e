import { formatConfigError, loadConfig } from "../handbook/load.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { configPath, type GlobalOptions } from "./context.js";
import { UserError } from "./errors.js";

/**
 * Loads the configuration or stops with every problem listed: an invalid file never starts
 * anything. The exception (handbook/partial.ts): problems confined to individual rituals or to
 * one rule's own settings skip those rituals and rules, and say so; the others run.
 */
export async function requireConfig(
  opts: GlobalOptions,
): Promise<{ config: HandbookConfig; file: string }> {
  const file = configPath(opts);
  const result = await loadConfig(file);
  if (!result.ok && result.partial) {
    const { noteSkippedRituals } = await import("../handbook/rituals.js");
    const ruleOf = new Map(
      result.partial.skippedRules.flatMap((s) => s.errors.map((e) => [e, s.rule] as const)),
    );
    for (const e of result.errors) {
      const rule = ruleOf.get(e);
      const what = rule ? `rule ${rule}` : "ritual";
      process.stderr.write(`bosun: ${what} skipped until fixed: ${formatConfigError(e)}\n`);
    }
    noteSkippedRituals(result.partial.config, result.partial.skipped);
    return { config: result.partial.config, file };
  }
  if (!result.ok) {
    const lines = result.errors.map(formatConfigError).join("\n");
    const n = result.errors.length;
    throw new UserError(
      `${n === 1 ? "a problem" : `${n} problems`} with the configuration; nothing was started or written:\n${lines}`,
      "invalid-config",
    );
  }
  return { config: result.config, file };
}
