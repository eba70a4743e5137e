import "../support/matchers.js";
import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { execute, RecordingApplier } from "../../src/effects/executor.js";
import { assemblePlan } from "../../src/effects/plan.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import {
  indexKpiData,
  type KpiSnapshotPart,
  kpiSettings,
  kpiView,
  kpiWeeklyReport,
  reportWindows,
} from "../../src/rules/kpi/index.js";
import type { Snapshot } from "../../src/rules/snapshot.js";
import { openStore } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { World } from "./builder.js";

const BOUNDARY = "2026-02-23T17:00:00Z"; // Monday 09:00 PST
const NOW = Temporal.Instant.from("2026-02-24T18:00:00Z");

let base: HandbookConfig;
beforeAll(async () => {
  base = await exampleConfig();
});

function withPost(post: Partial<HandbookConfig["kpi"]["post"]>): HandbookConfig {
  return { ...base, kpi: { ...base.kpi, post: { ...base.kpi.post, ...post } } };
}

function snapshot(kpi: Partial<KpiSnapshotPart> = {}, synced = true): Snapshot {
  const world = new World().issue(1, {
    at: "2026-02-20T17:00:00Z",
    labels: ["bug", "~released bug", "#g-mdm"],
  });
  const view = kpiView(
    indexKpiData(world.data()),
    kpiSettings(base),
    reportWindows(Temporal.Instant.from(BOUNDARY), base.calendar.timeZone),
  );
  return {
    repositories: [{ fullName: "fleetdm/fleet", synced, labels: [] }],
    kpi: { latestWeekly: { asOf: BOUNDARY, view }, postedWeeks: [], ...kpi },
  };
}

describe("posting the weekly KPI report", () => {
  it("R2: posts nothing when kpi.post.to is off (the default)", () => {
    const out = kpiWeeklyReport.decide({ config: base, snapshot: snapshot(), now: NOW });
    expect(out).toEqual({ effects: [], observations: [] });
  });

  it("R2: opens one issue for the week that ended, with the report and its marker", () => {
    const config = withPost({ to: "issue", labels: [":kpi"] });
    const out = kpiWeeklyReport.decide({ config, snapshot: snapshot(), now: NOW });
    expect(out).toPlan([
      'fleetdm/fleet: open issue "Engineering KPIs: week ending 2026-02-23" [:kpi]',
    ]);
    const [effect] = out.effects;
    expect(effect!.key).toBe("kpi-weekly-report:createIssue:fleetdm/fleet:kpi-week-2026-02-23");
    const body = (effect!.effect as { body: string }).body;
    expect(body.startsWith("<!-- bosun:kpi-week 2026-02-23 -->\n## Engineering KPIs")).toBe(true);
    expect(body).toContain("\n,0,,0,3,,0,3,1,0,0,0,0,1,0,1,0,1,1,0\n");
    expect(effect!.reason).toMatch(/^R2: /);
  });

  it("R2: comments on the configured issue instead, when asked", () => {
    const config = withPost({ to: "comment", issue: 1234 });
    const out = kpiWeeklyReport.decide({ config, snapshot: snapshot(), now: NOW });
    expect(out.effects.map((e) => e.key)).toEqual([
      "kpi-weekly-report:comment:fleetdm/fleet#1234:kpi-week-2026-02-23",
    ]);
  });

  it("R2: already as it should be: the week's report is on GitHub, nothing to do", () => {
    const config = withPost({ to: "issue" });
    const out = kpiWeeklyReport.decide({
      config,
      snapshot: snapshot({ postedWeeks: ["2026-02-16", "2026-02-23"] }),
      now: NOW,
    });
    expect(out).toPlan([]);
    expect(out.observations[0]?.message).toContain("already on GitHub");
  });

  it("R2: waits for the week's snapshot and for the first sync", () => {
    const config = withPost({ to: "issue" });
    const later = Temporal.Instant.from("2026-03-02T18:00:00Z"); // the next week has ended
    expect(kpiWeeklyReport.decide({ config, snapshot: snapshot(), now: later })).toPlan([]);
    const unsynced = kpiWeeklyReport.decide({ config, snapshot: snapshot({}, false), now: NOW });
    expect(unsynced).toPlan([]);
    expect(unsynced.observations[0]?.message).toContain("synced");
  });

  it("R2: two processes applying the plan post the report once", async () => {
    const config = withPost({ to: "issue" });
    const out = kpiWeeklyReport.decide({ config, snapshot: snapshot(), now: NOW });
    const plan = assemblePlan("p1", NOW.toString(), [out]);
    const store = await openStore({ inMemory: true });
    try {
      const applier = new RecordingApplier();
      const [a, b] = await Promise.all([
        execute(plan, applier, store, { dryRun: false, owner: "host-a:1" }),
        execute(plan, applier, store, { dryRun: false, owner: "host-b:2" }),
      ]);
      // One claims the week's key and applies; the other finds it claimed or done.
      const statuses = [a[0]!.status, b[0]!.status].sort();
      expect(statuses[0]).toBe("applied");
      expect(["already-done", "in-progress"]).toContain(statuses[1]);
      expect(applier.lines).toHaveLength(1);
      const again = await execute(plan, applier, store, { dryRun: false, owner: "host-a:1" });
      expect(again[0]!.status).toBe("already-done");
    } finally {
      await store.close();
    }
  });
});
