// The executor applies a `notify` effect once per idempotency key, through the applier's notifier
// to the emulator's Slack; a refusal is recorded once and not tried again on every run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlledClock } from "../../emulator/clock.js";
import { type RunningSlack, startSlackEmulator } from "../../emulator/slack/server.js";
import type { NotifyEffect } from "../../src/effects/effects.js";
import { execute } from "../../src/effects/executor.js";
import { assemblePlan, planned } from "../../src/effects/plan.js";
import { GitHubApplier } from "../../src/github/applier.js";
import type { GitHubClient } from "../../src/github/client.js";
import { createNotifier } from "../../src/notify/index.js";
import { openStore, type Store } from "../../src/store/index.js";

const FAST = { retries: 1, minTimeout: 0, maxTimeout: 0 };

describe("executor: notify effects", () => {
  let slack: RunningSlack;
  let store: Store;
  beforeAll(async () => {
    slack = await startSlackEmulator({
      clock: new ControlledClock(new Date("2026-11-13T16:00:00Z")),
      channels: ["#help-engineering"],
    });
    store = await openStore({ inMemory: true });
  });
  afterAll(async () => {
    await store?.close();
    await slack?.close();
  });

  const applier = () => {
    const notifier = createNotifier(
      { mode: "app", apiUrl: slack.apiUrl, channels: { default: "#help-engineering" }, users: {} },
      { store, env: { SLACK_BOT_TOKEN: "xoxb-test" }, retry: FAST },
    );
    // Notify effects never reach GitHub: the client is not used.
    return new GitHubApplier({} as GitHubClient, (effect) => notifier.notify(effect));
  };
  const planOf = (effect: NotifyEffect, discriminator: string) =>
    assemblePlan("p", "2026-11-13T16:00:00Z", [
      {
        effects: [
          planned("release-actions", effect, discriminator, "R14: announce the release candidate"),
        ],
      },
    ]);
  const run = (plan: ReturnType<typeof planOf>) =>
    execute(plan, applier(), store, { dryRun: false, owner: "test" });

  it("R14: applies an announcement once per key: a second run finds it done and posts nothing", async () => {
    const plan = planOf(
      {
        type: "notify",
        channel: "#help-engineering",
        message: "The release candidate for 4.62.0 is cut.",
        subject: "rc-cut:4.62.0",
      },
      "rc-announce:4.62.0@2026-11-16T09:00:00-08:00",
    );
    const first = await run(plan);
    expect(first.map((r) => r.status)).toEqual(["applied"]);
    const second = await run(plan);
    expect(second.map((r) => r.status)).toEqual(["already-done"]);
    expect(slack.admin.messages().filter((m) => m.text.includes("4.62.0"))).toHaveLength(1);
    const audit = await store.auditByKey(plan.effects[0]!.key);
    expect(audit).toMatchObject({ status: "applied", outcome: { action: "posted", mode: "app" } });
  });

  it("R14: a new key for the same subject (a moved release date) edits the message, not a second post", async () => {
    const effect: NotifyEffect = {
      type: "notify",
      channel: "#help-engineering",
      message: "4.63.0: release Mon 2026-12-07",
      subject: "rc-cut:4.63.0",
    };
    await run(planOf(effect, "rc-announce:4.63.0@2026-12-07T09:00:00-08:00"));
    const moved = await run(
      planOf(
        { ...effect, message: "4.63.0: release Tue 2026-12-08" },
        "rc-announce:4.63.0@2026-12-08T09:00:00-08:00",
      ),
    );
    expect(moved.map((r) => r.status)).toEqual(["applied"]);
    const about = slack.admin.messages().filter((m) => m.text.startsWith("4.63.0"));
    expect(about.map((m) => m.text)).toEqual(["4.63.0: release Tue 2026-12-08"]);
  });

  it("an unknown channel is recorded once as not done, with the setting, and not retried", async () => {
    const plan = planOf(
      {
        type: "notify",
        channel: "#nowhere",
        message: "x",
        subject: "rc-cut:4.64.0",
        setting: "releaseTrain.announcements.channel",
      },
      "rc-announce:4.64.0@x",
    );
    const [first] = await run(plan);
    expect(first).toMatchObject({
      status: "failed",
      error:
        'Slack has no channel "#nowhere" (releaseTrain.announcements.channel): check the name, or use the channel\'s id (not retried)',
    });
    expect(await store.auditByKey(plan.effects[0]!.key)).toMatchObject({ status: "skipped" });
    const before = slack.admin.calls().length;
    expect((await run(plan)).map((r) => r.status)).toEqual(["already-done"]);
    expect(slack.admin.calls().length).toBe(before);
  });
});
