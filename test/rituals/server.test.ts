import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importRunbooks } from "../../src/handbook/runbooks.js";
import { testServer } from "../support/app.js";

const SEED = "/work/shared/seeds/001_21eed65a697d884f.txt";

describe("rituals and runbooks over HTTP", () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    // The test server's clock: Tuesday 2026-11-24, 10:00 in Los Angeles.
    server = await testServer();
  });
  afterAll(() => server?.close());

  it("R47: GET /api/rituals lists the next 30 days in the calendar's time zone", async () => {
    const res = await server.app.inject("/api/rituals");
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({
      timeZone: "America/Los_Angeles",
      from: "2026-11-24",
      to: "2026-12-24",
    });
    const release = view.upcoming.filter((o: { task: string }) => o.task === "Release ritual");
    expect(release.map((o: { at: string }) => o.at)).toEqual(["2026-12-09T09:00:00-08:00"]);
    expect(view.skipped).toEqual([]);
    expect(view.recent).toEqual([]);
  });

  it("GET /api/rituals refuses a bad date with 400 and says which", async () => {
    const res = await server.app.inject("/api/rituals?from=2026-02-30");
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('from must be a date that exists, found "2026-02-30"');
    const reversed = await server.app.inject("/api/rituals?from=2026-12-10&to=2026-12-01");
    expect(reversed.statusCode).toBe(400);
  });

  it("GET /rituals.ics: one event per occurrence", async () => {
    const res = await server.app.inject("/rituals.ics?from=2026-12-09&to=2026-12-09");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/calendar");
    const events = res.body.split("BEGIN:VEVENT").length - 1;
    // On 2026-12-09: 4 weekly (from a Wednesday) and 4 triweekly rituals.
    expect(events).toBe(8);
    expect(res.body).toContain("SUMMARY:Release ritual");
    expect(res.body).toContain("DTSTART:20261209T170000Z");
  });

  it.runIf(existsSync(SEED))(
    "R48: POST /api/runbooks stores runbooks; open files through the executor (dry run without a GitHub client)",
    async () => {
      const { runbooks } = importRunbooks(readFileSync(SEED, "utf8"), "engineering.md");
      const stored = await server.app.inject({
        method: "POST",
        url: "/api/runbooks",
        payload: { runbooks },
      });
      expect(stored.json()).toEqual({ stored: runbooks.length });
      const list = (await server.app.inject("/api/runbooks")).json();
      expect(list.find((r: { anchor: string }) => r.anchor === "edit-a-dns-record")).toMatchObject({
        steps: 3,
        kind: "numbered",
      });
      const one = await server.app.inject(
        "/api/runbooks/check-browser-compatibility-for-fleetdm-com",
      );
      expect(one.json().anchor).toBe("check-browser-compatibility-for-fleetdmcom");
      const open = await server.app.inject({
        method: "POST",
        url: "/api/runbooks/edit-a-dns-record/open",
        payload: { repo: "confidential", assignee: "@eashaw" },
      });
      expect(open.statusCode).toBe(200);
      expect(open.json()).toMatchObject({
        status: "dry-run",
        key: "R48:createIssue:fleetdm/confidential:runbook-edit-a-dns-record@2026-11-24",
        line: 'fleetdm/confidential: open issue "Edit a DNS record (2026-11-24)" @eashaw',
      });
      const view = (await server.app.inject("/api/rituals")).json();
      expect(view.runbooks).toBe(runbooks.length);
    },
  );

  it("R48: bad requests to the runbook endpoints: 400 or 404 with the reason", async () => {
    const unknown = await server.app.inject({
      method: "POST",
      url: "/api/runbooks/nope/open",
      payload: {},
    });
    expect(unknown.statusCode).toBe(404);
    const badKey = await server.app.inject({
      method: "POST",
      url: "/api/runbooks/edit-a-dns-record/open",
      payload: { repository: "x" },
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error).toContain("allowed: repo, assignee, labels, dryRun");
    const badRepo = await server.app.inject({
      method: "POST",
      url: "/api/runbooks/edit-a-dns-record/open",
      payload: { repo: "website" },
    });
    expect(badRepo.statusCode).toBe(400);
    const badBody = await server.app.inject({
      method: "POST",
      url: "/api/runbooks",
      payload: { runbooks: [{ anchor: "x" }] },
    });
    expect(badBody.statusCode).toBe(400);
  });
});
