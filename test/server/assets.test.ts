// The dashboard's uPlot files are looked up by name: names of Object.prototype's members are
// unknown assets (404), not a crash (500).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServer } from "../support/app.js";

describe("GET /assets/uplot/:file", () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it("serves the known files", async () => {
    const res = await server.app.inject({ method: "GET", url: "/assets/uplot/uPlot.min.css" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/css/);
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "nope.js"])(
    "answers 404 for %s",
    async (name) => {
      const res = await server.app.inject({ method: "GET", url: `/assets/uplot/${name}` });
      expect(res.statusCode).toBe(404);
    },
  );
});
