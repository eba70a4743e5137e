import { formatConfigError, loadConfig } from "../../handbook/load.js";
import { renderSummary, summarizeConfig } from "../../handbook/summary.js";
import { configPath, type GlobalOptions } from "../context.js";
import { EXIT } from "../errors.js";

export async function configCheck(file: string | undefined, opts: GlobalOptions): Promise<number> {
  const target = file ?? configPath(opts);
  const result = await loadConfig(target);
  if (!result.ok) {
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ok: false, errors: result.errors }, null, 2)}\n`);
    } else {
      for (const e of result.errors) process.stderr.write(`${formatConfigError(e)}\n`);
      const n = result.errors.length;
      process.stderr.write(
        `\n${n} problem${n === 1 ? "" : "s"} in ${target}; nothing was started or written.\n`,
      );
    }
    return EXIT.problems;
  }
  const { Temporal } = await import("temporal-polyfill");
  const summary = summarizeConfig(result.config, Temporal.Now.instant());
  if (opts.json)
    process.stdout.write(`${JSON.stringify({ ok: true, file: target, summary }, null, 2)}\n`);
  else process.stdout.write(`${renderSummary(summary)}\n`);
  return EXIT.ok;
}
