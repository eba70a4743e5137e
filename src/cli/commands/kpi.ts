import { isBosunError } from "../../errors.js";
import { type KpiView, kpiMarkdown } from "../../rules/kpi/view.js";
import type { GlobalOptions } from "../context.js";
import { withData } from "../data.js";
import { EXIT, UserError } from "../errors.js";
import { table } from "../table.js";

export const KPI_FORMATS = ["table", "csv", "json", "markdown"] as const;
export type KpiFormat = (typeof KPI_FORMATS)[number];

export interface KpiCliOptions extends GlobalOptions {
  asOf?: string;
  format?: string;
  compat?: string;
}

export async function kpi(opts: KpiCliOptions): Promise<number> {
  const format = (opts.json ? "json" : (opts.format ?? "table")) as KpiFormat;
  if (!KPI_FORMATS.includes(format)) {
    throw new UserError(
      `--format must be ${KPI_FORMATS.join(", ")}, found ${JSON.stringify(opts.format)}`,
    );
  }
  if (opts.compat !== undefined && opts.compat !== "script") {
    throw new UserError(
      `--compat must be "script" (the department's script's figures), found ${JSON.stringify(opts.compat)}`,
    );
  }
  if (opts.asOf !== undefined && opts.asOf.trim() === "") {
    throw new UserError("--as-of must not be empty: a date such as 2026-03-02");
  }
  let view: KpiView;
  try {
    view = await withData(
      opts,
      "bosun kpi",
      (data) => data.kpi(opts.asOf, opts.compat === "script" ? { compat: "script" } : {}),
      async (config) => {
        if (opts.asOf === undefined) return;
        const { parseAsOf } = await import("../../api/kpi.js");
        parseAsOf(opts.asOf, config);
      },
    );
  } catch (err) {
    // The flags above are checked here: bad input from the report (here or on the server) is the
    // date's. "Not ready" (never synced) goes up as it is: exit 1.
    if (isBosunError(err, "bad-input")) throw new UserError(`--as-of: ${err.message}`);
    throw err;
  }
  process.stdout.write(render(view, format));
  return EXIT.ok;
}

export function render(view: KpiView, format: KpiFormat): string {
  switch (format) {
    case "csv":
      return `${view.csv}\n`;
    case "json":
      return `${JSON.stringify(view, null, 2)}\n`;
    case "markdown":
      return kpiMarkdown(view, `Engineering KPIs as of ${view.asOf}`);
    case "table":
      return renderTable(view);
  }
}

const show = (v: number | null | undefined) => (v === null || v === undefined ? "–" : String(v));

export function renderTable(v: KpiView): string {
  const other = v.mode === "exact" ? "script" : "exact";
  const diff = new Map(v.differences.map((d) => [d.index, d]));
  const lines = [
    `KPI report as of ${v.asOf} (${v.mode === "exact" ? "exact" : "script-compatible"}): ${v.repositories.join(", ")}`,
    `This week: (${v.weekStart}, ${v.asOf}]`,
    "",
    table(
      ["#", "Value", other === "script" ? "Script" : "Exact", "KPI"],
      v.columns.map((c) => {
        const d = diff.get(c.index);
        return [
          String(c.index),
          show(c.value),
          d ? show(other === "script" ? d.script : d.exact) : "",
          c.name,
        ];
      }),
    ),
    "",
    `CSV: ${v.csv}`,
    "",
    `R1 bugs: opened this week ${v.r1.openedThisWeek}, closed this week ${v.r1.closedThisWeek}, open ${v.r1.open} (${[
      ...v.r1.openByState.map((s) => `${s.state} ${s.count}`),
      `no state ${v.r1.openWithoutState}`,
    ].join(", ")})`,
    "",
    table(
      ["Group", "Opened", "Customer", "Released", "Unreleased", "Closed", "Open", "Avg days"],
      v.groups.map((g) => [
        g.label ?? `(${g.name})`,
        String(g.openedThisWeek),
        String(g.openedCustomerImpacting),
        String(g.openedReleased),
        String(g.openedUnreleased),
        String(g.closedThisWeek),
        String(g.open),
        show(g.averageDaysOpen),
      ]),
    ),
    "",
    `~ceo PRs: ${v.ceo.open} open, average ${show(v.ceo.averageDaysOpen)} days; ${v.ceo.mergedInPast3Weeks} merged in the past 3 weeks, average ${show(v.ceo.averageDaysToMerge)} days open`,
    `Community PRs: ${v.community.open} open, average ${show(v.community.averageDaysOpen)} days`,
    `First commit to merge: ${v.commitToMerge.merged} PRs merged in the past 3 weeks, average ${show(v.commitToMerge.averageDays)} days (the PR's creation stands in for its first commit)`,
  ];
  if (v.unlabelledBugs.length > 0) {
    lines.push(
      "",
      `Warning: ${v.unlabelledBugs.length} open bug(s) carry neither the released nor the unreleased label:`,
    );
    for (const b of v.unlabelledBugs.slice(0, 20))
      lines.push(`  ${b.repo}#${b.number}  ${b.title}  ${b.url}`);
    if (v.unlabelledBugs.length > 20) lines.push(`  … and ${v.unlabelledBugs.length - 20} more`);
  }
  return `${lines.join("\n")}\n`;
}
