// Posting the weekly report (R1, R2) on GitHub, when `kpi.post.to` asks for it: once per week,
// as a new issue or as a comment on one issue. The idempotency key names the week, so two
// Bosun processes, or a rerun, post it once; the marker in the body lets the rule see a report
// already on GitHub and plan nothing.
import { Temporal } from "temporal-polyfill";
import { planned } from "../../effects/plan.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { Store } from "../../store/index.js";
import { filedLabels } from "../labels/vocabulary.js";
import { emptyOutput, type LoadContext, planningRule, type RepositoryState } from "../rule.js";
import { postRepository } from "./checks.js";
import { kpiKeys } from "./config.js";
import { kpiSettings } from "./model.js";
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

/**
 * Everything the weekly snapshots depend on: a change makes new snapshots, never mixes them.
 * SHA-256 through Web Crypto (a global on every supported Node), so rules need no node: import.
 */
export async function kpiConfigHash(config: HandbookConfig): Promise<string> {
  const basis = { v: 1, settings: kpiSettings(config), week: weekBoundary(config) };
  const bytes = new TextEncoder().encode(JSON.stringify(basis));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function kpiTitle(week: string): string {
  return `Engineering KPIs: week ending ${week}`;
}

/** The repository the report is posted in: kpi.post.repository, else the first KPI repository. */
export function kpiPostRepository(config: HandbookConfig): string {
  const post = config.kpi.post;
  const name =
    post.repository ?? config.repositories.find((r) => r.kpi)?.name ?? config.repositories[0]!.name;
  return `${config.organisation}/${name}`;
}

/** The store reads of the weekly post: the latest snapshot, the weeks already on GitHub. */
export type KpiPostReads = Pick<Store, "listKpiSnapshots" | "kpiPostedWeeks">;

export interface KpiPostInput {
  repositories: RepositoryState[];
  /** Absent when posting is off. */
  kpi?: KpiSnapshotPart;
}

/** The key's discriminator: the week the report covers (its boundary's local date). */
export const kpiWeekKey = {
  build: (week: string) => `kpi-week-${week}`,
  parse(discriminator: string): string | undefined {
    const week = /^kpi-week-(\d{4}-\d{2}-\d{2})$/.exec(discriminator)?.[1];
    if (!week) return undefined;
    try {
      return Temporal.PlainDate.from(week, { overflow: "reject" }).toString();
    } catch {
      return undefined;
    }
  },
};

export const KPI_POST_RULE = "kpi-weekly-report";

export const kpiWeeklyReport = planningRule({
  name: KPI_POST_RULE,
  ids: ["R1", "R2"],
  config: { keys: kpiKeys, reads: ["labels", "repositories"] },
  checks: [postRepository],
  labels: (config) =>
    config.kpi.post.to === "issue"
      ? filedLabels(config.kpi.post.labels, kpiPostRepository(config).split("/")[1]!)
      : [],
  async load(ctx: LoadContext<KpiPostReads>): Promise<KpiPostInput> {
    const { config, reads } = ctx;
    const post = config.kpi.post;
    const repositories = await ctx.repositories();
    if (post.to === "off") return { repositories };
    const [latest] = await reads.listKpiSnapshots({
      configHash: await kpiConfigHash(config),
      limit: 1,
    });
    return {
      repositories,
      kpi: {
        latestWeekly: latest ? { asOf: latest.asOf, view: latest.payload as KpiView } : null,
        postedWeeks: await reads.kpiPostedWeeks(
          kpiPostRepository(config),
          KPI_MARKER,
          post.to === "comment" ? post.issue : undefined,
        ),
      },
    };
  },
  summary:
    "Posts the weekly bug and PR report (the 20 KPI figures, bugs per state and group, unlabelled bugs) as an issue or a comment, once per week, when kpi.post.to is not off.",
  decide(snapshot: KpiPostInput, config, now) {
    const out = emptyOutput();
    const post = config.kpi.post;
    if (post.to === "off") return out;
    const repo = kpiPostRepository(config);
    const observe = (message: string) =>
      out.observations.push({ rule: KPI_POST_RULE, target: repo, message });
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
    const discriminator = kpiWeekKey.build(week);
    out.effects.push(
      post.to === "issue"
        ? planned(
            KPI_POST_RULE,
            { type: "createIssue", repo, title, body, labels: [...post.labels], assignees: [] },
            discriminator,
            reason,
          )
        : planned(
            KPI_POST_RULE,
            { type: "comment", repo, number: post.issue!, body },
            discriminator,
            reason,
          ),
    );
    return out;
  },
});
