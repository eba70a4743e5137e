// One business calendar decides the release train (R14, R9, R11): an RC cut, freeze or release
// that falls on a holiday or a day outside calendar.workDays moves to the previous business
// day at the same local time (releaseTrain.onHoliday: previous | next | keep), and every clock
// that reads the release calendar follows: the train's phase, the merge gate, the release
// actions, the runtime's instants, the calendar and the config summary.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { calendar as calendarCommand } from "../../src/cli/commands/calendar.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { renderSummary, summarizeConfig } from "../../src/handbook/summary.js";
import { feature, freezeMode, verdictOf } from "../../src/rules/merge-gate/builder.js";
import { mergeGate } from "../../src/rules/merge-gate/index.js";
import { FLEET, ReleaseState } from "../../src/rules/release-actions/builder.js";
import { releaseActions } from "../../src/rules/release-actions/index.js";
import { isoWithOffset } from "../../src/time/index.js";
import { describeMove } from "../../src/time/moves.js";
import {
  nextTransitions,
  releaseCalendar,
  releaseEvents,
  trainPhase,
} from "../../src/time/release.js";
import { EXAMPLE, exampleConfig } from "../support/app.js";

const pt = (local: string) =>
  Temporal.PlainDateTime.from(local).toZonedDateTime("America/Los_Angeles").toInstant();
const iso = isoWithOffset;

let example: HandbookConfig;
beforeAll(async () => {
  example = await exampleConfig();
});

const withTrain = (
  config: HandbookConfig,
  train: Partial<HandbookConfig["releaseTrain"]>,
  holidays?: HandbookConfig["calendar"]["holidays"],
): HandbookConfig => ({
  ...config,
  calendar: { ...config.calendar, ...(holidays ? { holidays } : {}) },
  releaseTrain: { ...config.releaseTrain, ...train },
});

describe("release train events on holidays", () => {
  it("R14: an RC cut on a holiday moves to the previous business day", () => {
    // Sprint 16 (2026-12-07 to 2026-12-28): its last Friday is Christmas Day, a configured holiday.
    const calendar = releaseCalendar(example);
    expect(example.releaseTrain.onHoliday).toBe("previous");
    expect(iso(calendar.rcCut(16))).toBe("2026-12-24T08:00:00-08:00");
    const cut = calendar.occurrence("rc-cut", 16);
    expect(cut.sequence).toBe(1);
    expect(describeMove(cut.moved!)).toBe(
      "moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24",
    );
    // The next cut after the one before it is that one, and the release is unchanged.
    expect(iso(calendar.nextRcCut(pt("2026-12-05T00:00")))).toBe("2026-12-24T08:00:00-08:00");
    expect(iso(calendar.release(16))).toBe("2026-12-28T09:00:00-08:00");
    // An event on a business day does not move.
    expect(calendar.occurrence("rc-cut", 15)).toEqual({ at: calendar.rcCut(15), sequence: 0 });
  });

  it("R14: onHoliday: next moves the cut to the next business day; keep leaves it on the holiday", () => {
    const next = releaseCalendar(withTrain(example, { onHoliday: "next" }));
    expect(iso(next.rcCut(16))).toBe("2026-12-28T08:00:00-08:00");
    const keep = releaseCalendar(withTrain(example, { onHoliday: "keep" }));
    expect(iso(keep.rcCut(16))).toBe("2026-12-25T08:00:00-08:00");
    expect(keep.occurrence("rc-cut", 16)).toMatchObject({ sequence: 0 });
    expect(keep.occurrence("rc-cut", 16).moved).toBeUndefined();
  });

  it("R14: a cut scheduled on a day outside calendar.workDays moves to the work day before it", () => {
    const saturday = releaseCalendar(
      withTrain(example, { rcCut: { weekday: "saturday", time: "08:00", which: "last" } }),
    );
    expect(iso(saturday.rcCut(2))).toBe("2026-03-06T08:00:00-08:00");
    expect(describeMove(saturday.occurrence("rc-cut", 2).moved!)).toBe(
      "moved from Sat 2026-03-07 (not a work day) to Fri 2026-03-06",
    );
  });

  it("R14/R11: a release on a holiday moves back across the March DST change at the same local time", () => {
    // The release of sprint 2 is Mon 2026-03-09 09:00 PDT, the day after the clocks go forward.
    const config = withTrain(freezeMode(example), {}, [{ date: "2026-03-09", name: "Offsite" }]);
    const calendar = releaseCalendar(config);
    // Fri 2026-03-06 09:00 is still winter time: 17:00 UTC, not 16:00.
    expect(iso(calendar.release(2))).toBe("2026-03-06T09:00:00-08:00");
    expect(calendar.release(2).toInstant().toString()).toBe("2026-03-06T17:00:00Z");
    // The deep freeze follows the release (24 hours before it); the freeze stays on Tuesday.
    expect(iso(calendar.deepFreeze(2))).toBe("2026-03-05T09:00:00-08:00");
    expect(iso(calendar.freeze(2))).toBe("2026-03-03T09:00:00-08:00");
    expect(trainPhase(calendar, pt("2026-03-05T12:00")).phase).toBe("deep-frozen");
    // After the moved release main is open, although the old release day has not come yet.
    expect(trainPhase(calendar, pt("2026-03-06T09:00"))).toMatchObject({
      phase: "open",
      releaseIndex: 3,
    });
    expect(trainPhase(calendar, pt("2026-03-06T09:00")).since.equals(calendar.release(2))).toBe(
      true,
    );
  });

  it("R14: onHoliday: next moves an RC cut forward across the March DST change at 08:00 local", () => {
    const config = withTrain(example, { onHoliday: "next" }, [{ date: "2026-03-06" }]);
    const cut = releaseCalendar(config).rcCut(2);
    expect(iso(cut)).toBe("2026-03-09T08:00:00-07:00");
    expect(cut.toInstant().toString()).toBe("2026-03-09T15:00:00Z");
    expect(describeMove(releaseCalendar(config).occurrence("rc-cut", 2).moved!)).toBe(
      "moved from Fri 2026-03-06 (a holiday) to Mon 2026-03-09",
    );
  });
});

describe("every clock follows the moved event", () => {
  const state = () =>
    new ReleaseState().repository(FLEET, {
      tags: ["fleet-v4.63.0"],
      branches: ["main"],
      milestones: [{ title: "4.64.0", state: "open" }],
      mainSha: "c0ffee0000000000000000000000000000000000",
      qaIssueTitles: [],
    });

  it("R14: release actions cut the RC, file the QA issue and repoint QA on Thu 2026-12-24, not on Christmas", () => {
    const before = releaseActions.decide(state().input(), example, pt("2026-12-24T07:59"));
    expect(before.effects.map((e) => e.effect.type)).not.toContain("createRef");
    const out = releaseActions.decide(state().input(), example, pt("2026-12-24T08:00"));
    expect(out.effects.map((e) => e.effect.type)).toEqual(
      expect.arrayContaining(["createRef", "createIssue", "setVariable"]),
    );
    const cut = out.effects.find((e) => e.effect.type === "createRef")!;
    expect(cut.effect).toMatchObject({ ref: "refs/heads/rc-minor-fleet-v4.64.0" });
    expect(cut.reason).toContain("R14: RC cut Thu 2026-12-24 08:00 PST");
    const qa = out.effects.find((e) => e.effect.type === "setVariable")!;
    expect(qa.effect).toMatchObject({ value: "rc-minor-fleet-v4.64.0" });
  });

  it("R14: the runtime's next instant for the release train is the moved cut", () => {
    const instants = releaseActions.triggers!.instants!(example, pt("2026-12-07T10:00"));
    expect(instants.map((i) => i.at.toString())).toEqual(["2026-12-24T16:00:00Z"]);
    expect(mergeGate.triggers!.instants!(example, pt("2026-12-07T10:00"))[0]?.at.toString()).toBe(
      "2026-12-24T16:00:00Z",
    );
    expect(nextTransitions(releaseCalendar(example), pt("2026-12-07T10:00"), 1)[0]?.kind).toBe(
      "rc-cut",
    );
  });

  it("R14: the RC period (R15's merge rules into the RC) begins at the moved cut", () => {
    const calendar = releaseCalendar(example);
    expect(trainPhase(calendar, pt("2026-12-24T07:59")).phase).toBe("open");
    const p = trainPhase(calendar, pt("2026-12-24T08:00"));
    expect(p).toMatchObject({ phase: "rc", releaseIndex: 16 });
    expect(iso(p.since)).toBe("2026-12-24T08:00:00-08:00");
  });

  it("R9: the merge gate freezes main a business day early when the freeze falls on a holiday", () => {
    // Freeze mode, sprint 16: the release is Mon 2026-12-28, its freeze Tue 2026-12-22.
    const config = withTrain(freezeMode(example), {}, [
      ...example.calendar.holidays,
      { date: "2026-12-22", name: "Winter shutdown" },
    ]);
    expect(iso(releaseCalendar(config).freeze(16))).toBe("2026-12-21T09:00:00-08:00");
    const frozen = verdictOf(config, pt("2026-12-21T10:00"), feature());
    expect(frozen.state).toBe("failure");
    expect(frozen.rule).toBe("R9");
    expect(frozen.reason).toContain("since Mon 2026-12-21 09:00 PST");
    expect(verdictOf(config, pt("2026-12-21T08:59"), feature()).state).toBe("success");
  });
});

describe("bosun calendar and bosun config check say where a date moved and why", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("R14: the calendar's events carry the move; the sprint's uid is unchanged and SEQUENCE raised", () => {
    const calendar = releaseCalendar(example);
    const events = releaseEvents(
      calendar,
      example.releaseTrain,
      pt("2026-12-20T00:00"),
      pt("2027-01-01T00:00"),
      {
        now: pt("2026-12-03T09:00"),
        uidDomain: "fleetdm.bosun",
      },
    );
    const cut = events.find((e) => e.kind === "rc-cut")!;
    expect(cut).toMatchObject({ uid: "rc-cut-2026-12-07@fleetdm.bosun", sequence: 1 });
    expect(iso(cut.start)).toBe("2026-12-24T08:00:00-08:00");
    expect(describeMove(cut.moved!)).toBe(
      "moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24",
    );
    expect(events.find((e) => e.kind === "release")).toMatchObject({ sequence: 0 });
  });

  it("R14: `bosun calendar` prints the move in its table and in --json", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bosun-holidays-"));
    vi.stubEnv("BOSUN_DATA_DIR", dir);
    vi.stubEnv("BOSUN_SERVER", "");
    vi.stubEnv("DATABASE_URL", "");
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const range = { config: EXAMPLE, from: "2026-12-20", to: "2026-12-31" };
    expect(await calendarCommand({ ...range, json: true })).toBe(0);
    const events = JSON.parse(out.join("")) as { kind: string; start: string; moved?: string }[];
    expect(events.find((e) => e.kind === "rc-cut")).toMatchObject({
      start: "2026-12-24T08:00:00-08:00",
      moved: "moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24",
    });
    expect(events.find((e) => e.kind === "release")?.moved).toBeUndefined();
    out.length = 0;
    expect(await calendarCommand(range)).toBe(0);
    const table = out.join("");
    expect(table).toMatch(/Moved/);
    expect(table.replace(/\s+/g, " ")).toContain(
      "2026-12-24T08:00:00-08:00 moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24",
    );
    vi.unstubAllEnvs();
  }, 60_000);

  it("R14: the config summary names the coming moved events", () => {
    const summary = summarizeConfig(example, Temporal.Instant.from("2026-12-03T17:00:00Z"));
    expect(summary.onHoliday).toBe("previous");
    expect(summary.moved).toEqual([
      {
        kind: "rc-cut",
        at: "2026-12-24T08:00:00-08:00",
        text: "moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24",
      },
    ]);
    const text = renderSummary(summary);
    expect(text).toContain(
      "  moved         RC cut moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24",
    );
    expect(text.split("\n").length).toBeLessThanOrEqual(25);
    // Once the cut is past, nothing in the coming 26 weeks moves.
    expect(summarizeConfig(example, pt("2026-12-24T08:00")).moved).toEqual([]);
    // And the next RC cut the summary names is the moved one.
    expect(summarizeConfig(example, pt("2026-12-07T10:00")).nextRcCut).toBe(
      "2026-12-24T08:00:00-08:00",
    );
  });
});
