// Posting the weekly report (R1, R2) on GitHub, when `kpi.post.to` asks for it: once per week,
// as a new issue or as a comment on one issue. The idempotency key names the week, so two
// Bosun processes, or a rerun, post it once; the marker in the body lets the rule see a report
// already on GitHub and plan nothing.
import { Temporal } from "temporal-polyfill";
import { planned } from "../../effects/plan.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { Rule, RuleOutput } from "../rule.js";
import { type KpiView, kpiMarkdown } from "./view.js";
import { boundaryAtOrBefore, type WeekBoundary } from "./week.js";

/** What the rule reads, loaded with the snapshot. */
export interface KpiSnapshotPart {
  /** The latest stored weekly snapshot (of the current configuration), if any. */
  latestWeekly: { asOf: string; view: KpiView } | null;
  /** Weeks (`YYYY-MM-DD`, the boundary's local date) whose report is already on GitHub. */
  postedWeeks: string[];
}

/** The marker a posted report carries, with the week it reports. */
export const KPI_MARKER = "<!-- bosun:kpi-week ";
export const kpiMarker = (week: string) => `${KPI_MARKER}${week} -->`;

export function weekBoundary(config: HandbookConfig): WeekBoundary {
  return { ...config.kpi.week, timeZone: config.calendar.timeZone };
}

/** The name of the week a boundary ends: its local date. */
export function weekKey(asOf: string, timeZone: string): string {
  return Temporal.Instant.from(asOf).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

export function kpiTitle(week: string): string {
  return `Engineering KPIs: week ending ${week}`;
}

export const kpiWeeklyReport: Rule = {
  name: "kpi-weekly-report",
  ids: ["R1", "R2"],
  section: "kpi.post",
  summary:
    "Posts the weekly bug and PR report (the 20 KPI figures, bugs per state and group, unlabelled bugs) as an issue or a comment, once per week, when kpi.post.to is not off.",
  decide({ config, snapshot, now }): RuleOutput {
    const out: RuleOutput = { effects: [], observations: [] };
    const post = config.kpi.post;
    if (post.to === "off") return out;
    const repoName =
      post.repository ??
      config.repositories.find((r) => r.kpi)?.name ??
      config.repositories[0]!.name;
    const repo = `${config.organisation}/${repoName}`;
    const observe = (message: string) =>
      out.observations.push({ rule: this.name, target: repo, message });
    const w = weekBoundary(config);
    const boundary = boundaryAtOrBefore(now, w).toString();
    const week = weekKey(boundary, w.timeZone);
    const unsynced = (snapshot.repositories ?? []).filter((r) => !r.synced).map((r) => r.fullName);
    if (unsynced.length > 0) {
      observe(`R2: the week ending ${week} is not posted until ${unsynced.join(", ")} synced`);
      return out;
    }
    const latest = snapshot.kpi?.latestWeekly;
    if (
      !latest ||
      Temporal.Instant.compare(
        Temporal.Instant.from(latest.asOf),
        Temporal.Instant.from(boundary),
      ) !== 0
    ) {
      observe(
        `R2: the snapshot of the week ending ${week} is not stored yet (the kpi-weekly-snapshot job stores it)`,
      );
      return out;
    }
    if (snapshot.kpi?.postedWeeks.includes(week)) {
      observe(`R2: the report of the week ending ${week} is already on GitHub`);
      return out;
    }
    const title = kpiTitle(week);
    const body = `${kpiMarker(week)}\n${kpiMarkdown(latest.view, title)}`;
    const reason = `R2: weekly KPI report for the week ending ${week} (kpi.post.to: ${post.to})`;
    const discriminator = `kpi-week-${week}`;
    out.effects.push(
      post.to === "issue"
        ? planned(
            this.name,
            { type: "createIssue", repo, title, body, labels: [...post.labels], assignees: [] },
            discriminator,
            reason,
          )
        : planned(
            this.name,
            { type: "comment", repo, number: post.issue!, body },
            discriminator,
            reason,
          ),
    );
    return out;
  },
};
