// The notifier: how a `notify` effect reaches people. One message per subject and channel,
// found again in the store (`notifications`): a follow-up (`thread`) goes in that message's
// thread, a changed fact (the same subject, other words) edits it, the same words do nothing.
// What goes over the wire is a transport's job: a Slack app's bot token (slack-app.ts) or an
// incoming webhook (slack-webhook.ts), which can neither thread nor edit.
import type { NotifyEffect } from "../effects/effects.js";
import { EffectRefusedError } from "../effects/executor.js";
import type { SlackConfig } from "../handbook/schema.js";
import type { NotificationRow, Store } from "../store/index.js";
import { slackText } from "./text.js";

export type NotifierStore = Pick<
  Store,
  "notificationFor" | "recordNotification" | "recordNotificationEdit"
>;

/** What the audit log keeps of a delivered message. */
export interface NotifyOutcome {
  mode: "app" | "webhook";
  action: "posted" | "replied" | "edited" | "unchanged";
  channel: string;
  channelId?: string;
  ts?: string;
  threadTs?: string;
  /** The text Slack got. */
  text: string;
  /** What the mode could not do ("no thread: incoming webhooks cannot reply in threads"). */
  notes?: string[];
}

/** Where a message goes, as a transport receives it. */
export interface OutgoingMessage {
  channel: string;
  text: string;
  /** Reply in this thread (transports that can). */
  threadTs?: string;
  /** The setting that chose the channel, for messages about it. */
  setting?: string;
}

/** The wire: posts, and (a Slack app) edits. Refusals that cannot pass are EffectRefusedError. */
export interface SlackTransport {
  readonly mode: "app" | "webhook";
  /** What this transport cannot do, said once at start and on every message it affects. */
  readonly limitations: readonly string[];
  readonly canThread: boolean;
  readonly canEdit: boolean;
  /** Checks the credentials (`auth.test`); throws EffectRefusedError naming the setting. */
  check(): Promise<string>;
  post(message: OutgoingMessage): Promise<{ channelId?: string; ts?: string }>;
  update(message: { channelId: string; ts: string; text: string; setting?: string }): Promise<void>;
}

export interface Notifier {
  readonly mode: "app" | "webhook" | "off";
  readonly limitations: readonly string[];
  /**
   * Checks the credentials once (later calls reuse the answer): "ok: ..." or the problem, with
   * the setting to fix. Never throws.
   */
  check(): Promise<{ ok: boolean; message: string }>;
  notify(effect: NotifyEffect, key?: string): Promise<NotifyOutcome>;
}

export class SlackNotifier implements Notifier {
  private checked?: Promise<string>;

  constructor(
    private readonly transport: SlackTransport,
    private readonly store: NotifierStore,
    private readonly users: Readonly<Record<string, string>> = {},
  ) {}

  get mode() {
    return this.transport.mode;
  }

  get limitations() {
    return this.transport.limitations;
  }

  /** auth.test once per process; a refusal is kept, a network failure is asked again next time. */
  private ready(): Promise<string> {
    this.checked ??= this.transport.check().catch((err: unknown) => {
      if (!(err instanceof EffectRefusedError)) this.checked = undefined;
      throw err;
    });
    return this.checked;
  }

  async check(): Promise<{ ok: boolean; message: string }> {
    try {
      return { ok: true, message: await this.ready() };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  }

  async notify(effect: NotifyEffect, key?: string): Promise<NotifyOutcome> {
    await this.ready();
    const { mode } = this.transport;
    const text = slackText(effect.message, this.users);
    const base = { mode, channel: effect.channel, text };
    const existing = effect.subject
      ? await this.store.notificationFor(effect.channel, effect.subject)
      : null;
    if (existing) return this.revise(existing, effect, text, key);

    const notes: string[] = [];
    let threadTs: string | undefined;
    if (effect.thread) {
      const parent = await this.store.notificationFor(effect.channel, effect.thread);
      if (!this.transport.canThread)
        notes.push("no thread: an incoming webhook cannot reply in threads (slack.mode: webhook)");
      else if (parent?.ts) threadTs = parent.ts;
      else notes.push(`no thread: ${effect.thread} was not announced in ${effect.channel}`);
    }
    if (mode === "webhook")
      notes.push("posted to the incoming webhook's own channel (slack.mode: webhook)");
    const posted = await this.transport.post({
      channel: effect.channel,
      text,
      threadTs,
      setting: effect.setting,
    });
    await this.store.recordNotification({
      channel: effect.channel,
      subject: effect.subject,
      mode,
      channelId: posted.channelId,
      ts: posted.ts,
      threadTs,
      message: effect.message,
      text,
      effectKey: key,
    });
    return {
      ...base,
      action: threadTs ? "replied" : "posted",
      ...(posted.channelId ? { channelId: posted.channelId } : {}),
      ...(posted.ts ? { ts: posted.ts } : {}),
      ...(threadTs ? { threadTs } : {}),
      ...(notes.length ? { notes } : {}),
    };
  }

  /** The subject was posted: same words do nothing; other words edit it where the mode can. */
  private async revise(
    existing: NotificationRow,
    effect: NotifyEffect,
    text: string,
    key: string | undefined,
  ): Promise<NotifyOutcome> {
    const where = {
      mode: this.transport.mode,
      channel: effect.channel,
      text,
      ...(existing.channelId ? { channelId: existing.channelId } : {}),
      ...(existing.ts ? { ts: existing.ts } : {}),
    };
    if (existing.text === text) return { ...where, action: "unchanged" };
    if (!this.transport.canEdit || !existing.channelId || !existing.ts) {
      return {
        ...where,
        text: existing.text,
        action: "unchanged",
        notes: [
          `not edited: the message about ${effect.subject} went out by incoming webhook, which cannot edit (slack.mode: webhook); it still says the earlier facts`,
        ],
      };
    }
    await this.transport.update({
      channelId: existing.channelId,
      ts: existing.ts,
      text,
      setting: effect.setting,
    });
    await this.store.recordNotificationEdit(existing.id, {
      message: effect.message,
      text,
      effectKey: key,
    });
    return { ...where, action: "edited" };
  }
}

/** Posts nothing and says why (no credentials, `slack.mode: off`): each effect is refused once. */
export class UnavailableNotifier implements Notifier {
  readonly limitations: readonly string[] = [];
  constructor(
    readonly mode: "app" | "webhook" | "off",
    private readonly reason: string,
  ) {}

  async check() {
    return { ok: false, message: this.reason };
  }

  async notify(): Promise<NotifyOutcome> {
    throw new EffectRefusedError(this.reason);
  }
}

/** What the dry run shows instead of posting: the channel and the text Slack would get. */
export function previewMessage(effect: NotifyEffect, slack: Pick<SlackConfig, "users">) {
  return {
    channel: effect.channel,
    ...(effect.subject ? { subject: effect.subject } : {}),
    ...(effect.thread ? { thread: effect.thread } : {}),
    text: slackText(effect.message, slack.users),
  };
}
