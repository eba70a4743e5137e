import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute, RecordingApplier } from "../../src/effects/executor.js";
import { assemblePlan, planned } from "../../src/effects/plan.js";
import { testServer } from "../support/app.js";

describe("server", () => {
  let t: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    t = await testServer();
    const plan = assemblePlan("plan-1", "2026-11-24T18:00:00Z", [
      {
        effects: [
          planned(
            "R18",
            { type: "addLabels", repo: "fleetdm/fleet", number: 42, labels: [":release"] },
            ":release",
            "R18: a bug found in release QA",
          ),
        ],
      },
    ]);
    await execute(plan, new RecordingApplier(), t.store, { dryRun: false, owner: "test" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("/healthz reports the store", async () => {
    const r = await t.app.inject("/healthz");
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: "ok",
      store: { backend: "pglite", schemaVersion: expect.any(Number) },
    });
  });

  it("/metrics speaks Prometheus text, with request and store figures", async () => {
    await t.app.inject("/api/status");
    const r = await t.app.inject("/metrics");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toContain("text/plain");
    expect(r.body).toContain("# TYPE bosun_http_requests_total counter");
    expect(r.body).toMatch(/bosun_store_rows\{table="audit_log"\} 1/);
  });

  it("/api/config is the configuration summary", async () => {
    const r = await t.app.inject("/api/config");
    expect(r.json()).toMatchObject({ organisation: "fleetdm" });
  });

  it("/api/audit filters by target in any form bosun why accepts", async () => {
    for (const target of ["fleetdm/fleet#42", "fleet#42", "#42"]) {
      const r = await t.app.inject({ url: "/api/audit", query: { target } });
      expect(r.json()).toHaveLength(1);
      expect(r.json()[0]).toMatchObject({
        rule: "R18",
        status: "applied",
        line: 'fleetdm/fleet#42: +label ":release"',
      });
    }
    expect((await t.app.inject({ url: "/api/audit", query: { target: "#43" } })).json()).toEqual(
      [],
    );
  });

  it("/api/audit refuses a nonsensical limit", async () => {
    const r = await t.app.inject({ url: "/api/audit", query: { limit: "lots" } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toContain("limit");
  });

  it("/api/plan decides at a given instant and refuses what is not one", async () => {
    const ok = await t.app.inject({ url: "/api/plan", query: { at: "2026-12-04T08:00:00-08:00" } });
    expect(ok.json()).toMatchObject({ at: "2026-12-04T16:00:00Z", effects: [] });
    const bad = await t.app.inject({ url: "/api/plan", query: { at: "friday" } });
    expect(bad.statusCode).toBe(400);
  });

  it("the dashboard shell lists repositories and recent actions", async () => {
    const r = await t.app.inject("/");
    expect(r.headers["content-type"]).toContain("text/html");
    expect(r.body).toContain("fleetdm/fleet");
    expect(r.body).toContain("R18: a bug found in release QA");
  });

  it("unknown routes are 404 with a JSON error", async () => {
    const r = await t.app.inject("/nope");
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toContain("/nope");
  });
});
