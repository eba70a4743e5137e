// R14 end to end, as `bosun preview` wires it: the GitHub emulator, its Slack, a runtime whose
// clock is the emulator's. When the clock passes the RC cut, the announcement appears once in
// the Slack record and on the dashboard; a second decision run posts nothing.
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlledClock, type RunningEmulator, startEmulator } from "../../emulator/index.js";
import type { NotificationView } from "../../src/api/views.js";
import { orgSpecFromConfig } from "../../src/cli/commands/preview-org.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { createNotifier } from "../../src/notify/index.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { emulatorClient } from "../support/github.js";

// Sprint 14: the RC is cut on Fri 2026-11-13 08:00 PST (16:00 UTC); the release is Mon 11-16.
const BEFORE_CUT = new Date("2026-11-13T15:00:00Z");

describe("R14: the RC cut is announced in Slack once, on the emulator", () => {
  let emu: RunningEmulator;
  let store: Store;
  let runtime: Runtime;
  let config: HandbookConfig;

  beforeAll(async () => {
    const example = await exampleConfig();
    config = { ...example, rituals: [] };
    emu = await startEmulator({
      size: 40,
      seed: 7,
      org: orgSpecFromConfig(config, BEFORE_CUT),
      clock: new ControlledClock(BEFORE_CUT, { frozen: true }),
      slack: { channels: ["#help-engineering"] },
    });
    store = await openStore({ inMemory: true });
    const slack = { ...config.slack, apiUrl: emu.slack.apiUrl };
    runtime = new Runtime({
      config: { ...config, slack },
      store,
      location: "memory",
      client: emulatorClient(emu.url, store),
      dryRun: false,
      notifier: createNotifier(slack, { store, env: { SLACK_BOT_TOKEN: "xoxb-e2e" } }),
      clock: () => Temporal.Instant.fromEpochMilliseconds(emu.admin.clock.now()),
    });
    await runtime.syncOnce();
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await store?.close();
    await emu?.close();
  });

  const announcements = () =>
    emu.admin.slack.messages().filter((m) => m.text.startsWith("The release candidate for"));

  it("announces nothing before the cut, once after it, and nothing on the next run", async () => {
    // Issue 14 item 13: the example configuration announces, in the handbook's channel.
    expect(config.releaseTrain.announcements?.channel).toBe("#help-engineering");
    const before = await runtime.decideAndApply();
    expect(before.filter((r) => r.line.startsWith("notify:"))).toEqual([]);
    expect(announcements()).toEqual([]);

    // The emulator's clock passes the cut (as POST /_emulator/clock does in `bosun preview`).
    emu.admin.clock.advance(2 * 3_600_000);
    const cut = await runtime.decideAndApply();
    const notify = cut.filter((r) => r.line.startsWith("notify:#help-engineering"));
    expect(notify.map((r) => [r.status, r.reason])).toEqual([
      ["applied", "R14: RC cut Fri 2026-11-13 08:00 PST: announce the release candidate"],
    ]);
    expect(announcements()).toHaveLength(1);
    expect(announcements()[0]).toMatchObject({ channelName: "help-engineering", via: "api" });
    expect(announcements()[0]!.text).toMatch(
      /^The release candidate for 4\.\d+\.0 is cut: rc-minor-fleet-v4\.\d+\.0\. Until the release on Mon 2026-11-16 09:00 PST/,
    );

    const again = await runtime.decideAndApply();
    expect(again.filter((r) => r.line.startsWith("notify:")).map((r) => r.status)).not.toContain(
      "applied",
    );
    expect(announcements()).toHaveLength(1);

    // The dashboard lists it, from the store.
    const app = await runtime.server();
    const listed = (await app.inject("/api/notifications")).json() as NotificationView[];
    expect(listed.map((n) => [n.channel, n.subject, n.mode])).toEqual([
      ["#help-engineering", expect.stringMatching(/^rc-cut:4\.\d+\.0$/), "app"],
    ]);
    const page = (await app.inject("/")).body;
    expect(page).toContain('id="notifications"');
    expect(page).toContain(listed[0]!.text.slice(0, 40));
  });
});
