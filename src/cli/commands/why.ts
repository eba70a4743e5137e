import type { AuditView } from "../../api/views.js";
import type { GlobalOptions } from "../context.js";
import { withData } from "../data.js";
import { EXIT, UserError } from "../errors.js";
import { table } from "../table.js";

export async function why(
  target: string,
  opts: GlobalOptions & { limit: number },
): Promise<number> {
  // Checked before withData, which opens (and may create) the store.
  if (target.trim() === "") {
    throw new UserError(
      "bosun why: the target must not be empty: owner/repo#123, PR#123 or a branch",
    );
  }
  const entries = await withData(opts, "bosun why", (data) =>
    data.audit({ target, limit: opts.limit }),
  );
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(renderWhy(target, entries));
  return EXIT.ok;
}

export function renderWhy(target: string, entries: AuditView[]): string {
  if (entries.length === 0) {
    return `Bosun has done nothing to ${target}: no rule has planned an effect on it.\n`;
  }
  return `${table(
    ["When", "Rule", "Status", "Action", "Why"],
    entries.map((e) => [
      e.at.replace("T", " ").slice(0, 19),
      e.rule,
      e.error ? `${e.status}: ${e.error}` : e.status,
      e.line,
      e.reason,
    ]),
  )}\n`;
}
