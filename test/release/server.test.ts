import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServer } from "../support/app.js";
import { parseIcs } from "../support/ics.js";

// 2026-11-24T18:00:00Z is Tuesday 10:00 PST: inside dogfood's no-deploy hours.
let server: Awaited<ReturnType<typeof testServer>>;
beforeAll(async () => {
  server = await testServer(Temporal.Instant.from("2026-11-24T18:00:00Z"));
  await server.store.upsertTag({
    repo: "fleetdm/fleet",
    name: "fleet-v4.62.0",
    sha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
  });
  await server.store.upsertMilestone({
    repo: "fleetdm/fleet",
    number: 70,
    title: "4.63.0",
    state: "open",
  });
});
afterAll(async () => server?.close());

const post = (url: string, payload: unknown) =>
  server.app.inject({ method: "POST", url, payload: payload as object });

describe("release train over HTTP", () => {
  it("R32: /calendar.ics is the same events as /api/calendar, at the same instants", async () => {
    const json = await server.app.inject({ url: "/api/calendar?from=2026-11-01&to=2027-01-31" });
    expect(json.statusCode).toBe(200);
    const view = json.json() as {
      events: { kind: string; title: string; start: string; end: string; uid: string }[];
    };
    expect(view.events.map((e) => e.kind)).toContain("rc-cut");
    // Versions count on from the store's: 4.62.0 is tagged, the 4.63.0 milestone is open.
    expect(view.events.filter((e) => e.kind === "rc-cut").map((e) => [e.start, e.title])).toEqual([
      ["2026-11-13T08:00:00-08:00", "RC cut rc-minor-fleet-v4.62.0"],
      ["2026-12-04T08:00:00-08:00", "RC cut rc-minor-fleet-v4.63.0"],
      // R14: Fri 2026-12-25 is a configured holiday (Christmas Day): the cut is the day before.
      ["2026-12-24T08:00:00-08:00", "RC cut rc-minor-fleet-v4.64.0"],
      ["2027-01-15T08:00:00-08:00", "RC cut rc-minor-fleet-v4.65.0"],
    ]);
    const ics = await server.app.inject({ url: "/calendar.ics?from=2026-11-01&to=2027-01-31" });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers["content-type"]).toBe("text/calendar; charset=utf-8");
    const feed = parseIcs(ics.body);
    expect(feed.properties["X-WR-CALNAME"]).toBe("fleetdm releases");
    // The feed also carries the rituals (R47); the release train's events are /api/calendar's.
    const train = feed.events.filter((e) => !e.uid.startsWith("ritual-"));
    expect(feed.events.length).toBeGreaterThan(train.length);
    expect(train.map((e) => [e.uid, e.summary, e.start, e.end])).toEqual(
      view.events.map((e) => [
        e.uid,
        e.title,
        Temporal.Instant.from(e.start).toString(),
        Temporal.Instant.from(e.end).toString(),
      ]),
    );
  });

  it("answers a bad range with 400 naming the parameter", async () => {
    const res = await server.app.inject({ url: "/api/calendar?from=2026-13-01" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('from: "2026-13-01" is not a date in the calendar');
    const backwards = await server.app.inject({
      url: "/calendar.ics?from=2026-12-01&to=2026-11-01",
    });
    expect(backwards.statusCode).toBe(400);
  });

  it("/api/release-train tells the sprint, the branch states and the next transitions", async () => {
    const res = await server.app.inject({ url: "/api/release-train" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      mode: "release-candidate",
      sprint: { index: 15, start: "2026-11-16T00:00:00-08:00" },
      phase: { phase: "open" },
      latestRelease: "4.62.0",
      nextMinor: "4.63.0",
      branches: [{ branch: "main", state: "open" }],
      next: [
        { kind: "rc-cut", at: "2026-12-04T08:00:00-08:00" },
        { kind: "release" },
        { kind: "rc-cut" },
        { kind: "release" },
      ],
      gate: [],
    });
  });

  it("R27: POST /api/deploy/check refuses inside the no-deploy hours, allows with an override", async () => {
    const refused = await post("/api/deploy/check", {
      environment: "dogfood",
      image: "fleetdm/fleet:v4.62.0",
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toMatchObject({
      allowed: false,
      version: "4.62.0",
      at: "2026-11-24T10:00:00-08:00",
    });
    const coordinated = await post("/api/deploy/check", {
      environment: "dogfood",
      image: "fleetdm/fleet:v4.62.0",
      override: "coordinated in #g-sales",
    });
    expect(coordinated.json().allowed).toBe(true);
  });

  it("R28: a recorded deploy makes an older image refused; a commit resolves through its release tag", async () => {
    const recorded = await post("/api/deploy/record", {
      environment: "dogfood",
      image: "fleetdm/fleet:a1b2c3d",
    });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json()).toMatchObject({ version: "4.62.0", sha: "a1b2c3d" });
    const older = await post("/api/deploy/check", {
      environment: "dogfood",
      image: "fleetdm/fleet:v4.61.3",
      at: "2026-11-24T20:00:00-08:00",
    });
    expect(older.json()).toMatchObject({ allowed: false });
    expect(older.json().checks.find((c: { rule: string }) => c.rule === "R28").message).toContain(
      "4.61.3 is older than 4.62.0",
    );
  });

  it("bad input is 400 and records nothing", async () => {
    for (const [body, error] of [
      [{ environment: "dogfood" }, 'body: "image" is required (a string)'],
      [
        { environment: "prod", image: "v4.62.0" },
        '--env: no environment "prod" in deployGuard.environments (configured: "dogfood")',
      ],
      [
        { environment: "dogfood", image: "v4.62.0", at: "tomorrow" },
        '--at: "tomorrow" is not an instant; use ISO 8601 with an offset, such as 2026-12-01T18:30:00-08:00',
      ],
      [{ environment: "dogfood", image: 42 }, 'body: "image" must be a string, found 42'],
    ] as const) {
      const res = await post("/api/deploy/check", body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe(error);
    }
    const before = await server.store.listDeploys("dogfood");
    const res = await post("/api/deploy/record", {
      environment: "dogfood",
      image: "fleetdm/fleet:main",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toContain('"main" does not say what runs (R29)');
    expect(await server.store.listDeploys("dogfood")).toEqual(before);
  });
});
