import { formatConfigError, loadConfig } from "../handbook/load.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { configPath, type GlobalOptions } from "./context.js";
import { UserError } from "./errors.js";

/**
 * Loads the configuration or stops with every problem listed: an invalid file never starts
 * anything. The one exception: problems confined to individual rituals skip those rituals.
 */
export async function requireConfig(
  opts: GlobalOptions,
): Promise<{ config: HandbookConfig; file: string }> {
  const file = configPath(opts);
  const result = await loadConfig(file);
  if (!result.ok && result.partial) {
    // Only rituals are broken: run without them (rituals.ts explains why), and say so.
    const { noteSkippedRituals } = await import("../handbook/rituals.js");
    for (const e of result.errors) {
      process.stderr.write(`bosun: ritual skipped until fixed: ${formatConfigError(e)}\n`);
    }
    noteSkippedRituals(result.partial.config, result.partial.skipped);
    return { config: result.partial.config, file };
  }
  if (!result.ok) {
    const lines = result.errors.map(formatConfigError).join("\n");
    const n = result.errors.length;
    throw new UserError(
      `${n === 1 ? "a problem" : `${n} problems`} with the configuration; nothing was started or written:\n${lines}`,
      1,
    );
  }
  return { config: result.config, file };
}
