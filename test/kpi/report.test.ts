import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { KpiInputError, parseAsOf } from "../../src/api/kpi.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import {
  boundaryAtOrBefore,
  computeKpi,
  csvRow,
  indexKpiData,
  type KpiMode,
  type KpiSettings,
  kpiSettings,
  kpiView,
  reportWindows,
  weekBoundary,
} from "../../src/rules/kpi/index.js";
import { issue, pullRequest } from "../../src/rules/merge-gate/builder.js";
import { classify } from "../../src/rules/merge-gate/classify.js";
import { exampleConfig } from "../support/app.js";
import { FLEET, World } from "./builder.js";

let config: HandbookConfig;
let settings: KpiSettings;
beforeAll(async () => {
  config = await exampleConfig();
  settings = kpiSettings(config);
});

const ZONE = "America/Los_Angeles";
// Monday 2026-02-23 09:00 PST, the example configuration's week boundary.
const T1 = "2026-02-23T17:00:00Z";

function report(world: World, at: string, mode: KpiMode = "exact", s: KpiSettings = settings) {
  return computeKpi(
    indexKpiData(world.data()),
    s,
    reportWindows(Temporal.Instant.from(at), ZONE),
    mode,
  );
}

const col = (r: ReturnType<typeof report>, n: number) => r.columns[n - 1]!.value;

/** The week ending T1, with every kind of item the 20 columns distinguish. */
function weekWorld(): World {
  return (
    new World()
      // Bugs. Ages at T1: #1 30 d, #2 10 d, #3 3.5 d, #4 1 d, #6 53.71 d.
      .issue(1, {
        at: "2026-01-24T17:00:00Z",
        labels: ["bug", "~released bug", "#g-endpoint-ops", ":incoming"],
      })
      .issue(2, {
        at: "2026-02-13T17:00:00Z",
        labels: ["bug", "~unreleased bug", "#g-mdm", ":reproduce"],
      })
      .issue(3, {
        at: "2026-02-20T05:00:00Z",
        labels: ["bug", "~released bug", "#g-endpoint-ops", "customer-acme"],
      })
      // Both released and unreleased: a released bug (handbook/labels.ts bugRelease).
      .issue(4, {
        at: "2026-02-22T17:00:00Z",
        labels: [
          "bug",
          "~unreleased bug",
          "~released bug",
          "#g-mdm",
          "customer-initech",
          ":release",
        ],
      })
      // Opened and closed within the week.
      .issue(5, { at: "2026-02-18T17:00:00Z", labels: ["bug", "~released bug", "#g-mdm"] })
      .close(5, "2026-02-21T17:00:00Z")
      // Neither released nor unreleased: a warning.
      .issue(6, {
        at: "2026-01-01T00:00:00Z",
        labels: ["bug", "#g-endpoint-ops"],
        title: "No kind",
      })
      // Closed before the week.
      .issue(7, { at: "2026-02-01T17:00:00Z", labels: ["bug", "~released bug"] })
      .close(7, "2026-02-10T17:00:00Z")
      // Not a bug.
      .issue(8, { at: "2026-02-20T17:00:00Z", labels: ["story", "#g-mdm"] })
      // A repository that does not count (confidential has kpi: false).
      .issue(9, {
        at: "2026-02-20T17:00:00Z",
        labels: ["bug", "~released bug"],
        repo: "fleetdm/confidential",
      })
      // PRs. Ages at T1: #20 2 d, #21 10 d, #22 4 d.
      .pr(20, { at: "2026-02-21T17:00:00Z", author: "getvictor" })
      .pr(21, { at: "2026-02-13T17:00:00Z", author: "dependabot[bot]", authorType: "Bot" })
      .pr(22, { at: "2026-02-19T17:00:00Z", author: "lukeheath", labels: ["#handbook"] })
      .pr(23, { at: "2026-02-01T17:00:00Z", author: "mna", draft: true })
      .pr(24, { at: "2026-02-17T17:00:00Z", author: "mna" })
      .toDraft(24, "2026-02-22T17:00:00Z")
      .pr(26, { at: "2026-02-10T17:00:00Z", author: "roperzh" })
      .merge(26, "2026-02-20T17:00:00Z")
  );
}

describe("the 20 KPI columns at a week boundary", () => {
  it("R2: exact figures, in the sheet's order, as one CSV row", () => {
    const r = report(weekWorld(), T1);
    expect(r.weekStart).toBe("2026-02-16T17:00:00Z");
    expect(r.repositories).toEqual([FLEET]);
    expect(csvRow(r)).toBe("2,1,5,3,12,10,1,20,3,1,1,1,0,2,1,2,0,5,3,1");
    expect(r.columns.map((c) => c.index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(r.columns[9]!.name).toBe("#g-endpoint-ops bugs opened in the past 7 days");
    expect(r.columns[13]!.name).toBe("#g-mdm bugs opened in the past 7 days");
  });

  it("R2: script-compatible figures count only still-open bugs as opened in the past 7 days", () => {
    const r = report(weekWorld(), T1, "script");
    // #5 was opened and closed within the week: the script never sees it as opened.
    expect(csvRow(r)).toBe("2,1,5,3,12,10,1,20,2,1,1,1,0,1,1,1,0,5,3,1");
    const view = kpiView(
      indexKpiData(weekWorld().data()),
      settings,
      reportWindows(Temporal.Instant.from(T1), ZONE),
    );
    expect(view.differences.map((d) => [d.index, d.exact, d.script])).toEqual([
      [9, 3, 2],
      [14, 2, 1],
      [16, 2, 1],
    ]);
  });

  it("R1: bugs opened and closed this week, open bugs in total and per state", () => {
    const r = report(weekWorld(), T1);
    expect(r.r1).toEqual({
      openedThisWeek: 3,
      open: 5,
      openByState: [
        { state: "inbox", count: 1 },
        { state: "acknowledged", count: 1 },
        { state: "reproduced", count: 1 },
      ],
      openWithoutState: 2,
      closedThisWeek: 1,
    });
  });

  it("R2: per product group, and bugs without a group", () => {
    const r = report(weekWorld(), T1);
    const mdm = r.groups.find((g) => g.label === "#g-mdm")!;
    expect(mdm).toEqual({
      label: "#g-mdm",
      name: "MDM",
      openedThisWeek: 2,
      openedCustomerImpacting: 1,
      openedReleased: 2,
      openedUnreleased: 0,
      closedThisWeek: 1,
      open: 2,
      openReleased: 1,
      openUnreleased: 1,
      averageDaysOpen: 6,
    });
    expect(r.groups.at(-1)).toMatchObject({ label: null, open: 0 });
  });

  it("R2: warns about open bugs with neither the released nor the unreleased label, with links", () => {
    const r = report(weekWorld(), T1);
    expect(r.unlabelledBugs).toEqual([
      {
        repo: FLEET,
        number: 6,
        title: "No kind",
        url: "https://github.com/fleetdm/fleet/issues/6",
        daysOpen: 53,
      },
    ]);
  });

  it("R2: an average over nothing is empty, not 0", () => {
    const r = report(new World(), T1);
    expect(csvRow(r)).toBe(",0,,0,,,0,,0,0,0,0,0,0,0,0,0,0,0,0");
    expect(col(r, 1)).toBeNull();
  });

  it("R2: averages round half up to whole days", () => {
    // Released bugs #1 (30 d), #3 (3.5 d) and #4 (1 d): 11.5 days -> 12.
    expect(col(report(weekWorld(), T1), 5)).toBe(12);
  });

  it("R2/R11: a bug labelled both released and unreleased is released, as the merge gate says", () => {
    const labels = ["bug", "~released bug", "~unreleased bug", "#g-mdm"];
    const r = report(new World().issue(1, { at: "2026-02-20T17:00:00Z", labels }), T1);
    expect([col(r, 18), col(r, 19), col(r, 20)]).toEqual([1, 1, 0]);
    const gate = classify(
      pullRequest({ body: "For #1", linkedIssues: [issue(1, labels)] }),
      config,
    );
    expect(gate.release).toBe("released");
  });

  it("R2/R11: labels count under their aliases (the older handbook's ~unreleased-bug)", () => {
    expect(config.labels.aliases.unreleasedBug).toEqual(["~unreleased-bug"]);
    const w = new World()
      .issue(1, { at: "2026-02-20T17:00:00Z", labels: ["bug", "~unreleased-bug", "#g-mdm"] })
      .issue(2, { at: "2026-02-20T17:00:00Z", labels: ["bug", "#g-mdm"] })
      .label(2, "2026-02-21T17:00:00Z", "~unreleased-bug")
      .unlabel(2, "2026-02-22T17:00:00Z", "~unreleased-bug");
    const r = report(w, T1);
    expect([col(r, 18), col(r, 19), col(r, 20)]).toEqual([2, 0, 1]);
    // At the 21st 18:00, #2 carried the alias: the event history counts it too.
    const earlier = report(w, "2026-02-21T18:00:00Z");
    expect(col(earlier, 20)).toBe(2);
  });
});

describe("as-of reconstruction from issue events", () => {
  it("R2: a bug closed and reopened is open between, and counts as closed once closed again", () => {
    const w = new World()
      .issue(40, { at: "2026-02-01T17:00:00Z", labels: ["bug", "~released bug"] })
      .close(40, "2026-02-17T17:00:00Z")
      .reopen(40, "2026-02-18T17:00:00Z")
      .close(40, "2026-02-27T17:00:00Z");
    // Closed on the 17th, within the week, but open again at T1: not closed this week.
    expect([col(report(w, T1), 7), col(report(w, T1), 18)]).toEqual([0, 1]);
    expect(col(report(w, "2026-02-17T20:00:00Z"), 18)).toBe(0);
    // The last closing (the 27th) is in the week ending March 2.
    const next = report(w, "2026-03-02T17:00:00Z");
    expect([col(next, 7), col(next, 18)]).toEqual([1, 0]);
  });

  it("R1: a bug label removed after T still counts at T, and not after", () => {
    const w = new World()
      .issue(30, { at: "2026-02-10T17:00:00Z", labels: ["bug", "~released bug"] })
      .unlabel(30, "2026-02-25T17:00:00Z", "~released bug")
      .label(30, "2026-02-25T17:00:00Z", "~unreleased bug")
      .issue(31, { at: "2026-02-10T17:00:00Z", labels: ["bug", "~released bug"] })
      .unlabel(31, "2026-02-26T17:00:00Z", "bug");
    const before = report(w, T1);
    expect([col(before, 18), col(before, 19), col(before, 20)]).toEqual([2, 2, 0]);
    const after = report(w, "2026-03-02T17:00:00Z");
    expect([col(after, 18), col(after, 19), col(after, 20)]).toEqual([1, 0, 1]);
    expect(after.r1.open).toBe(1);
  });

  it("R2: a PR converted to draft counts until it is converted", () => {
    const w = weekWorld();
    // #24 (6 days old at T1) was converted on the 22nd.
    const earlier = report(w, "2026-02-20T17:00:00Z");
    expect(col(earlier, 4)).toBe(3); // #21, #22, #24 (#20 did not exist yet)
    expect(col(report(w, T1), 4)).toBe(3); // #20, #21, #22
    const readied = new World()
      .pr(60, { at: "2026-02-01T17:00:00Z", draft: true })
      .ready(60, "2026-02-20T17:00:00Z");
    expect(col(report(readied, "2026-02-19T17:00:00Z"), 4)).toBe(0);
    expect(col(report(readied, T1), 4)).toBe(1);
  });

  it("R2: a bot author's PR counts in columns 3-4, not 1-2; so do configured bot logins (exact only)", () => {
    const r = report(weekWorld(), T1);
    expect([col(r, 2), col(r, 4)]).toEqual([1, 3]);
    const withBot = { ...settings, botLogins: ["getvictor"] };
    expect(col(report(weekWorld(), T1, "exact", withBot), 2)).toBe(0);
    // The script knows only GitHub's type "Bot".
    expect(col(report(weekWorld(), T1, "script", withBot), 2)).toBe(1);
  });

  it("R2: a PR with an excluded label counts in columns 3-4, not 1-2", () => {
    const w = new World()
      .pr(70, { at: "2026-02-20T17:00:00Z", labels: [":improve documentation"] })
      .pr(71, { at: "2026-02-20T17:00:00Z", labels: ["~ceo"] });
    const r = report(w, T1);
    expect([col(r, 1), col(r, 2), col(r, 3), col(r, 4)]).toEqual([null, 0, 3, 2]);
    expect(r.ceo).toMatchObject({ open: 1, averageDaysOpen: 3 });
  });

  it("R2: labels the feed has no event for count since creation (the current row decides)", () => {
    const data = new World().issue(80, { at: "2026-02-20T17:00:00Z" }).data();
    const item = data.items[0]!;
    const imported = { ...data, items: [{ ...item, labels: ["bug", "~released bug"] }] };
    const r = computeKpi(
      indexKpiData(imported),
      settings,
      reportWindows(Temporal.Instant.from(T1), ZONE),
    );
    expect([col(r, 9), col(r, 19)]).toEqual([1, 1]);
  });

  it("R2: a closing the feed lacks is read from the row's closed_at", () => {
    const data = new World()
      .issue(81, { at: "2026-02-01T17:00:00Z", labels: ["bug", "~released bug"] })
      .data();
    const closed = {
      ...data,
      items: data.items.map((i) => ({
        ...i,
        state: "closed" as const,
        closedAt: Temporal.Instant.from("2026-02-20T17:00:00Z").epochMilliseconds,
      })),
    };
    const at = (t: string) =>
      computeKpi(indexKpiData(closed), settings, reportWindows(Temporal.Instant.from(t), ZONE));
    expect(col(at("2026-02-19T17:00:00Z"), 18)).toBe(1);
    expect([col(at(T1), 18), col(at(T1), 7)]).toEqual([0, 1]);
  });

  it("R2: commit-to-merge time of PRs merged in the past 3 weeks, from the PR's creation", () => {
    const r = report(weekWorld(), T1);
    expect(r.commitToMerge).toEqual({ merged: 1, averageDays: 10, firstCommit: "pr-created" });
  });
});

describe("week boundaries in the calendar's time zone", () => {
  it("R1: the week ends at the configured weekday and time in calendar.timeZone", () => {
    const w = weekBoundary(config);
    const at = (iso: string) => boundaryAtOrBefore(Temporal.Instant.from(iso), w).toString();
    expect(at("2026-02-23T17:00:00Z")).toBe("2026-02-23T17:00:00Z");
    expect(at("2026-02-23T16:59:59Z")).toBe("2026-02-16T17:00:00Z");
    // Summer time: Monday 09:00 PDT is 16:00 UTC.
    expect(at("2026-07-08T00:00:00Z")).toBe("2026-07-06T16:00:00Z");
    expect(parseAsOf("2026-02-23", config).toString()).toBe("2026-02-23T17:00:00Z");
    expect(parseAsOf("2026-07-06", config).toString()).toBe("2026-07-06T16:00:00Z");
    expect(parseAsOf("2026-07-06T10:30", config).toString()).toBe("2026-07-06T17:30:00Z");
    expect(() => parseAsOf("2026-02-30", config)).toThrow(KpiInputError);
    expect(() => parseAsOf("last monday", config)).toThrow(/not a date: "last monday"/);
  });

  it("R1: a DST week is 167 hours: bugs opened just before its start belong to the week before", () => {
    // Clocks went forward on Sunday 2026-03-08; the week ends Monday 2026-03-09 09:00 PDT.
    const T2 = "2026-03-09T16:00:00Z";
    const w = new World()
      .issue(50, { at: "2026-03-02T16:30:00Z", labels: ["bug", "~released bug"] }) // 08:30 PST
      .issue(51, { at: "2026-03-02T17:30:00Z", labels: ["bug", "~released bug"] }); // 09:30 PST
    const exact = report(w, T2);
    expect(exact.weekStart).toBe("2026-03-02T17:00:00Z");
    expect(col(exact, 9)).toBe(1);
    expect(col(report(w, "2026-03-02T17:00:00Z"), 9)).toBe(1); // #50, in the week before
    // The script's 7 × 24 hours reach back to 08:00 PST and count both.
    expect(col(report(w, T2, "script"), 9)).toBe(2);
  });
});

describe("the script's limits", () => {
  it("R2: the script reads only the 300 newest closed bugs; the exact figure counts every closing", () => {
    const w = new World();
    // 5 old bugs closed this week, then 300 newer bugs closed long ago.
    for (let n = 1; n <= 5; n++) {
      w.issue(n, { at: "2025-06-01T00:00:00Z", labels: ["bug", "~released bug"] });
      w.close(n, "2026-02-20T17:00:00Z");
    }
    for (let n = 6; n <= 305; n++) {
      w.issue(n, { at: "2025-09-01T00:00:00Z", labels: ["bug", "~released bug"] });
      w.close(n, "2025-10-01T00:00:00Z");
    }
    expect(col(report(w, T1), 7)).toBe(5);
    expect(col(report(w, T1, "script"), 7)).toBe(0);
  });

  it("R2: the script counts pull requests carrying the bug label as bugs", () => {
    const w = new World().pr(90, {
      at: "2026-02-20T17:00:00Z",
      labels: ["bug", "~released bug"],
    });
    expect(col(report(w, T1), 18)).toBe(0);
    expect(col(report(w, T1, "script"), 18)).toBe(1);
  });
});
