import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { parsePattern } from "../../src/handbook/patterns.js";
import type { CalendarConfig, HandbookConfig } from "../../src/handbook/schema.js";
import { renderIcs } from "../../src/time/ics.js";
import { isoWithOffset } from "../../src/time/index.js";
import {
  branchStates,
  nextTransitions,
  releaseCalendar,
  releaseEvents,
  trainPhase,
  versionState,
} from "../../src/time/release.js";
import { parseIcs } from "../support/ics.js";

const PACIFIC: CalendarConfig = {
  timeZone: "America/Los_Angeles",
  businessHours: { start: "09:00", end: "17:00" },
  workDays: ["monday", "tuesday", "wednesday", "thursday", "friday"],
  holidays: [],
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
const FREEZE_TRAIN = { ...TRAIN, mode: "freeze" as const };

const rc = releaseCalendar({ calendar: PACIFIC, releaseTrain: TRAIN });
const frz = releaseCalendar({ calendar: PACIFIC, releaseTrain: FREEZE_TRAIN });
const pt = (local: string) =>
  Temporal.PlainDateTime.from(local).toZonedDateTime("America/Los_Angeles").toInstant();
const iso = isoWithOffset;
const EVIDENCE = {
  tags: ["fleet-v4.60.0", "fleet-v4.61.0", "fleet-v4.61.1", "fleet-v4.62.0-rc.1", "orbit-v1.30.0"],
  milestones: [
    { title: "4.61.0", state: "closed" as const },
    { title: "4.62.0", state: "open" as const },
    { title: "4.61.2", state: "open" as const },
  ],
  branches: ["main", "rc-minor-fleet-v4.61.0", "patch-fleet-v4.61.1"],
};

describe("release train phases, DST-correct", () => {
  it("R14: the RC cut is 08:00 Pacific on both sides of the March DST change", () => {
    // 2026-03-08 02:00 PST -> PDT. The cuts before and after it stay at 08:00 local time.
    expect(iso(rc.rcCut(2))).toBe("2026-03-06T08:00:00-08:00");
    expect(iso(rc.rcCut(3))).toBe("2026-03-27T08:00:00-07:00");
    expect(trainPhase(rc, pt("2026-03-06T07:59")).phase).toBe("open");
    expect(trainPhase(rc, pt("2026-03-06T08:00")).phase).toBe("rc");
    expect(trainPhase(rc, Temporal.Instant.from("2026-03-27T14:59:59Z")).phase).toBe("open");
    expect(trainPhase(rc, Temporal.Instant.from("2026-03-27T15:00:00Z")).phase).toBe("rc");
  });

  it("R14: the RC cut is 08:00 Pacific on both sides of the November DST change", () => {
    // 2026-11-01 02:00 PDT -> PST.
    expect(iso(rc.rcCut(13))).toBe("2026-10-23T08:00:00-07:00");
    expect(iso(rc.rcCut(14))).toBe("2026-11-13T08:00:00-08:00");
    expect(trainPhase(rc, Temporal.Instant.from("2026-11-13T15:59:59Z")).phase).toBe("open");
    expect(trainPhase(rc, Temporal.Instant.from("2026-11-13T16:00:00Z"))).toMatchObject({
      phase: "rc",
      releaseIndex: 14,
    });
    expect(iso(trainPhase(rc, pt("2026-11-14T12:00")).until)).toBe("2026-11-16T09:00:00-08:00");
  });

  it("R9: the freeze begins Tuesday 09:00 Pacific, in winter and in summer time", () => {
    expect(iso(frz.freeze(2))).toBe("2026-03-03T09:00:00-08:00");
    expect(iso(frz.freeze(3))).toBe("2026-03-24T09:00:00-07:00");
    expect(iso(frz.freeze(13))).toBe("2026-10-20T09:00:00-07:00");
    expect(iso(frz.freeze(14))).toBe("2026-11-10T09:00:00-08:00");
    expect(trainPhase(frz, pt("2026-11-10T08:59")).phase).toBe("open");
    expect(trainPhase(frz, pt("2026-11-10T09:00"))).toMatchObject({
      phase: "frozen",
      releaseIndex: 14,
    });
  });

  it("R11: the deep freeze is the final 24 hours, also across the March change", () => {
    // Release Mon 2026-03-09 09:00 PDT; the clocks went forward in between, yet 24 real hours.
    const deep = frz.deepFreeze(2);
    expect(iso(deep)).toBe("2026-03-08T09:00:00-07:00");
    expect(deep.until(frz.release(2)).total("hours")).toBe(24);
    expect(trainPhase(frz, deep.subtract({ seconds: 1 }).toInstant()).phase).toBe("frozen");
    expect(trainPhase(frz, deep.toInstant()).phase).toBe("deep-frozen");
    expect(trainPhase(frz, frz.release(2).toInstant()).phase).toBe("open");
  });

  it("R9/R11: phases run open → frozen → deep-frozen → open, each until the next transition", () => {
    const seen = [
      pt("2026-11-09T12:00"),
      pt("2026-11-12T12:00"),
      pt("2026-11-15T12:00"),
      pt("2026-11-16T12:00"),
    ].map((t) => {
      const p = trainPhase(frz, t);
      return `${p.phase} ${iso(p.since)} → ${iso(p.until)}`;
    });
    expect(seen).toEqual([
      "open 2026-10-26T09:00:00-07:00 → 2026-11-10T09:00:00-08:00",
      "frozen 2026-11-10T09:00:00-08:00 → 2026-11-15T09:00:00-08:00",
      "deep-frozen 2026-11-15T09:00:00-08:00 → 2026-11-16T09:00:00-08:00",
      "open 2026-11-16T09:00:00-08:00 → 2026-12-01T09:00:00-08:00",
    ]);
  });

  it("lists the next transitions of the active mode, soonest first", () => {
    expect(
      nextTransitions(frz, pt("2026-11-12T12:00"), 3).map((t) => `${t.kind} ${iso(t.at)}`),
    ).toEqual([
      "deep-freeze 2026-11-15T09:00:00-08:00",
      "release 2026-11-16T09:00:00-08:00",
      "freeze 2026-12-01T09:00:00-08:00",
    ]);
    expect(nextTransitions(rc, pt("2026-11-13T08:00"), 2).map((t) => t.kind)).toEqual([
      "release",
      "rc-cut",
    ]);
  });
});

describe("versions and branch states", () => {
  it("R14: the next minor comes from the open milestone above the latest release tag", () => {
    expect(versionState(TRAIN, EVIDENCE, parsePattern)).toEqual({
      latestRelease: "4.61.1",
      nextMinor: "4.62.0",
      openRcBranches: [],
    });
  });

  it("R14: an RC branch above the latest release names the next minor, and is open", () => {
    const v = versionState(
      TRAIN,
      { ...EVIDENCE, milestones: [], branches: [...EVIDENCE.branches, "rc-minor-fleet-v4.62.0"] },
      parsePattern,
    );
    expect(v).toEqual({
      latestRelease: "4.61.1",
      nextMinor: "4.62.0",
      openRcBranches: ["rc-minor-fleet-v4.62.0"],
    });
  });

  it("without milestones the next minor follows the latest release; without tags there is none", () => {
    expect(versionState(TRAIN, { ...EVIDENCE, milestones: [] }, parsePattern).nextMinor).toBe(
      "4.62.0",
    );
    expect(versionState(TRAIN, { tags: [], milestones: [], branches: [] }, parsePattern)).toEqual({
      openRcBranches: [],
    });
  });

  it("R30: a tentative milestone names the next minor in freeze mode", () => {
    const v = versionState(
      FREEZE_TRAIN,
      { ...EVIDENCE, milestones: [{ title: "4.62.0-tentative", state: "open" }] },
      parsePattern,
    );
    expect(v.nextMinor).toBe("4.62.0");
  });

  it("R15/R17: during the RC period the RC branch of the next minor is rc-open; main stays open", () => {
    const v = versionState(TRAIN, EVIDENCE, parsePattern);
    expect(
      branchStates(rc, TRAIN, pt("2026-11-14T12:00"), v).map(
        (b) => `${b.branch} ${b.state} ${b.rule}`,
      ),
    ).toEqual(["main open R6", "rc-minor-fleet-v4.62.0 rc-open R15"]);
    expect(branchStates(rc, TRAIN, pt("2026-11-16T09:00"), v).map((b) => b.state)).toEqual([
      "open",
    ]);
  });

  it("R9/R11: in freeze mode main is frozen, then deep-frozen", () => {
    const v = versionState(FREEZE_TRAIN, EVIDENCE, parsePattern);
    expect(branchStates(frz, FREEZE_TRAIN, pt("2026-11-12T12:00"), v)[0]).toMatchObject({
      branch: "main",
      state: "frozen",
      rule: "R9",
    });
    expect(branchStates(frz, FREEZE_TRAIN, pt("2026-11-15T12:00"), v)[0]).toMatchObject({
      state: "deep-frozen",
      rule: "R11",
    });
  });
});

describe("R32: the calendar's events and feed", () => {
  const options = { now: pt("2026-02-20T12:00"), uidDomain: "fleetdm.bosun", nextMinor: "4.45.0" };

  it("R32: lists sprints, RC cuts and releases with their offsets across the March change", () => {
    const events = releaseEvents(
      rc,
      TRAIN,
      pt("2026-02-16T00:00"),
      pt("2026-03-31T00:00"),
      options,
    );
    expect(events.map((e) => `${e.kind} ${iso(e.start)} ${e.title}`)).toEqual([
      "sprint 2026-02-16T00:00:00-08:00 Sprint (4.45.0)",
      "release 2026-02-16T09:00:00-08:00 Release fleet-v4.44.0",
      "rc-cut 2026-03-06T08:00:00-08:00 RC cut rc-minor-fleet-v4.45.0",
      "sprint 2026-03-09T00:00:00-07:00 Sprint (4.46.0)",
      "release 2026-03-09T09:00:00-07:00 Release fleet-v4.45.0",
      "rc-cut 2026-03-27T08:00:00-07:00 RC cut rc-minor-fleet-v4.46.0",
      "sprint 2026-03-30T00:00:00-07:00 Sprint (4.47.0)",
      "release 2026-03-30T09:00:00-07:00 Release fleet-v4.46.0",
    ]);
  });

  it("R32: freeze mode lists freezes and deep freezes as periods ending at the release", () => {
    const events = releaseEvents(
      frz,
      FREEZE_TRAIN,
      pt("2026-11-01T00:00"),
      pt("2026-11-17T00:00"),
      {
        ...options,
        now: pt("2026-11-05T00:00"),
        nextMinor: "4.62.0",
      },
    );
    expect(
      events
        .filter((e) => e.kind !== "sprint")
        .map((e) => `${e.kind} ${iso(e.start)} → ${iso(e.end)} ${e.title}`),
    ).toEqual([
      "freeze 2026-11-10T09:00:00-08:00 → 2026-11-16T09:00:00-08:00 Freeze of main (4.62.0)",
      "deep-freeze 2026-11-15T09:00:00-08:00 → 2026-11-16T09:00:00-08:00 Deep freeze of main (4.62.0)",
      "release 2026-11-16T09:00:00-08:00 → 2026-11-16T09:00:00-08:00 Release fleet-v4.62.0",
    ]);
  });

  it("R32: uids are stable whatever the range or version, so subscribers update in place", () => {
    const a = releaseEvents(rc, TRAIN, pt("2026-02-16T00:00"), pt("2026-03-31T00:00"), options);
    const b = releaseEvents(rc, TRAIN, pt("2026-03-01T00:00"), pt("2026-06-01T00:00"), {
      ...options,
      nextMinor: "4.46.0",
    });
    const cut = (list: typeof a) =>
      list.find((e) => e.kind === "rc-cut" && iso(e.start).startsWith("2026-03-27"))!;
    expect(cut(a).uid).toBe("rc-cut-2026-03-09@fleetdm.bosun");
    expect(cut(b).uid).toBe(cut(a).uid);
    expect(cut(b).title).not.toBe(cut(a).title);
    expect(new Set(b.map((e) => e.uid)).size).toBe(b.length);
  });

  it("R32: the ICS feed holds the same events at the same instants, in UTC", () => {
    const events = releaseEvents(
      rc,
      TRAIN,
      pt("2026-02-16T00:00"),
      pt("2026-12-01T00:00"),
      options,
    );
    const text = renderIcs(
      events.map((e) => ({ uid: e.uid, title: e.title, start: e.start, end: e.end, kind: e.kind })),
      {
        name: "fleetdm releases",
        stamp: Temporal.Instant.from("2026-02-20T20:00:00Z"),
        timeZone: "America/Los_Angeles",
      },
    );
    const parsed = parseIcs(text);
    expect(parsed.properties["X-WR-TIMEZONE"]).toBe("America/Los_Angeles");
    expect(parsed.events.map((e) => [e.uid, e.summary, e.start, e.end])).toEqual(
      events.map((e) => [
        e.uid,
        e.title,
        e.start.toInstant().toString(),
        e.end.toInstant().toString(),
      ]),
    );
    // The RC cut after the November change: 08:00 PST is 16:00 UTC.
    expect(text).toContain("DTSTART:20261113T160000Z");
    expect(text).toContain("DTSTART:20260327T150000Z");
  });

  it("R32: other parts of Bosun can add their own events to the same feed", () => {
    const text = renderIcs([], {
      name: "x",
      stamp: Temporal.Instant.from("2026-02-20T20:00:00Z"),
      timeZone: "UTC",
      extra: [
        {
          uid: "ritual-1@x",
          title: "Weekly bug review",
          start: pt("2026-03-04T10:00"),
          end: pt("2026-03-04T10:30"),
        },
      ],
    });
    expect(parseIcs(text).events).toEqual([
      {
        uid: "ritual-1@x",
        summary: "Weekly bug review",
        start: "2026-03-04T18:00:00Z",
        end: "2026-03-04T18:30:00Z",
        sequence: 0,
      },
    ]);
  });
});
