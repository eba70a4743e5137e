// biome-ignore lint/style/noRestrictedImports: the test reads the handbook seed; the rule stays pure.
import { existsSync, readFileSync } from "node:fs";
import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../../../test/support/app.js";
import "../../../test/support/matchers.js";
import { parseIdempotencyKey } from "../../effects/plan.js";
import { resolveRituals } from "../../handbook/rituals.js";
import { importRunbooks, type Runbook } from "../../handbook/runbooks.js";
import { type HandbookConfig, ritualSchema } from "../../handbook/schema.js";
import { RitualState } from "./builder.js";
import { rituals } from "./index.js";
import { occurrenceKey, parseRitualMarker, ritualMarker } from "./marker.js";

let real: HandbookConfig;
let runbooks: Runbook[] = [];
beforeAll(async () => {
  real = await exampleConfig();
  const seed = "/work/shared/seeds/001_21eed65a697d884f.txt";
  if (existsSync(seed))
    runbooks = importRunbooks(readFileSync(seed, "utf8"), "engineering.md").runbooks;
});

const at = (s: string) => Temporal.Instant.from(s);
const withRituals = (list: unknown[]): HandbookConfig => ({
  ...real,
  rituals: list.map((r) => ritualSchema.parse(r)),
});
/** fleetdm/fleet and fleetdm/confidential, synced unless said, no ritual issue filed yet. */
const world = (o: { synced?: boolean } = {}) => new RitualState(o);
/** The same, with Bosun running for the organisation since July 2026 (so not its first run). */
const RUNNING_SINCE = "2026-07-01T00:00:00Z";
const running = (o: { synced?: boolean } = {}) => world(o).startedAt(RUNNING_SINCE);
const decide = (config: HandbookConfig, state: RitualState, now: string) =>
  rituals.decide(state.input(), config, at(now));

// Sunday 2026-12-06, 10:00 in Los Angeles.
const SUNDAY = "2026-12-06T18:00:00Z";
// In the order of the rituals file.
const REAL_DUE = [
  'fleetdm/fleet: open issue "Rotate the TUF root keys (2026-09-01)" [~engineering-initiated, P2] @lukeheath',
  'fleetdm/fleet: open issue "Renew Apple certificate signing request (CSR) (2026-09-01)" [#g-mdm, P2] @georgekarrv',
  'fleetdm/fleet: open issue "Renew Apple developer account (2026-08-01)" [#g-mdm, P2] @georgekarrv',
  'fleetdm/fleet: open issue "Check production dependencies of fleetdm.com (2026-12-04)" [#g-website] @eashaw',
  'fleetdm/fleet: open issue "Check browser compatibility for fleetdm.com (2026-12-06)" [#g-website] @eashaw',
  'fleetdm/fleet: open issue "Check osquery Slack invitation (2026-11-10)" [#g-website] @eashaw',
  'fleetdm/fleet: open issue "Check for new versions of osquery schema (2026-12-03)" [#g-website] @eashaw',
];

describe("R47: auto-issues of the real rituals file", () => {
  it("R47: each ritual with autoIssue gets its latest due occurrence filed, in its repo, with its labels, assigned to its DRI", () => {
    const out = decide(real, running(), SUNDAY);
    expect(out).toPlan(REAL_DUE);
    const browser = out.effects.find((e) => e.key.includes("check-browser"))!;
    expect(browser.key).toBe(
      "R47:createIssue:fleetdm/fleet:check-browser-compatibility-for-fleetdmcom@2026-12-06",
    );
    expect(browser.reason).toMatch(
      /^R47: "Check browser compatibility for fleetdm.com" \(Monthly since 2024-03-06, DRI @eashaw\)/,
    );
  });

  it("R47: already as it should be: every due occurrence carries its marker, nothing is planned", () => {
    const filed = decide(real, running(), SUNDAY).effects.map((e) => {
      const m = parseRitualMarker((e.effect as { body: string }).body)!;
      return `${m.ritualId}@${m.occurrence}`;
    });
    expect(filed).toHaveLength(7);
    expect(decide(real, running().filed(...filed), SUNDAY)).toPlan([]);
  });

  it("R47: the first run against an organisation files no occurrence due before it, and says how to file them", () => {
    // In preview on 2026-12-06: not "Renew Apple developer account (2026-08-01)" and six more.
    const out = decide(real, world(), SUNDAY);
    expect(out).toPlan([]);
    const skipped = out.observations.filter((o) => o.message.includes("before Bosun first ran"));
    expect(skipped).toHaveLength(REAL_DUE.length);
    expect(skipped.map((o) => o.message)).toContain(
      'ritual "Renew Apple developer account": the occurrence of 2026-08-01 (due 2026-08-01T09:00:00-07:00) came due before Bosun first ran for fleetdm (2026-12-06T18:00:00Z); not filed (bosun rituals backfill --since 2026-08-01 files it)',
    );
  });

  it("R47: after the first run, each occurrence is filed when it comes due", () => {
    // First run Sunday 2026-12-06: the monthly osquery Slack check comes due Thu Dec 10.
    const state = () => world().startedAt(SUNDAY);
    expect(decide(real, state(), "2026-12-10T16:59:59Z")).toPlan([]);
    expect(decide(real, state(), "2026-12-10T17:00:00Z")).toPlan([
      'fleetdm/fleet: open issue "Check osquery Slack invitation (2026-12-10)" [#g-website] @eashaw',
    ]);
    // Filed; the weekly dependency check's next occurrence is Fri Dec 11.
    const filed = () => state().filed("check-osquery-slack-invitation@2026-12-10");
    expect(decide(real, filed(), "2026-12-11T16:59:59Z")).toPlan([]);
    expect(decide(real, filed(), "2026-12-11T17:00:00Z")).toPlan([
      'fleetdm/fleet: open issue "Check production dependencies of fleetdm.com (2026-12-11)" [#g-website] @eashaw',
    ]);
  });

  it("R47: converges on issues filed before the audit log existed (a marker in any repository)", () => {
    const out = decide(
      real,
      running().issue({
        repo: "fleetdm/confidential",
        number: 7,
        state: "open",
        ritualId: "check-browser-compatibility-for-fleetdmcom",
        occurrence: "2026-12-06",
      }),
      SUNDAY,
    );
    expect(out.effects.map((e) => e.key)).not.toContain(
      "R47:createIssue:fleetdm/fleet:check-browser-compatibility-for-fleetdmcom@2026-12-06",
    );
    expect(out.effects).toHaveLength(6);
  });

  it("R47: a repository not synced yet: no issue, an observation saying why", () => {
    const out = decide(real, world({ synced: false }), SUNDAY);
    expect(out).toPlan([]);
    expect(out.observations[0]!.message).toContain(
      "waits for the first full sync of fleetdm/fleet",
    );
  });

  it("R48: the body is the description, the runbook checklist (found by the moreInfoUrl anchor), the link and the marker", () => {
    const out = decide(real, running().runbooks(runbooks), SUNDAY);
    const body = (
      out.effects.find((e) => e.key.includes("check-browser"))!.effect as { body: string }
    ).body;
    const parts = body.split("\n\n");
    expect(parts[0]).toBe(
      "Use Browserstack to manually QA pages on fleetdm.com in each of the earliest supported browser versions",
    );
    if (runbooks.length > 0) {
      expect(body).toContain("### Checklist: Check browser compatibility for fleetdm.com");
      expect(body).toContain(
        "- [ ] Check for issues against the latest version of Google Chrome (macOS).",
      );
    }
    expect(body).toContain(
      "More info: https://fleetdm.com/handbook/engineering#check-browser-compatibility-for-fleetdm-com",
    );
    expect(parts.at(-1)).toBe(
      '<!-- bosun:ritual id="check-browser-compatibility-for-fleetdmcom" occurrence="2026-12-06" -->',
    );
  });
});

describe("R47: catch-up after downtime", () => {
  const weekly = (catchUp?: "all" | "latest") => ({
    task: "Weekly bug review",
    startedOn: "2026-01-07",
    frequency: "Weekly",
    dri: "lukeheath",
    ...(catchUp ? { catchUp } : {}),
    autoIssue: { labels: ["bug"], repo: "fleet" },
  });
  // Wednesday 2026-12-09 10:00 LA; the last issue filed was for 2026-11-18; Bosun has run for
  // the organisation since January (it was down since then).
  const now = "2026-12-09T18:00:00Z";
  const downtime = () => world().startedAt("2026-01-07T00:00:00Z");

  it("R47: catchUp: all files each missed occurrence once, oldest first", () => {
    const out = decide(
      withRituals([weekly("all")]),
      downtime().filed("weekly-bug-review@2026-11-18"),
      now,
    );
    expect(out).toPlan([
      'fleetdm/fleet: open issue "Weekly bug review (2026-11-25)" [bug] @lukeheath',
      'fleetdm/fleet: open issue "Weekly bug review (2026-12-02)" [bug] @lukeheath',
      'fleetdm/fleet: open issue "Weekly bug review (2026-12-09)" [bug] @lukeheath',
    ]);
    expect(out.effects[0]!.reason).toContain("catching up 3 missed occurrences");
    // Filed meanwhile by the other process: only what is still missing.
    const again = decide(
      withRituals([weekly("all")]),
      downtime().filed("weekly-bug-review@2026-11-18", "weekly-bug-review@2026-12-02"),
      now,
    );
    expect(again).toPlan([
      'fleetdm/fleet: open issue "Weekly bug review (2026-12-09)" [bug] @lukeheath',
    ]);
  });

  it("R47: catchUp: latest (the default) files only the latest", () => {
    for (const config of [withRituals([weekly("latest")]), withRituals([weekly()])]) {
      const out = decide(config, downtime().filed("weekly-bug-review@2026-11-18"), now);
      expect(out).toPlan([
        'fleetdm/fleet: open issue "Weekly bug review (2026-12-09)" [bug] @lukeheath',
      ]);
    }
  });

  it("R47: a first install never backfills history, even with catchUp: all", () => {
    // Its first run at 10:00: this morning's 09:00 occurrence is history too.
    const out = decide(withRituals([weekly("all")]), world(), now);
    expect(out).toPlan([]);
    expect(out.observations.map((o) => o.message)).toEqual([
      'ritual "Weekly bug review": the occurrence of 2026-12-09 (due 2026-12-09T09:00:00-08:00) came due before Bosun first ran for fleetdm (2026-12-09T18:00:00Z); not filed (bosun rituals backfill --since 2026-12-09 files it)',
    ]);
    // A first run at the occurrence's time files it.
    expect(decide(withRituals([weekly("all")]), world(), "2026-12-09T17:00:00Z")).toPlan([
      'fleetdm/fleet: open issue "Weekly bug review (2026-12-09)" [bug] @lukeheath',
    ]);
  });

  it("R47: catchUp: all after a previous install's issues files nothing due before Bosun first ran here", () => {
    // Issues filed up to Nov 18 by another install; this one first ran on Dec 3.
    const out = decide(
      withRituals([weekly("all")]),
      world().startedAt("2026-12-03T00:00:00Z").filed("weekly-bug-review@2026-11-18"),
      now,
    );
    expect(out).toPlan([
      'fleetdm/fleet: open issue "Weekly bug review (2026-12-09)" [bug] @lukeheath',
    ]);
    expect(out.observations.map((o) => o.message)).toEqual([
      'ritual "Weekly bug review": 2 occurrences (2026-11-25 … 2026-12-02) came due before Bosun first ran for fleetdm (2026-12-03T00:00:00Z); not filed (bosun rituals backfill --since 2026-11-25 files them)',
    ]);
  });

  it("R47: before the occurrence's time nothing new is due", () => {
    const out = decide(
      withRituals([weekly()]),
      world().filed("weekly-bug-review@2026-12-02"),
      "2026-12-09T16:59:59Z",
    );
    expect(out).toPlan([]);
  });
});

describe("lead time, time zone, assignee by role, runbook reference, handoff (R43), patch releases", () => {
  const csr = {
    task: "Renew the MDM CSR",
    startedOn: "2026-09-11",
    frequency: "Annually",
    dri: "georgekarrv",
    time: "10:30",
    timeZone: "Europe/Paris",
    leadTime: "3 weeks",
    runbook: "renew-mdm-certificate-signing-request-csr",
    assignee: "role:releaseRitualDri",
    autoIssue: { labels: ["#g-mdm"], repo: "fleet" },
  };

  it("R47: opened 3 weeks before 10:30 Paris time, assigned to the release ritual DRI, with the runbook's 11 steps", () => {
    const config = withRituals([csr]);
    const filed = "renew-the-mdm-csr@2026-09-11";
    // 2027-09-11 10:30 +02:00 is 08:30Z; three weeks before: 2027-08-21T08:30Z.
    expect(decide(config, running().filed(filed), "2027-08-21T08:29:59Z")).toPlan([]);
    const out = decide(config, running().filed(filed).runbooks(runbooks), "2027-08-21T08:30:00Z");
    expect(out).toPlan([
      'fleetdm/fleet: open issue "Renew the MDM CSR (2027-09-11)" [#g-mdm] @lukeheath',
    ]);
    const body = (out.effects[0]!.effect as { body: string }).body;
    if (runbooks.length > 0) {
      expect(body.split("\n").filter((l) => l.startsWith("- [ ] "))).toHaveLength(11);
    }
    expect(body).toContain("occurrence 2027-09-11 10:30 Europe/Paris");
  });

  it("R48: a runbook reference that is not imported is observed, the issue is still filed", () => {
    const out = decide(withRituals([csr]), running(), "2026-09-11T09:00:00Z");
    expect(out.effects).toHaveLength(1);
    expect(out.observations.map((o) => o.message).join("\n")).toContain(
      'runbook "renew-mdm-certificate-signing-request-csr" is not imported',
    );
  });

  it("R43: the on-call handoff names the outgoing and the incoming engineer from the rotation", () => {
    const config = withRituals([
      {
        task: "On-call handoff",
        startedOn: "2026-01-05",
        frequency: "Weekly",
        dri: "lukeheath",
        onCallHandoff: true,
        assignee: "role:onCallNext",
        autoIssue: { repo: "fleet" },
      },
    ]);
    const [first, second] = config.roles.onCall.rotation;
    const out = decide(config, world(), "2026-01-12T17:00:00Z");
    // Jan 12 is the second Monday of the rotation that starts on Jan 5 at 09:00.
    expect(out).toPlan([
      `fleetdm/fleet: open issue "On-call handoff: @${first} → @${second} (2026-01-12)" @${second}`,
    ]);
    expect((out.effects[0]!.effect as { body: string }).body).toContain(
      `@${first} hands over to @${second} at 2026-01-12T09:00:00-08:00`,
    );
  });

  it("R47: Every patch release: one issue per patch release, once", () => {
    const config = withRituals([
      {
        task: "Create patch release branch",
        startedOn: "2026-01-01",
        frequency: "Every patch release",
        dri: "lukeheath",
        autoIssue: { repo: "fleet" },
      },
    ]);
    const patchReleases = [
      { repo: "fleetdm/fleet", version: "4.80.1", at: "2026-11-30T20:00:00Z" },
      { repo: "fleetdm/fleet", version: "4.80.1", at: "2026-11-30T19:00:00Z" },
      { repo: "fleetdm/fleet", version: "4.79.2", at: "2026-11-10T20:00:00Z" },
    ];
    expect(decide(config, running().patchRelease(...patchReleases), SUNDAY)).toPlan([
      'fleetdm/fleet: open issue "Create patch release branch (4.80.1)" @lukeheath',
    ]);
    expect(
      decide(
        config,
        running()
          .patchRelease(...patchReleases)
          .filed("create-patch-release-branch@v4.80.1"),
        SUNDAY,
      ),
    ).toPlan([]);
    expect(resolveRituals(config)[0]!.event).toBe("patch-release");
  });
});

describe("ritual state, built by hand", () => {
  it("R47: already as it should be: an occurrence filed in another repository by another install, nothing to file", () => {
    const config = withRituals([
      {
        task: "Weekly bug review",
        startedOn: "2026-01-07",
        frequency: "Weekly",
        dri: "lukeheath",
        autoIssue: { labels: ["bug"], repo: "fleet" },
      },
    ]);
    const state = world().filed("weekly-bug-review@2026-12-02").issue({
      repo: "fleetdm/confidential",
      number: 100,
      state: "open",
      ritualId: "weekly-bug-review",
      occurrence: "2026-12-09",
    });
    expect(decide(config, state, "2026-12-09T18:00:00Z")).toPlan([]);
  });

  it("refuses a second issue with the same number in a repository, and a key that does not parse", () => {
    expect(() =>
      world().filed("weekly-bug-review@2026-11-18").issue({
        repo: "fleetdm/fleet",
        number: 100,
        state: "open",
        ritualId: "weekly-bug-review",
        occurrence: "2026-11-25",
      }),
    ).toThrow("fleetdm/fleet#100 already exists");
    expect(() => world().filed("weekly-bug-review")).toThrow("not an occurrence key");
    // Filed occurrences take the next free numbers.
    const issues = world().filed("a@1", "a@2").input().rituals.issues;
    expect(issues.map((i) => i.number)).toEqual([100, 101]);
  });
});

describe("ritual identities", () => {
  it("occurrenceKey: build then parse gives the ritual and the occurrence back", () => {
    for (const parts of [
      { ritual: "check-browser-compatibility-for-fleetdmcom", occurrence: "2026-12-06" },
      { ritual: "create-patch-release-branch", occurrence: "v4.80.1" },
    ]) {
      expect(occurrenceKey.parse(occurrenceKey.build(parts))).toEqual(parts);
    }
  });

  it("occurrenceKey: the key of a planned issue parses back to its ritual and occurrence", () => {
    const out = decide(real, running(), SUNDAY);
    const parsed = out.effects.map((e) =>
      occurrenceKey.parse(parseIdempotencyKey(e.key).discriminator),
    );
    const markers = out.effects.map((e) => parseRitualMarker((e.effect as { body: string }).body));
    expect(parsed).toHaveLength(REAL_DUE.length);
    expect(parsed).toEqual(
      markers.map((m) => ({ ritual: m!.ritualId, occurrence: m!.occurrence })),
    );
  });

  it.each([
    ["an empty discriminator", ""],
    ["no occurrence separator", "weekly-bug-review"],
    ["no ritual", "@2026-12-06"],
    ["no occurrence", "weekly-bug-review@"],
  ])("occurrenceKey: parse refuses %s", (_name, discriminator) => {
    expect(occurrenceKey.parse(discriminator)).toBeUndefined();
  });

  it("ritualMarker: build then parse gives the ritual and the occurrence back, wherever it sits in the body", () => {
    const marker = ritualMarker("check-browser-compatibility-for-fleetdmcom", "2026-12-06");
    const parts = {
      ritualId: "check-browser-compatibility-for-fleetdmcom",
      occurrence: "2026-12-06",
    };
    expect(parseRitualMarker(marker)).toEqual(parts);
    expect(parseRitualMarker(`Description.\n\n${marker}\n\nEdited by a person.`)).toEqual(parts);
    expect(parseRitualMarker(ritualMarker("on-call-handoff", "v4.80.1"))).toEqual({
      ritualId: "on-call-handoff",
      occurrence: "v4.80.1",
    });
  });

  it("ritualMarker: every ritual id of the real rituals file round-trips", () => {
    const defs = resolveRituals(real).filter((d) => d.ritual.autoIssue);
    expect(defs.length).toBeGreaterThan(0);
    for (const d of defs) {
      expect(parseRitualMarker(ritualMarker(d.id, "2026-12-06"))).toEqual({
        ritualId: d.id,
        occurrence: "2026-12-06",
      });
    }
  });

  it.each([
    ["no body", null],
    ["an empty body", ""],
    ["a body without a marker", "Use Browserstack to QA pages."],
    ["another Bosun marker", "<!-- bosun:kpi-week 2026-02-23 -->"],
    ["an id in upper case", '<!-- bosun:ritual id="Weekly-Bug-Review" occurrence="2026-12-06" -->'],
    ["no occurrence", '<!-- bosun:ritual id="weekly-bug-review" -->'],
    ["an empty occurrence", '<!-- bosun:ritual id="weekly-bug-review" occurrence="" -->'],
    [
      "an occurrence with a space",
      '<!-- bosun:ritual id="weekly-bug-review" occurrence="2026 12" -->',
    ],
    ["an unclosed comment", '<!-- bosun:ritual id="weekly-bug-review" occurrence="2026-12-06"'],
  ])("parseRitualMarker refuses %s", (_name, body) => {
    expect(parseRitualMarker(body)).toBeUndefined();
  });
});
