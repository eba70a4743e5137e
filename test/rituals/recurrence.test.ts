import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import {
  FREQUENCY_STEPS,
  occurrenceAfter,
  occurrenceAtOrBefore,
  occurrencesBetween,
  parseLead,
  parseStep,
  type Recurrence,
  type ScheduledFrequency,
} from "../../src/time/recurrence.js";

const LA = "America/Los_Angeles";
const rec = (
  anchor: string,
  frequency: ScheduledFrequency,
  time = "09:00",
  timeZone = LA,
): Recurrence => ({
  anchor: Temporal.PlainDate.from(anchor),
  step: FREQUENCY_STEPS[frequency],
  time: Temporal.PlainTime.from(time),
  timeZone,
});
const instant = (s: string) => Temporal.Instant.from(s);
const dates = (r: Recurrence, from: string, to: string) =>
  [...occurrencesBetween(r, instant(from), instant(to))].map((o) => o.date.toString());

// A simulated clock: two years of hourly ticks. At each tick the latest occurrence at or before
// the clock is what a scheduler acts on; every occurrence must become "latest" exactly once, in
// order, at its own hour, and none may be skipped.
function simulate(r: Recurrence, start: string, hours: number) {
  const seen: number[] = [];
  let clock = instant(start);
  for (let h = 0; h < hours; h++) {
    const latest = occurrenceAtOrBefore(r, clock);
    if (latest && seen.at(-1) !== latest.index) {
      seen.push(latest.index);
      // It became due within the last hour: not late, not early.
      const lag = latest.at.toInstant().until(clock, { largestUnit: "minutes" }).minutes;
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(60);
    }
    clock = clock.add({ hours: 1 });
  }
  return seen;
}

const TWO_YEARS_HOURS = 2 * 366 * 24;
const expectedCounts: Record<ScheduledFrequency, number> = {
  Daily: 732,
  Weekly: 105,
  Biweekly: 53,
  Triweekly: 35,
  Monthly: 25,
  Quarterly: 9,
  Annually: 3,
};

describe("R47: recurrences over a simulated two-year clock", () => {
  for (const frequency of Object.keys(FREQUENCY_STEPS) as ScheduledFrequency[]) {
    it(`R47: ${frequency}: every occurrence exactly once, in order, none skipped`, () => {
      const r = rec("2026-01-07", frequency);
      // The clock starts at the anchor's midnight and runs 732 days (to 2028-01-09 00:00).
      const start = "2026-01-07T08:00:00Z";
      const seen = simulate(r, start, TWO_YEARS_HOURS);
      expect(seen).toEqual(seen.map((_, i) => i));
      expect(seen.length).toBe(expectedCounts[frequency]);
      // The range iterator agrees with the clock.
      const listed = [
        ...occurrencesBetween(
          r,
          instant("2026-01-01T00:00:00Z"),
          instant(start).add({ hours: TWO_YEARS_HOURS }),
        ),
      ];
      expect(listed.map((o) => o.index)).toEqual(seen);
    });
  }

  it("R47: Daily at 09:00 stays at 09:00 local across both DST changes (two years, 730 dates)", () => {
    const r = rec("2026-01-01", "Daily");
    const all = [
      ...occurrencesBetween(r, instant("2026-01-01T00:00:00Z"), instant("2028-01-01T12:00:00Z")),
    ];
    expect(all).toHaveLength(730);
    for (let i = 1; i < all.length; i++) {
      expect(all[i - 1]!.date.add({ days: 1 }).equals(all[i]!.date)).toBe(true);
    }
    expect(new Set(all.map((o) => o.at.toPlainTime().toString()))).toEqual(new Set(["09:00:00"]));
    expect(new Set(all.map((o) => o.at.offset))).toEqual(new Set(["-08:00", "-07:00"]));
    const march = all.find((o) => o.date.toString() === "2026-03-08")!;
    expect(march.at.toString()).toBe("2026-03-08T09:00:00-07:00[America/Los_Angeles]");
    const before = all.find((o) => o.date.toString() === "2026-03-07")!;
    // Only 23 hours between 09:00 on the day before the change and 09:00 on its day.
    expect(before.at.until(march.at).total({ unit: "hours" })).toBe(23);
  });

  it("R47: a time that does not exist on the spring-forward day moves forward by the gap; a repeated one is the first", () => {
    const gap = rec("2026-03-01", "Weekly", "02:30");
    expect(dates(gap, "2026-03-01T00:00:00Z", "2026-03-16T00:00:00Z")).toEqual([
      "2026-03-01",
      "2026-03-08",
      "2026-03-15",
    ]);
    const spring = [
      ...occurrencesBetween(gap, instant("2026-03-08T00:00:00Z"), instant("2026-03-09T00:00:00Z")),
    ];
    expect(spring[0]!.at.toString()).toBe("2026-03-08T03:30:00-07:00[America/Los_Angeles]");
    const repeated = rec("2026-11-01", "Weekly", "01:30");
    const fall = [
      ...occurrencesBetween(
        repeated,
        instant("2026-11-01T00:00:00Z"),
        instant("2026-11-02T00:00:00Z"),
      ),
    ];
    expect(fall[0]!.at.toString()).toBe("2026-11-01T01:30:00-07:00[America/Los_Angeles]");
  });

  it("R47: weekly in Europe/Paris keeps 09:00 local across the EU change dates", () => {
    const r = rec("2026-03-23", "Weekly", "09:00", "Europe/Paris");
    const all = [
      ...occurrencesBetween(r, instant("2026-03-20T00:00:00Z"), instant("2026-04-07T00:00:00Z")),
    ];
    expect(all.map((o) => o.at.toString({ timeZoneName: "never" }))).toEqual([
      "2026-03-23T09:00:00+01:00",
      "2026-03-30T09:00:00+02:00",
      "2026-04-06T09:00:00+02:00",
    ]);
  });
});

describe("R47: month-end clamping never drifts the anchor day", () => {
  it("R47: Monthly from Jan 31: Feb 28/29 then back to Mar 31, for two years", () => {
    const r = rec("2027-01-31", "Monthly");
    expect(dates(r, "2027-01-01T00:00:00Z", "2029-01-01T00:00:00Z")).toEqual([
      "2027-01-31",
      "2027-02-28",
      "2027-03-31",
      "2027-04-30",
      "2027-05-31",
      "2027-06-30",
      "2027-07-31",
      "2027-08-31",
      "2027-09-30",
      "2027-10-31",
      "2027-11-30",
      "2027-12-31",
      "2028-01-31",
      "2028-02-29",
      "2028-03-31",
      "2028-04-30",
      "2028-05-31",
      "2028-06-30",
      "2028-07-31",
      "2028-08-31",
      "2028-09-30",
      "2028-10-31",
      "2028-11-30",
      "2028-12-31",
    ]);
  });

  it("R47: Quarterly from Nov 30: Feb 28, May 30, Aug 30, Nov 30", () => {
    const r = rec("2026-11-30", "Quarterly");
    expect(dates(r, "2026-11-01T00:00:00Z", "2027-12-01T00:00:00Z")).toEqual([
      "2026-11-30",
      "2027-02-28",
      "2027-05-30",
      "2027-08-30",
      "2027-11-30",
    ]);
  });

  it("R47: Annually from Feb 29: Feb 28 in common years, Feb 29 again in the next leap year", () => {
    const r = rec("2024-02-29", "Annually");
    expect(dates(r, "2024-01-01T00:00:00Z", "2029-01-01T00:00:00Z")).toEqual([
      "2024-02-29",
      "2025-02-28",
      "2026-02-28",
      "2027-02-28",
      "2028-02-29",
    ]);
  });

  it("R47: a range far from the anchor starts at the right occurrence (no walk from the anchor)", () => {
    const r = rec("2023-08-09", "Triweekly");
    const found = [
      ...occurrencesBetween(r, instant("2026-12-01T08:00:00Z"), instant("2027-02-01T08:00:00Z")),
    ];
    expect(found.map((o) => o.date.toString())).toEqual(["2026-12-09", "2026-12-30", "2027-01-20"]);
    expect(found.map((o) => o.index)).toEqual([58, 59, 60]);
  });

  it("R47: nothing before the start date; the first occurrence after a moment", () => {
    const r = rec("2026-06-15", "Weekly");
    expect(dates(r, "2026-01-01T00:00:00Z", "2026-06-15T00:00:00Z")).toEqual([]);
    expect(occurrenceAtOrBefore(r, instant("2026-06-15T15:59:59Z"))).toBeUndefined();
    expect(occurrenceAtOrBefore(r, instant("2026-06-15T16:00:00Z"))?.index).toBe(0);
    expect(occurrenceAfter(r, instant("2026-06-15T16:00:00Z")).date.toString()).toBe("2026-06-22");
    expect(occurrenceAfter(r, instant("2026-01-01T00:00:00Z")).index).toBe(0);
  });
});

describe("steps and lead times", () => {
  it("parses explicit recurrences and lead times, and refuses nonsense", () => {
    expect(parseStep("6 weeks")).toEqual({ count: 6, unit: "weeks" });
    expect(parseStep("1 Month")).toEqual({ count: 1, unit: "months" });
    expect(parseStep("0 days")).toBeUndefined();
    expect(parseStep("fortnightly")).toBeUndefined();
    expect(parseLead("3 weeks")).toEqual({ count: 3, unit: "weeks" });
    expect(parseLead("12 hours")).toEqual({ count: 12, unit: "hours" });
    expect(parseLead("soon")).toBeUndefined();
  });
});
