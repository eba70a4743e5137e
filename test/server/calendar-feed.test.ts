import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServer } from "../support/app.js";

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
});
