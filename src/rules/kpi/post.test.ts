import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../../../test/support/app.js";
import "../../../test/support/matchers.js";
import { execute, RecordingApplier } from "../../effects/executor.js";
import { assemblePlan, parseIdempotencyKey } from "../../effects/plan.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { openStore } from "../../store/index.js";
import { FLEET, KpiPostState } from "./builder.js";
import { type KpiSnapshotPart, kpiWeeklyReport } from "./index.js";
import { type KpiPostInput, kpiWeekKey } from "./post.js";

const BOUNDARY = "2026-02-23T17:00:00Z"; // Monday 09:00 PST
const NOW = Temporal.Instant.from("2026-02-24T18:00:00Z");

let base: HandbookConfig;
beforeAll(async () => {
  base = await exampleConfig();
});

function withPost(post: Partial<HandbookConfig["kpi"]["post"]>): HandbookConfig {
  return { ...base, kpi: { ...base.kpi, post: { ...base.kpi.post, ...post } } };
}

/** One open released bug of #g-mdm, the weekly snapshot at BOUNDARY, nothing posted yet. */
const state = (synced = true) =>
  new KpiPostState()
    .repository(FLEET, { synced })
    .issue(1, { at: "2026-02-20T17:00:00Z", labels: ["bug", "~released bug", "#g-mdm"] })
    .weekly(BOUNDARY, base);

function snapshot(kpi: Partial<KpiSnapshotPart> = {}, synced = true): KpiPostInput {
  const input = state(synced).input();
  return { ...input, kpi: { ...input.kpi!, ...kpi } };
}

describe("posting the weekly KPI report", () => {
  it("R2: posts nothing when kpi.post.to is off (the default)", () => {
    const out = kpiWeeklyReport.decide(snapshot(), base, NOW);
    expect(out).toEqual({ effects: [], observations: [] });
  });

  it("R2: opens one issue for the week that ended, with the report and its marker", () => {
    const config = withPost({ to: "issue", labels: [":kpi"] });
    const out = kpiWeeklyReport.decide(snapshot(), config, NOW);
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
    const out = kpiWeeklyReport.decide(snapshot(), config, NOW);
    expect(out.effects.map((e) => e.key)).toEqual([
      "kpi-weekly-report:comment:fleetdm/fleet#1234:kpi-week-2026-02-23",
    ]);
  });

  it("R2: already as it should be: the week's report is on GitHub, nothing to do", () => {
    const config = withPost({ to: "issue" });
    const out = kpiWeeklyReport.decide(
      snapshot({ postedWeeks: ["2026-02-16", "2026-02-23"] }),
      config,
      NOW,
    );
    expect(out).toPlan([]);
    expect(out.observations[0]?.message).toContain("already on GitHub");
  });

  it("R2: waits for the week's snapshot and for the first sync", () => {
    const config = withPost({ to: "issue" });
    const later = Temporal.Instant.from("2026-03-02T18:00:00Z"); // the next week has ended
    expect(kpiWeeklyReport.decide(snapshot(), config, later)).toPlan([]);
    const unsynced = kpiWeeklyReport.decide(snapshot({}, false), config, NOW);
    expect(unsynced).toPlan([]);
    expect(unsynced.observations[0]?.message).toContain("synced");
  });

  it("R2: two processes applying the plan post the report once", async () => {
    const config = withPost({ to: "issue" });
    const out = kpiWeeklyReport.decide(snapshot(), config, NOW);
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

  it("R2: already as it should be, built by hand: the week posted, nothing to write", () => {
    const config = withPost({ to: "comment", issue: 1234 });
    const out = kpiWeeklyReport.decide(state().posted("2026-02-23").input(), config, NOW);
    expect(out).toPlan([]);
    expect(out.observations.map((o) => o.message)).toEqual([
      "R2: the report of the week ending 2026-02-23 is already on GitHub",
    ]);
  });

  it("R2: a week posted earlier does not stand for the week that ended", () => {
    const config = withPost({ to: "issue" });
    const out = kpiWeeklyReport.decide(state().posted("2026-02-16").input(), config, NOW);
    expect(out).toPlan(['fleetdm/fleet: open issue "Engineering KPIs: week ending 2026-02-23"']);
  });

  it("refuses a second issue with the same number, and a week posted twice", () => {
    expect(() => state().issue(1, { at: "2026-02-21T17:00:00Z" })).toThrow(
      "fleetdm/fleet#1 already exists",
    );
    expect(() => state().posted("2026-02-23", "2026-02-23")).toThrow(
      "the week 2026-02-23 is already posted",
    );
  });
});

describe("KPI week identity", () => {
  it("build then parse gives the week back", () => {
    expect(kpiWeekKey.parse(kpiWeekKey.build("2026-02-23"))).toBe("2026-02-23");
    const out = kpiWeeklyReport.decide(snapshot(), withPost({ to: "issue" }), NOW);
    expect(kpiWeekKey.parse(parseIdempotencyKey(out.effects[0]!.key).discriminator)).toBe(
      "2026-02-23",
    );
  });

  it.each([
    ["an empty discriminator", ""],
    ["a week without its prefix", "2026-02-23"],
    ["a prefix without a week", "kpi-week-"],
    ["a week not written YYYY-MM-DD", "kpi-week-2026-2-23"],
    ["an instant instead of a date", "kpi-week-2026-02-23T17:00:00Z"],
    ["another rule's key", "weekly-bug-review@2026-02-23"],
    ["a date that does not exist", "kpi-week-2026-13-45"],
  ])("parse refuses %s", (_name, discriminator) => {
    expect(kpiWeekKey.parse(discriminator)).toBeUndefined();
  });
});
