// The report as the CLI, the JSON API, the dashboard and the posted issue show it: the chosen
// mode's figures, with the other mode's beside them where they differ.
import type { KpiIndex } from "./asof.js";
import type { KpiSettings } from "./model.js";
import { computeKpi, csvRow, type KpiColumn, type KpiMode, type KpiReport } from "./report.js";
import type { ReportWindows } from "./week.js";

export interface KpiDifference {
  index: number;
  key: string;
  name: string;
  exact: number | null;
  script: number | null;
}

export interface KpiView extends KpiReport {
  /** The 20 figures as one CSV line, for the sheet. */
  csv: string;
  /** Columns whose exact and script-compatible figures differ. */
  differences: KpiDifference[];
}

export function kpiView(
  index: KpiIndex,
  settings: KpiSettings,
  windows: ReportWindows,
  mode: KpiMode = "exact",
): KpiView {
  const exact = computeKpi(index, settings, windows, "exact");
  const script = computeKpi(index, settings, windows, "script");
  const chosen = mode === "exact" ? exact : script;
  return {
    ...chosen,
    csv: csvRow(chosen),
    differences: differences(exact.columns, script.columns),
  };
}

function differences(exact: KpiColumn[], script: KpiColumn[]): KpiDifference[] {
  return exact.flatMap((e, i) => {
    const s = script[i]!;
    return e.value === s.value
      ? []
      : [{ index: e.index, key: e.key, name: e.name, exact: e.value, script: s.value }];
  });
}

const show = (v: number | null) => (v === null ? "–" : String(v));

/** A Markdown report: for the posted weekly issue or comment and `--format markdown`. */
export function kpiMarkdown(v: KpiView, heading: string): string {
  const other = v.mode === "exact" ? "script" : "exact";
  const diff = new Map(v.differences.map((d) => [d.index, d]));
  const lines = [
    `## ${heading}`,
    "",
    `As of ${v.asOf}; this week is (${v.weekStart}, ${v.asOf}]. Repositories: ${v.repositories.join(", ")}. Figures: ${v.mode === "exact" ? "exact" : "as the department's script computes them"}.`,
    "",
    `| # | KPI | Value | ${other === "script" ? "Script" : "Exact"} |`,
    "| ---: | --- | ---: | ---: |",
    ...v.columns.map((c) => {
      const d = diff.get(c.index);
      return `| ${c.index} | ${c.name} | ${show(c.value)} | ${d ? show(other === "script" ? d.script : d.exact) : ""} |`;
    }),
    "",
    "CSV row for the KPI sheet:",
    "",
    "```",
    v.csv,
    "```",
    "",
    "### Bugs (R1)",
    "",
    `Opened this week: ${v.r1.openedThisWeek} · closed this week: ${v.r1.closedThisWeek} · open: ${v.r1.open} (${[
      ...v.r1.openByState.map((s) => `${s.state} ${s.count}`),
      `no state ${v.r1.openWithoutState}`,
    ].join(", ")})`,
    "",
    "| Group | Opened | Customer | Released | Unreleased | Closed | Open | Avg days open |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...v.groups.map(
      (g) =>
        `| ${g.label ?? g.name} | ${g.openedThisWeek} | ${g.openedCustomerImpacting} | ${g.openedReleased} | ${g.openedUnreleased} | ${g.closedThisWeek} | ${g.open} | ${show(g.averageDaysOpen)} |`,
    ),
    "",
    "### Pull requests",
    "",
    `~ceo: ${v.ceo.open} open (average ${show(v.ceo.averageDaysOpen)} days), ${v.ceo.mergedInPast3Weeks} merged in the past 3 weeks (average ${show(v.ceo.averageDaysToMerge)} days open). Community: ${v.community.open} open (average ${show(v.community.averageDaysOpen)} days). Merged in the past 3 weeks: ${v.commitToMerge.merged}, average ${show(v.commitToMerge.averageDays)} days from first commit to merge (the PR's creation stands in for its first commit).`,
  ];
  if (v.unlabelledBugs.length > 0) {
    lines.push(
      "",
      `### Bugs without a released or unreleased label (${v.unlabelledBugs.length})`,
      "",
    );
    for (const b of v.unlabelledBugs.slice(0, 100)) {
      lines.push(`- [${b.repo}#${b.number}](${b.url}) ${escapeMd(b.title)} (${b.daysOpen} days)`);
    }
    if (v.unlabelledBugs.length > 100) lines.push(`- … and ${v.unlabelledBugs.length - 100} more`);
  }
  return `${lines.join("\n")}\n`;
}

function escapeMd(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, "\\$1");
}
