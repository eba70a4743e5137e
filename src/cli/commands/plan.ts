import { describeEffect } from "../../effects/effects.js";
import type { Plan } from "../../effects/plan.js";
import { parseInstant } from "../../time/instant.js";
import type { GlobalOptions } from "../context.js";
import { withData } from "../data.js";
import { EXIT, UserError } from "../errors.js";
import { table } from "../table.js";

export interface PlanOptions extends GlobalOptions {
  dryRun?: boolean;
  at?: string;
}

export async function plan(opts: PlanOptions): Promise<number> {
  if (!opts.dryRun) {
    throw new UserError(
      "bosun plan applies effects only through a running server's executor; add --dry-run to print the plan",
    );
  }
  if (opts.at !== undefined) {
    try {
      parseInstant(opts.at);
    } catch (err) {
      throw new UserError(`--at: ${(err as Error).message}`);
    }
  }
  const result = await withData(opts, "bosun plan --dry-run", (data) => data.plan(opts.at));
  process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : renderPlan(result));
  return EXIT.ok;
}

export function renderPlan(p: Plan): string {
  const lines = [`Plan at ${p.at} (dry run: nothing is applied)`, ""];
  if (p.effects.length === 0)
    lines.push("Nothing to do: every rule's target is already as the handbook wants it.");
  else
    lines.push(
      table(
        ["#", "Rule", "Effect", "Why"],
        p.effects.map((e, i) => [String(i + 1), e.rule, describeEffect(e.effect), e.reason]),
      ),
    );
  // The dry run prints each message in full instead of posting it.
  const messages = p.effects.flatMap((e) => (e.effect.type === "notify" ? [e.effect] : []));
  if (messages.length > 0) {
    lines.push("", "Messages (not posted: dry run):");
    for (const m of messages) {
      const about = [m.subject, m.thread ? `in the thread of ${m.thread}` : ""].filter(Boolean);
      lines.push(`  ${m.channel}${about.length ? ` (${about.join(", ")})` : ""}: ${m.message}`);
    }
  }
  if (p.observations.length > 0) {
    lines.push("", "Observations:");
    for (const o of p.observations) lines.push(`  ${o.rule} ${o.target}: ${o.message}`);
  }
  return `${lines.join("\n")}\n`;
}
