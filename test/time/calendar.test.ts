import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import type { CalendarConfig, HandbookConfig } from "../../src/handbook/schema.js";
import { businessCalendar } from "../../src/time/business.js";
import { isoWithOffset } from "../../src/time/index.js";
import { onCallAt } from "../../src/time/oncall.js";
import { releaseCalendar } from "../../src/time/release.js";

const PACIFIC: CalendarConfig = {
  timeZone: "America/Los_Angeles",
  businessHours: { start: "09:00", end: "17:00" },
  workDays: ["monday", "tuesday", "wednesday", "thursday", "friday"],
  holidays: [{ date: "2026-11-26", name: "Thanksgiving" }, { date: "2026-11-27" }],
};

const TRAIN: HandbookConfig["releaseTrain"] = {
  mode: "release-candidate",
  sprint: { lengthWeeks: 3, anchor: "2026-01-05" },
  rcCut: { weekday: "friday", time: "08:00", which: "last" },
  freeze: { weekday: "tuesday", time: "09:00" },
  deepFreezeHours: 24,
  release: { weekday: "monday", time: "09:00" },
  branches: { main: "main", rc: "rc-minor-fleet-v{version}", patch: "patch-fleet-v{version}" },
  milestone: "{version}",
  tentativeMilestone: "{version}-tentative",
  tag: "fleet-v{version}",
  onHoliday: "previous",
  overrides: [],
  mergeGate: {
    context: "bosun/merge-gate",
    docsPaths: ["docs/**"],
    nonCodePaths: [],
    approvalsOnHeadOnly: false,
  },
  qaIssueTitle: "Release QA: {version}",
};

/** A wall-clock time in Los Angeles, e.g. pt("2026-03-06T16:00"). */
const pt = (local: string) =>
  Temporal.PlainDateTime.from(local).toZonedDateTime("America/Los_Angeles").toInstant();
const iso = isoWithOffset;

describe("business calendar", () => {
  const calendar = businessCalendar(PACIFIC);

  it("R41: business hours are 09:00-17:00 Pacific, Monday to Friday", () => {
    expect(calendar.isBusinessTime(pt("2026-01-12T09:00"))).toBe(true); // Monday opening
    expect(calendar.isBusinessTime(pt("2026-01-12T08:59"))).toBe(false);
    expect(calendar.isBusinessTime(pt("2026-01-16T16:59"))).toBe(true); // Friday
    expect(calendar.isBusinessTime(pt("2026-01-16T17:00"))).toBe(false); // closing is exclusive
    expect(calendar.isBusinessTime(pt("2026-01-17T12:00"))).toBe(false); // Saturday
    expect(calendar.isBusinessTime(pt("2026-01-18T12:00"))).toBe(false); // Sunday
    // 17:30 UTC is 09:30 Pacific in winter.
    expect(calendar.isBusinessTime(Temporal.Instant.from("2026-01-12T17:30:00Z"))).toBe(true);
  });

  it("R41: holidays have no business hours", () => {
    expect(calendar.isBusinessTime(pt("2026-11-26T12:00"))).toBe(false);
    expect(calendar.holiday(Temporal.PlainDate.from("2026-11-26"))).toBe("Thanksgiving");
    expect(calendar.isBusinessDay(Temporal.PlainDate.from("2026-11-27"))).toBe(false);
    expect(calendar.isBusinessDay(Temporal.PlainDate.from("2026-11-30"))).toBe(true);
  });

  it("R41: one hour of business time from Friday 16:30 ends Monday 09:30 (across a weekend)", () => {
    const due = calendar.addBusinessDuration(pt("2026-01-16T16:30"), 60);
    expect(iso(due)).toBe("2026-01-19T09:30:00-08:00");
  });

  it("R41: a mention outside business hours is due one hour after the next opening", () => {
    expect(iso(calendar.addBusinessDuration(pt("2026-01-13T20:15"), 60))).toBe(
      "2026-01-14T10:00:00-08:00",
    );
    expect(iso(calendar.addBusinessDuration(pt("2026-01-17T11:00"), 60))).toBe(
      "2026-01-19T10:00:00-08:00",
    );
    expect(iso(calendar.nextBusinessTime(pt("2026-01-17T11:00")))).toBe(
      "2026-01-19T09:00:00-08:00",
    );
  });

  it("stops at the close of business when the time runs out exactly then", () => {
    expect(iso(calendar.addBusinessDuration(pt("2026-01-13T16:00"), 60))).toBe(
      "2026-01-13T17:00:00-08:00",
    );
    expect(iso(calendar.addBusinessDuration(pt("2026-01-13T10:00"), 0))).toBe(
      "2026-01-13T10:00:00-08:00",
    );
  });

  it("R41: skips holidays (Thanksgiving and the day after)", () => {
    const due = calendar.addBusinessDuration(pt("2026-11-25T16:00"), 120);
    expect(iso(due)).toBe("2026-11-30T10:00:00-08:00");
  });

  it("R41: is DST-correct when the clocks go forward (2026-03-08)", () => {
    // Friday 16:00 PST + 2 business hours = Monday 10:00 PDT.
    const due = calendar.addBusinessDuration(pt("2026-03-06T16:00"), 120);
    expect(iso(due)).toBe("2026-03-09T10:00:00-07:00");
    expect(due.toInstant().toString()).toBe("2026-03-09T17:00:00Z");
    expect(calendar.businessMinutesBetween(pt("2026-03-06T16:00"), due)).toBe(120);
    // 16:30 UTC is 09:30 PDT after the change (it was 08:30 PST before).
    expect(calendar.isBusinessTime(Temporal.Instant.from("2026-03-09T16:30:00Z"))).toBe(true);
    expect(calendar.isBusinessTime(Temporal.Instant.from("2026-03-06T16:30:00Z"))).toBe(false);
  });

  it("R41: is DST-correct when the clocks go back (2026-11-01)", () => {
    // Friday 16:00 PDT + 2 business hours = Monday 10:00 PST.
    const due = calendar.addBusinessDuration(pt("2026-10-30T16:00"), 120);
    expect(iso(due)).toBe("2026-11-02T10:00:00-08:00");
    expect(due.toInstant().toString()).toBe("2026-11-02T18:00:00Z");
    expect(calendar.businessMinutesBetween(pt("2026-10-30T16:00"), due)).toBe(120);
  });

  it("counts real elapsed time on the day of a DST change itself", () => {
    // Business hours 01:00-04:00 every day: 2026-03-08 has only 2 real hours (02:00-03:00
    // does not exist), 2026-11-01 has 4 (01:00-02:00 happens twice).
    const night = businessCalendar({
      ...PACIFIC,
      businessHours: { start: "01:00", end: "04:00" },
      workDays: ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
      holidays: [],
    });
    expect(iso(night.addBusinessDuration(pt("2026-03-08T01:00"), 150))).toBe(
      "2026-03-09T01:30:00-07:00",
    );
    expect(iso(night.addBusinessDuration(pt("2026-11-01T01:00"), 210))).toBe(
      "2026-11-01T03:30:00-08:00",
    );
  });

  it("counts business minutes between two moments", () => {
    // Friday 16:00 to Monday 10:00: 60 + 60.
    expect(calendar.businessMinutesBetween(pt("2026-01-16T16:00"), pt("2026-01-19T10:00"))).toBe(
      120,
    );
    expect(calendar.businessMinutesBetween(pt("2026-01-19T10:00"), pt("2026-01-16T16:00"))).toBe(0);
  });

  it("refuses a negative duration", () => {
    expect(() => calendar.addBusinessDuration(pt("2026-01-16T16:00"), -1)).toThrow(RangeError);
  });
});

describe("release calendar", () => {
  const releases = releaseCalendar({ calendar: PACIFIC, releaseTrain: TRAIN });

  it("numbers sprints from the anchor, with DST-correct midnights", () => {
    const sprint = releases.sprintAt(pt("2026-03-08T12:00"));
    expect(sprint.index).toBe(2);
    expect(iso(sprint.start)).toBe("2026-02-16T00:00:00-08:00");
    expect(iso(sprint.end)).toBe("2026-03-09T00:00:00-07:00");
    expect(releases.sprintAt(pt("2026-03-09T00:00")).index).toBe(3);
    const before = releases.sprintAt(pt("2026-01-04T23:59"));
    expect(before.index).toBe(-1);
    expect(iso(before.start)).toBe("2025-12-15T00:00:00-08:00");
  });

  it("R14: the RC is cut on the last Friday of the sprint at 08:00 Pacific", () => {
    const cut = releases.nextRcCut(pt("2026-02-20T12:00"));
    expect(iso(cut)).toBe("2026-03-06T08:00:00-08:00");
    expect(cut.dayOfWeek).toBe(5);
    expect(releases.rcCut(2).equals(cut)).toBe(true);
  });

  it("R14: the RC cut stays at 08:00 Pacific after the clocks go forward (UTC-7)", () => {
    const cut = releases.nextRcCut(pt("2026-03-06T08:00:01"));
    expect(iso(cut)).toBe("2026-03-27T08:00:00-07:00");
    expect(cut.toInstant().toString()).toBe("2026-03-27T15:00:00Z");
  });

  it("R14: the RC cut stays at 08:00 Pacific after the clocks go back (UTC-8)", () => {
    expect(iso(releases.nextRcCut(pt("2026-10-03T00:00")))).toBe("2026-10-23T08:00:00-07:00");
    const cut = releases.nextRcCut(pt("2026-10-24T00:00"));
    expect(iso(cut)).toBe("2026-11-13T08:00:00-08:00");
    expect(cut.toInstant().toString()).toBe("2026-11-13T16:00:00Z");
  });

  it("R14: at the moment of the cut, the next cut is that one", () => {
    expect(iso(releases.nextRcCut(pt("2026-03-06T08:00")))).toBe("2026-03-06T08:00:00-08:00");
  });

  it("R14: can cut on the first Friday of the sprint instead", () => {
    const first = releaseCalendar({
      calendar: PACIFIC,
      releaseTrain: { ...TRAIN, rcCut: { ...TRAIN.rcCut, which: "first" } },
    });
    expect(iso(first.rcCut(2))).toBe("2026-02-20T08:00:00-08:00");
  });

  it("releases at the sprint boundary: Monday 09:00 on the first day of the next sprint", () => {
    expect(iso(releases.release(2))).toBe("2026-03-09T09:00:00-07:00");
    expect(iso(releases.nextRelease(pt("2026-03-09T09:00:01")))).toBe("2026-03-30T09:00:00-07:00");
  });

  it("R9: main freezes on the Tuesday before the release at 09:00 Pacific", () => {
    const freeze = releases.freeze(2);
    expect(iso(freeze)).toBe("2026-03-03T09:00:00-08:00");
    expect(freeze.dayOfWeek).toBe(2);
    expect(iso(releases.nextFreeze(pt("2026-03-04T00:00")))).toBe("2026-03-24T09:00:00-07:00");
  });

  it("R11: the deep freeze is the final 24 hours of elapsed time before the release", () => {
    const deep = releases.deepFreeze(2);
    // The release is Monday 09:00 PDT; 24 real hours earlier is Sunday 09:00 PDT, after the
    // clocks went forward on Sunday 02:00.
    expect(iso(deep)).toBe("2026-03-08T09:00:00-07:00");
    expect(deep.until(releases.release(2)).total("hours")).toBe(24);
    expect(iso(releases.nextDeepFreeze(pt("2026-03-01T00:00")))).toBe("2026-03-08T09:00:00-07:00");
  });
});

describe("on-call rotation", () => {
  const config = {
    calendar: PACIFIC,
    roles: {
      engineeringOutputDri: "lukeheath",
      releaseRitualDri: "lukeheath",
      headOfProductDesign: "noahtalerman",
      vpCustomerSuccess: "zayhanlon",
      onCall: {
        rotation: ["getvictor", "jahzielv", "lucasmrod", "mna"],
        handoff: { weekday: "monday" as const, time: "09:00" },
        startsOn: "2026-01-05",
      },
    },
  };

  it("R43: hands off weekly at the handoff time, in rotation order", () => {
    expect(onCallAt(config, pt("2026-01-05T09:00")).login).toBe("getvictor");
    expect(onCallAt(config, pt("2026-01-12T08:59")).login).toBe("getvictor");
    expect(onCallAt(config, pt("2026-01-12T09:00")).login).toBe("jahzielv");
    expect(onCallAt(config, pt("2026-02-02T09:00")).login).toBe("getvictor"); // wraps around
    const shift = onCallAt(config, pt("2026-03-04T12:00"));
    expect(shift.login).toBe("getvictor");
    expect(iso(shift.since)).toBe("2026-03-02T09:00:00-08:00");
    expect(iso(shift.until)).toBe("2026-03-09T09:00:00-07:00");
    expect(onCallAt(config, pt("2026-01-05T08:00")).login).toBe("mna"); // before the start
  });
});

it("src/time never reads the clock", () => {
  const dir = path.resolve(import.meta.dirname, "../../src/time");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(path.join(dir, file), "utf8");
    // `new Date(ms)` only formats; `new Date()`, `Date.now()` and `Temporal.Now` read the clock.
    expect(text, file).not.toMatch(/new Date\(\s*\)|Date\.now\(|Temporal\.Now/);
  }
});
