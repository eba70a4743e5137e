// The notifier against the emulator's Slack, through the real clients (@slack/web-api's
// WebClient, @slack/webhook's IncomingWebhook) over HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ControlledClock } from "../../emulator/clock.js";
import { type RunningSlack, startSlackEmulator } from "../../emulator/slack/server.js";
import type { NotifyEffect } from "../effects/effects.js";
import { EffectRefusedError } from "../effects/executor.js";
import { openStore, type Store } from "../store/index.js";
import { createNotifier, type Notifier, SlackAppTransport, SlackNotifier } from "./index.js";

const FAST = { retries: 2, minTimeout: 0, maxTimeout: 0, factor: 1 };
const TOKEN = "xoxb-test";

let slack: RunningSlack;
let store: Store;
// One store for the file; each test speaks of its own release, so subjects never meet.
let release = 0;

beforeAll(async () => {
  slack = await startSlackEmulator({
    clock: new ControlledClock(new Date("2026-11-13T16:00:00Z"), { frozen: true }),
    channels: ["#help-engineering", "#g-mdm"],
  });
  store = await openStore({ inMemory: true });
});
afterAll(async () => {
  await store?.close();
  await slack?.close();
});
beforeEach(() => {
  release += 1;
  slack.admin.state.messages = [];
  slack.admin.clearThrottle();
});

const app = (over: { token?: string; users?: Record<string, string> } = {}) =>
  createNotifier(
    {
      mode: "app",
      apiUrl: slack.apiUrl,
      channels: { default: "#help-engineering" },
      users: over.users ?? { lukeheath: "U012AB3CD" },
    },
    { store, env: { SLACK_BOT_TOKEN: over.token ?? TOKEN }, retry: FAST },
  );

const rcCut = (message: string): NotifyEffect => ({
  type: "notify",
  channel: "#help-engineering",
  message,
  subject: `rc-cut:4.${release}.0`,
  setting: "releaseTrain.announcements.channel",
});

describe("Slack notifier (bot token, WebClient against the emulator)", () => {
  it("R14: posts an announcement once per subject and records where Slack keeps it", async () => {
    const notifier = app();
    const first = await notifier.notify(rcCut("The release candidate for 4.62.0 is cut."));
    expect(first).toMatchObject({ mode: "app", action: "posted", channel: "#help-engineering" });
    const again = await notifier.notify(rcCut("The release candidate for 4.62.0 is cut."));
    expect(again.action).toBe("unchanged");
    const messages = slack.admin.messages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ channelName: "help-engineering", via: "api" });
    const row = await store.notificationFor("#help-engineering", `rc-cut:4.${release}.0`);
    expect(row).toMatchObject({ channelId: messages[0]!.channel, ts: messages[0]!.ts, edits: 0 });
  });

  it("R11: a follow-up goes in the thread of its subject's message, also shown in the channel", async () => {
    const notifier = app();
    const freeze = await notifier.notify({
      type: "notify",
      channel: "#help-engineering",
      message: "main is frozen for 4.62.0",
      subject: `freeze:${release}`,
    });
    const deep = await notifier.notify({
      type: "notify",
      channel: "#help-engineering",
      message: "Deep freeze of main for 4.62.0",
      subject: `deep-freeze:${release}`,
      thread: `freeze:${release}`,
    });
    expect(deep).toMatchObject({ action: "replied", threadTs: freeze.ts });
    const [, reply] = slack.admin.messages();
    expect(reply).toMatchObject({ threadTs: freeze.ts, broadcast: true });
    expect((await store.listNotifications({ limit: 2 })).map((n) => n.threadTs)).toEqual([
      freeze.ts,
      null,
    ]);
  });

  it("R14: a changed fact edits the announcement (chat.update) instead of posting again", async () => {
    const notifier = app();
    const posted = await notifier.notify(rcCut("Release on Mon 2026-11-16 09:00 PST."));
    const edited = await notifier.notify(rcCut("Release on Tue 2026-11-17 09:00 PST."));
    expect(edited).toMatchObject({ action: "edited", ts: posted.ts });
    const messages = slack.admin.messages();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toBe("Release on Tue 2026-11-17 09:00 PST.");
    expect(messages[0]!.edits.map((e) => e.text)).toEqual(["Release on Mon 2026-11-16 09:00 PST."]);
    expect(await store.notificationFor("#help-engineering", `rc-cut:4.${release}.0`)).toMatchObject(
      {
        edits: 1,
        text: "Release on Tue 2026-11-17 09:00 PST.",
      },
    );
  });

  it("escapes the text and mentions the people the configuration maps", async () => {
    await app().notify(
      rcCut("@lukeheath: only fixes <cherry-picked> from main & docs; cc @xpkoala"),
    );
    expect(slack.admin.messages()[0]!.text).toBe(
      "<@U012AB3CD>: only fixes &lt;cherry-picked&gt; from main &amp; docs; cc @xpkoala",
    );
  });

  it("a 429 is retried after its Retry-After, and posts once", async () => {
    slack.admin.throttle({ method: "chat.postMessage", count: 1, retryAfter: 1 });
    const outcome = await app().notify(rcCut("The release candidate for 4.62.0 is cut."));
    expect(outcome.action).toBe("posted");
    const posts = slack.admin
      .calls()
      .filter((c) => c.method === "chat.postMessage")
      .slice(-2);
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    // Waited at least the second Slack asked for (a lower bound: never flaky on a slow machine).
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(990);
    expect(slack.admin.messages()).toHaveLength(1);
  });

  it("throttled past its bounded retries, it fails for the next run, not for good", async () => {
    slack.admin.throttle({ method: "chat.postMessage", count: 3, retryAfter: 0 });
    const err = await app()
      .notify(rcCut("x"))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(EffectRefusedError);
    expect((err as Error).message).toContain("the next run tries again");
    expect(slack.admin.messages()).toHaveLength(0);
  });

  it("a token auth.test refuses: refused with the variable to set, asked once", async () => {
    slack.admin.refuseToken("xoxb-revoked");
    const notifier = app({ token: "xoxb-revoked" });
    expect(await notifier.check()).toEqual({
      ok: false,
      message:
        "Slack refused the bot token from SLACK_BOT_TOKEN (auth.test: invalid_auth): set it to the app's bot token (xoxb-...)",
    });
    const before = slack.admin.calls().length;
    const err = await notifier.notify(rcCut("x")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EffectRefusedError);
    expect(slack.admin.calls().length).toBe(before);
    expect(slack.admin.messages()).toHaveLength(0);
  });

  it("an unknown channel: refused, naming the channel and the setting", async () => {
    const err = await app()
      .notify({ ...rcCut("x"), channel: "#help-engnering" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EffectRefusedError);
    expect((err as Error).message).toBe(
      'Slack has no channel "#help-engnering" (releaseTrain.announcements.channel): check the name, or use the channel\'s id',
    );
  });

  it("without a token nothing is posted and the refusal says what to set", async () => {
    const notifier = createNotifier(
      { mode: "app", apiUrl: slack.apiUrl, channels: { default: "#x" }, users: {} },
      { store, env: {} },
    );
    const err = await notifier.notify(rcCut("x")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EffectRefusedError);
    expect((err as Error).message).toContain("set SLACK_BOT_TOKEN or SLACK_BOT_TOKEN_FILE");
  });

  it("reads the token from SLACK_BOT_TOKEN_FILE", async () => {
    const notifier = createNotifier(
      { mode: "app", apiUrl: slack.apiUrl, channels: { default: "#x" }, users: {} },
      {
        store,
        env: { SLACK_BOT_TOKEN_FILE: "/run/secrets/slack" },
        readFile: (path) => (path === "/run/secrets/slack" ? `${TOKEN}\n` : ""),
      },
    );
    expect((await notifier.check()).ok).toBe(true);
  });

  it("R43: sets a user group's members (usergroups.users.update)", async () => {
    const group = slack.admin.addUsergroup("oncall");
    const transport = new SlackAppTransport({
      token: TOKEN,
      tokenFrom: "SLACK_BOT_TOKEN",
      apiUrl: slack.apiUrl,
      retry: FAST,
    });
    await transport.setUsergroupMembers(group, ["U012AB3CD"]);
    expect(slack.admin.state.usergroups.find((g) => g.id === group)?.users).toEqual(["U012AB3CD"]);
    await expect(transport.setUsergroupMembers("S404", ["U1"])).rejects.toThrow(
      "Slack refused usergroups.users.update (no_such_subteam)",
    );
  });
});

describe("Slack notifier (incoming webhook)", () => {
  let notifier: Notifier;
  beforeEach(() => {
    const url = slack.admin.addWebhook("#g-mdm");
    notifier = createNotifier(
      { mode: "webhook", apiUrl: slack.apiUrl, channels: { default: "#x" }, users: {} },
      { store, env: { SLACK_WEBHOOK_URL: url } },
    );
  });

  it("posts to the webhook's own channel, and says it cannot thread or edit", async () => {
    expect(notifier.limitations.join(" ")).toContain("no threads");
    const posted = await notifier.notify(rcCut("Release on Mon."));
    expect(posted).toMatchObject({ mode: "webhook", action: "posted" });
    expect(posted.notes).toEqual([
      "posted to the incoming webhook's own channel (slack.mode: webhook)",
    ]);
    const followUp = await notifier.notify({
      type: "notify",
      channel: "#help-engineering",
      message: "Deep freeze",
      subject: `deep-freeze:${release}`,
      thread: `rc-cut:4.${release}.0`,
    });
    expect(followUp.action).toBe("posted");
    expect(followUp.notes?.[0]).toContain("no thread: an incoming webhook cannot reply in threads");
    const changed = await notifier.notify(rcCut("Release on Tue."));
    expect(changed.action).toBe("unchanged");
    expect(changed.notes?.[0]).toContain("not edited");
    const messages = slack.admin.messages();
    expect(messages.map((m) => [m.channelName, m.via, m.text, m.threadTs])).toEqual([
      ["g-mdm", "webhook", "Release on Mon.", undefined],
      ["g-mdm", "webhook", "Deep freeze", undefined],
    ]);
  });

  it("a webhook Slack no longer knows is refused, naming the variable", async () => {
    const gone = createNotifier(
      { mode: "webhook", apiUrl: slack.apiUrl, channels: { default: "#x" }, users: {} },
      { store, env: { SLACK_WEBHOOK_URL: `${slack.url}/services/T0/B0/nope` } },
    );
    await expect(gone.notify(rcCut("x"))).rejects.toThrow(
      "Slack refused the incoming webhook from SLACK_WEBHOOK_URL (404 no_service)",
    );
  });
});

it("SlackNotifier is what createNotifier builds for a token", () => {
  expect(app()).toBeInstanceOf(SlackNotifier);
});
