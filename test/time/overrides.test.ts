// R32: "Any change to targeted release dates is reflected on this calendar". One RC cut,
// release or freeze moved by date in bosun.yml (`releaseTrain.overrides`), checked with
// positioned messages, and followed by every clock: the train's phase, the merge gate, the
// release actions, the runtime's instants and the calendar feed (same UID, higher SEQUENCE).
import { readFileSync } from "node:fs";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { formatConfigError, parseConfig } from "../../src/handbook/load.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { feature, freezeMode, verdictOf } from "../../src/rules/merge-gate/builder.js";
import { FLEET, ReleaseState } from "../../src/rules/release-actions/builder.js";
import { releaseActions } from "../../src/rules/release-actions/index.js";
import { renderIcs } from "../../src/time/ics.js";
import { isoWithOffset } from "../../src/time/index.js";
import { describeMove } from "../../src/time/moves.js";
import { releaseCalendar, releaseEvents, trainPhase } from "../../src/time/release.js";
import { EXAMPLE } from "../support/app.js";
import { parseIcs } from "../support/ics.js";

const pt = (local: string) =>
  Temporal.PlainDateTime.from(local).toZonedDateTime("America/Los_Angeles").toInstant();
const iso = isoWithOffset;
const TEXT = readFileSync(EXAMPLE, "utf8");

/** The example with these lines (YAML list items, indented 4) as `releaseTrain.overrides`. */
function withOverrides(...items: string[]) {
  if (!TEXT.includes("\n  overrides: []\n")) throw new Error("the example lists no overrides");
  return TEXT.replace(
    "\n  overrides: []\n",
    `\n  overrides:\n${items.map((i) => `    ${i}\n`).join("")}`,
  );
}
/** The line (1-based) of the first override in {@link withOverrides}' text. */
const FIRST_LINE = TEXT.slice(0, TEXT.indexOf("\n  overrides: []\n")).split("\n").length + 2;

function load(text: string, mode?: "freeze"): HandbookConfig {
  // Named as a user would; the rituals file resolves beside it (the repository's root).
  const r = parseConfig(
    mode ? text.replace("mode: release-candidate", "mode: freeze") : text,
    "bosun.yml",
    { env: {} },
  );
  if (!r.ok) throw new Error(r.errors.map(formatConfigError).join("\n"));
  return r.config;
}

function errorsOf(text: string): string[] {
  const r = parseConfig(text, "bosun.yml", { env: {} });
  if (r.ok) throw new Error("loaded without errors");
  return r.errors.map(formatConfigError);
}

describe("R32: releaseTrain.overrides in bosun.yml", () => {
  it("R32: a release moved by its date, with a reason", () => {
    const config = load(
      withOverrides(
        '- { release: "2026-12-28", to: "2026-12-30T09:00", reason: "QA needs two more days" }',
      ),
    );
    expect(config.releaseTrain.overrides).toEqual([
      { release: "2026-12-28", to: "2026-12-30T09:00", reason: "QA needs two more days" },
    ]);
    const calendar = releaseCalendar(config);
    expect(iso(calendar.release(16))).toBe("2026-12-30T09:00:00-08:00");
    const o = calendar.occurrence("release", 16);
    expect(o.sequence).toBe(1);
    expect(describeMove(o.moved!)).toBe(
      "moved from Mon 2026-12-28 to Wed 2026-12-30 (override: QA needs two more days)",
    );
    // The releases around it do not move.
    expect(iso(calendar.release(15))).toBe("2026-12-07T09:00:00-08:00");
    expect(iso(calendar.release(17))).toBe("2027-01-18T09:00:00-08:00");
  });

  it("R32: an override naming a date on which no such event falls names the nearest real dates", () => {
    expect(errorsOf(withOverrides('- { release: "2026-12-14", to: "2026-12-16T09:00" }'))).toEqual([
      `bosun.yml:${FIRST_LINE}:18 releaseTrain.overrides[0].release: must be the date of a scheduled release (as the weekday rules give it, before any holiday move): none falls on Mon 2026-12-14; the nearest are Mon 2026-12-07 and Mon 2026-12-28`,
    ]);
    // The holiday-moved date is not the name of the occurrence: the schedule's date is.
    expect(errorsOf(withOverrides('- { rcCut: "2026-12-24", to: "2026-12-23T08:00" }'))).toEqual([
      `bosun.yml:${FIRST_LINE}:16 releaseTrain.overrides[0].rcCut: must be the date of a scheduled RC cut (as the weekday rules give it, before any holiday move): none falls on Thu 2026-12-24; the nearest are Fri 2026-12-04 and Fri 2026-12-25`,
    ]);
  });

  it("R32: an override must name exactly one event, and a date and time that exist", () => {
    expect(errorsOf(withOverrides('- { to: "2026-12-30T09:00" }'))).toEqual([
      `bosun.yml:${FIRST_LINE}:7 releaseTrain.overrides[0]: must name the event it moves by its scheduled date: add one of the keys rcCut, release or freeze, e.g. release: "2026-12-14"`,
    ]);
    expect(
      errorsOf(withOverrides('- { rcCut: "2026-12-25", release: "2026-12-28", to: "2026-12-30" }')),
    ).toEqual([
      `bosun.yml:${FIRST_LINE}:39 releaseTrain.overrides[0].release: must name one event, found rcCut and release: write one override per moved event`,
    ]);
    expect(errorsOf(withOverrides('- { release: "2026-12-28", to: "2026-12-30 9am" }'))).toEqual([
      `bosun.yml:${FIRST_LINE}:36 releaseTrain.overrides[0].to: must be a local date and time "YYYY-MM-DDTHH:MM" in calendar.timeZone, e.g. "2026-12-16T09:00", or a date "YYYY-MM-DD" (at the event's usual time), found "2026-12-30 9am"`,
    ]);
    expect(errorsOf(withOverrides('- { release: "2026-12-28" }'))).toEqual([
      `bosun.yml:${FIRST_LINE}:7 releaseTrain.overrides[0].to: is required: add the key "to"`,
    ]);
  });

  it("R32: an override keeps the train in order, and names each occurrence once", () => {
    expect(errorsOf(withOverrides('- { release: "2026-12-28", to: "2027-01-20T09:00" }'))).toEqual([
      `bosun.yml:${FIRST_LINE}:36 releaseTrain.overrides[0].to: must be after its RC cut (Fri 2026-12-25 08:00) and before the next RC cut (Fri 2027-01-15 08:00): the release of Mon 2026-12-28 keeps its place in the release train, found "2027-01-20T09:00"`,
    ]);
    expect(
      errorsOf(
        withOverrides(
          '- { release: "2026-12-28", to: "2026-12-29T09:00" }',
          '- { release: "2026-12-28", to: "2026-12-30T09:00" }',
        ),
      ),
    ).toEqual([
      `bosun.yml:${FIRST_LINE + 1}:18 releaseTrain.overrides[1].release: must name an occurrence no other override moves: overrides[0] already moves the release of Mon 2026-12-28; keep one of them`,
    ]);
  });
});

describe("R32: the moved date drives everything", () => {
  const state = () =>
    new ReleaseState().repository(FLEET, {
      tags: ["fleet-v4.63.0"],
      branches: ["main"],
      milestones: [{ title: "4.64.0", state: "open" }],
      mainSha: "c0ffee0000000000000000000000000000000000",
      qaIssueTitles: [],
    });

  it("R32: release actions cut the RC at the overridden time, and the runtime wakes for it", () => {
    const config = load(
      withOverrides('- { rcCut: "2026-12-25", to: "2026-12-22T14:00", reason: "winter shutdown" }'),
    );
    const calendar = releaseCalendar(config);
    expect(iso(calendar.rcCut(16))).toBe("2026-12-22T14:00:00-08:00");
    // Moved off the holiday by the policy (1) and by the override (2): subscribers update.
    expect(calendar.occurrence("rc-cut", 16).sequence).toBe(2);
    expect(describeMove(calendar.occurrence("rc-cut", 16).moved!)).toBe(
      "moved from Fri 2026-12-25 08:00 to Tue 2026-12-22 14:00 (override: winter shutdown)",
    );
    const before = releaseActions.decide(state().input(), config, pt("2026-12-22T13:59"));
    expect(before.effects.map((e) => e.effect.type)).not.toContain("createRef");
    const out = releaseActions.decide(state().input(), config, pt("2026-12-22T14:00"));
    const cut = out.effects.find((e) => e.effect.type === "createRef")!;
    expect(cut.reason).toContain("R14: RC cut Tue 2026-12-22 14:00 PST");
    expect(
      releaseActions.triggers!.instants!(config, pt("2026-12-08T10:00")).map((i) =>
        i.at.toString(),
      ),
    ).toEqual(["2026-12-22T22:00:00Z"]);
  });

  it("R32: a release moved later keeps the RC period open until the new date", () => {
    const config = load(withOverrides('- { release: "2026-12-28", to: "2026-12-30T09:00" }'));
    const calendar = releaseCalendar(config);
    expect(trainPhase(calendar, pt("2026-12-29T12:00"))).toMatchObject({
      phase: "rc",
      releaseIndex: 16,
    });
    expect(iso(trainPhase(calendar, pt("2026-12-29T12:00")).until)).toBe(
      "2026-12-30T09:00:00-08:00",
    );
    expect(trainPhase(calendar, pt("2026-12-30T09:00")).phase).toBe("open");
  });

  it("R32/R9: the merge gate freezes main at an overridden freeze", () => {
    const config = load(
      withOverrides(
        '- { freeze: "2026-12-22", to: "2026-12-18T12:00", reason: "early freeze before the holidays" }',
      ),
      "freeze",
    );
    expect(iso(releaseCalendar(config).freeze(16))).toBe("2026-12-18T12:00:00-08:00");
    expect(verdictOf(freezeMode(config), pt("2026-12-18T11:59"), feature()).state).toBe("success");
    const frozen = verdictOf(freezeMode(config), pt("2026-12-18T12:00"), feature());
    expect(frozen).toMatchObject({ state: "failure", rule: "R9" });
  });

  it("R32: an override across the March DST change keeps its local time", () => {
    // The release of sprint 2 is Mon 2026-03-09 09:00 PDT; moved to Fri 2026-03-06 09:00 PST.
    const config = load(
      withOverrides(
        '- { release: "2026-03-09", to: "2026-03-06T09:00" }',
        '- { rcCut: "2026-03-06", to: "2026-03-05" }',
      ),
    );
    const calendar = releaseCalendar(config);
    expect(calendar.release(2).toInstant().toString()).toBe("2026-03-06T17:00:00Z");
    // A bare date: the event's usual time (08:00).
    expect(iso(calendar.rcCut(2))).toBe("2026-03-05T08:00:00-08:00");
    // Forward across the change: Fri 2026-03-06 08:00 PST to Mon 2026-03-09 08:00 PDT.
    const forward = releaseCalendar(
      load(withOverrides('- { rcCut: "2026-03-06", to: "2026-03-09T08:00" }')),
    );
    expect(iso(forward.rcCut(2))).toBe("2026-03-09T08:00:00-07:00");
    expect(forward.rcCut(2).toInstant().toString()).toBe("2026-03-09T15:00:00Z");
    expect(trainPhase(forward, pt("2026-03-09T07:59")).phase).toBe("open");
    expect(trainPhase(forward, pt("2026-03-09T08:00")).phase).toBe("rc");
  });
});

describe("R32: the feed updates subscribed calendars", () => {
  const feed = (config: HandbookConfig) => {
    const calendar = releaseCalendar(config);
    const events = releaseEvents(
      calendar,
      config.releaseTrain,
      pt("2026-12-01T00:00"),
      pt("2027-01-01T00:00"),
      {
        now: pt("2026-12-03T09:00"),
        uidDomain: "fleetdm.bosun",
        nextMinor: "4.63.0",
      },
    );
    return parseIcs(
      renderIcs(
        events.map((e) => ({
          uid: e.uid,
          title: e.title,
          start: e.start,
          end: e.end,
          kind: e.kind,
          sequence: e.sequence,
          ...(e.moved ? { description: describeMove(e.moved) } : {}),
        })),
        {
          name: "fleetdm releases",
          stamp: pt("2026-12-03T09:00"),
          timeZone: "America/Los_Angeles",
        },
      ),
    ).events;
  };

  it("R32: a moved release keeps its UID and its SEQUENCE rises", () => {
    const before = feed(load(TEXT)).find((e) => e.uid === "release-2026-12-07@fleetdm.bosun")!;
    const after = feed(
      load(
        withOverrides(
          '- { release: "2026-12-28", to: "2026-12-30T09:00", reason: "QA needs two more days" }',
        ),
      ),
    ).find((e) => e.uid === "release-2026-12-07@fleetdm.bosun")!;
    expect(before).toMatchObject({ start: "2026-12-28T17:00:00Z", sequence: 0 });
    expect(after).toMatchObject({
      summary: before.summary,
      start: "2026-12-30T17:00:00Z",
      sequence: 1,
      description: "moved from Mon 2026-12-28 to Wed 2026-12-30 (override: QA needs two more days)",
    });
  });
});
