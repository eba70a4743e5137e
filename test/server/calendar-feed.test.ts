import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalData } from "../../src/api/local.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { summarizeConfig } from "../../src/handbook/summary.js";
import { describeRules } from "../../src/rules/index.js";
import { buildServer } from "../../src/server/app.js";
import { openStore } from "../../src/store/index.js";
import { exampleConfig, testServer } from "../support/app.js";
import { parseIcs } from "../support/ics.js";

describe("calendar feed", () => {
  let t: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    t = await testServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it("R32, R47: one subscribable feed carries the release train and the rituals", async () => {
    const r = await t.app.inject("/calendar.ics");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toContain("text/calendar");
    const summaries = [...r.body.replace(/\r\n[ \t]/g, "").matchAll(/^SUMMARY:(.*)$/gm)].map((m) =>
      m[1]!.trim(),
    );
    expect(summaries.some((s) => /release/i.test(s))).toBe(true);
    expect(summaries).toContain("Oncall handoff");
    const uids = [...r.body.matchAll(/^UID:(.*)$/gm)].map((m) => m[1]!.trim());
    expect(new Set(uids).size).toBe(uids.length);
  });

  it("R14: the RC cut on Christmas Day is in the feed on Thu 2026-12-24, saying why, with SEQUENCE 1", async () => {
    const r = await t.app.inject("/calendar.ics?from=2026-12-01&to=2026-12-31");
    const cut = parseIcs(r.body).events.find((e) => e.uid === "rc-cut-2026-12-07@fleetdm.bosun");
    expect(cut).toMatchObject({
      start: "2026-12-24T16:00:00Z",
      sequence: 1,
      description: "Moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24.",
    });
    const release = parseIcs(r.body).events.find(
      (e) => e.uid === "release-2026-12-07@fleetdm.bosun",
    );
    expect(release).toMatchObject({ start: "2026-12-28T17:00:00Z", sequence: 0 });
    expect(release?.description).toBeUndefined();

    const json = await t.app.inject("/api/calendar?from=2026-12-01&to=2026-12-31");
    const view = json.json() as { events: { uid: string; sequence: number; moved?: unknown }[] };
    expect(view.events.find((e) => e.uid === "rc-cut-2026-12-07@fleetdm.bosun")).toMatchObject({
      start: "2026-12-24T08:00:00-08:00",
      sequence: 1,
      moved: {
        from: "2026-12-25T08:00:00-08:00",
        because: "holiday",
        holiday: "Christmas Day",
        text: "moved from Fri 2026-12-25 (holiday: Christmas Day) to Thu 2026-12-24",
      },
    });
  });
});

describe("R32: a release date moved in bosun.yml", () => {
  const now = Temporal.Instant.from("2026-11-24T18:00:00Z");
  async function serve(config: HandbookConfig) {
    const store = await openStore({ inMemory: true });
    const app = await buildServer({
      data: new LocalData(store, config, "memory", () => now),
      summary: () => summarizeConfig(config, now),
      rules: describeRules(),
    });
    return {
      feed: async () =>
        parseIcs((await app.inject("/calendar.ics?from=2026-12-01&to=2027-01-31")).body).events,
      async close() {
        await app.close();
        await store.close();
      },
    };
  }

  it("R32: the feed shows the moved release with the same UID and a higher SEQUENCE, so subscribers update", async () => {
    const example = await exampleConfig();
    const moved: HandbookConfig = {
      ...example,
      releaseTrain: {
        ...example.releaseTrain,
        overrides: [
          { release: "2026-12-28", to: "2026-12-30T09:00", reason: "QA needs two more days" },
        ],
      },
    };
    const before = await serve(example);
    const after = await serve(moved);
    try {
      const uid = "release-2026-12-07@fleetdm.bosun";
      const was = (await before.feed()).find((e) => e.uid === uid)!;
      const is = (await after.feed()).find((e) => e.uid === uid)!;
      expect(was).toMatchObject({ start: "2026-12-28T17:00:00Z", sequence: 0 });
      expect(is).toMatchObject({
        uid,
        summary: was.summary,
        start: "2026-12-30T17:00:00Z",
        end: "2026-12-30T17:00:00Z",
        description:
          "Moved from Mon 2026-12-28 to Wed 2026-12-30 (override: QA needs two more days).",
      });
      expect(is.sequence).toBeGreaterThan(was.sequence);
      // Nothing else in the feed moved.
      const others = (events: Awaited<ReturnType<typeof before.feed>>) =>
        events.filter((e) => e.uid !== uid).map((e) => [e.uid, e.start, e.end, e.sequence]);
      expect(others(await after.feed())).toEqual(others(await before.feed()));
    } finally {
      await before.close();
      await after.close();
    }
  });
});
