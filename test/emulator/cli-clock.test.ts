import { describe, expect, it } from "vitest";
import { EmulatorUsageError, parseEmulatorArgs, startEmulator } from "../../emulator/index.js";

describe("bosun emulator arguments", () => {
  it("parses port, size, seed, data, until, webhooks and --no-activity", () => {
    expect(
      parseEmulatorArgs([
        "--port",
        "4000",
        "--size",
        "500",
        "--seed",
        "3",
        "--data",
        "/tmp/x",
        "--until",
        "2026-06-30",
        "--webhook",
        "http://127.0.0.1:9/h",
        "--no-activity",
      ]),
    ).toMatchObject({
      port: 4000,
      size: 500,
      seed: 3,
      data: "/tmp/x",
      until: "2026-06-30",
      webhook: ["http://127.0.0.1:9/h"],
      activity: false,
    });
  });

  it.each([
    [["--size", "many"], /--size must be a whole number from 0 to 100000; found "many"/],
    [["--size", "200000"], /--size must be a whole number/],
    [["--until", "yesterday"], /--until must be an ISO 8601 date/],
  ])("rejects %j with a message naming the option and the value", (argv, message) => {
    expect(() => parseEmulatorArgs(argv)).toThrow(EmulatorUsageError);
    expect(() => parseEmulatorArgs(argv)).toThrow(message);
  });
});

describe("the emulator clock", () => {
  it("starts where the history ends and advances through the admin endpoint", async () => {
    const now = new Date("2026-03-01T00:00:00Z");
    const { defaultOrgSpec } = await import("../../emulator/index.js");
    const emu = await startEmulator({ size: 100, seed: 1, org: defaultOrgSpec(now) });
    const advanced = await fetch(`${emu.url}/_emulator/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceMs: 86_400_000 }),
    });
    const { now: after } = (await advanced.json()) as { now: string };
    expect(Date.parse(after) - now.getTime()).toBeGreaterThanOrEqual(86_400_000);
    expect(Date.parse(after) - now.getTime()).toBeLessThan(86_400_000 + 60_000);
    const created = await fetch(`${emu.url}/repos/fleetdm/fleet/issues`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Tomorrow" }),
    });
    const issue = (await created.json()) as { created_at: string };
    expect(Date.parse(issue.created_at)).toBeGreaterThanOrEqual(now.getTime() + 86_400_000 - 1000);
    await emu.close();
  });
});
