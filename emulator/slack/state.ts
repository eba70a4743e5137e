// The emulator's Slack workspace: channels, the messages posted to them (by the Web API or an
// incoming webhook), user groups, and the tokens it refuses. Plain data, so it persists as JSON.
import type { Clock } from "../clock.js";

export interface SlackChannel {
  id: string;
  /** Without the "#". */
  name: string;
  archived: boolean;
}

export interface SlackMessage {
  channel: string;
  /** The channel's name, for people reading the record. */
  channelName: string;
  ts: string;
  /** The parent's ts when the message is a reply in a thread. */
  threadTs?: string;
  /** A reply also shown in the channel (`reply_broadcast`). */
  broadcast?: boolean;
  text: string;
  /** "api" (`chat.postMessage`, by the bot user) or "webhook" (an incoming webhook). */
  via: "api" | "webhook";
  user?: string;
  /** Earlier texts, oldest first, and when the message was last edited (`chat.update`). */
  edits: { text: string; ts: string }[];
  postedAt: string;
}

export interface SlackUsergroup {
  id: string;
  handle: string;
  users: string[];
}

export interface SlackIncomingWebhook {
  /** The path under the server: /services/T.../B.../secret. */
  path: string;
  channel: string;
}

export interface SlackSnapshot {
  channels: SlackChannel[];
  messages: SlackMessage[];
  usergroups: SlackUsergroup[];
  webhooks: SlackIncomingWebhook[];
  refusedTokens: string[];
  nextId: number;
}

export const TEAM_ID = "T0EMULATOR";
export const BOT_USER_ID = "U0BOSUNBOT";
export const BOT_ID = "B0BOSUNBOT";

export class SlackState {
  channels: SlackChannel[] = [];
  messages: SlackMessage[] = [];
  usergroups: SlackUsergroup[] = [];
  webhooks: SlackIncomingWebhook[] = [];
  refusedTokens = new Set<string>();
  private nextId = 1;
  private lastTs = 0;

  constructor(private readonly clock: Clock) {}

  private id(prefix: string): string {
    return `${prefix}${String(this.nextId++).padStart(8, "0")}`;
  }

  /** A channel by id, "#name" or "name". */
  channel(ref: string): SlackChannel | undefined {
    const name = ref.replace(/^#/, "");
    return this.channels.find((c) => c.id === ref || c.name === name);
  }

  addChannel(ref: string): SlackChannel {
    const existing = this.channel(ref);
    if (existing) return existing;
    const channel = { id: this.id("C"), name: ref.replace(/^#/, ""), archived: false };
    this.channels.push(channel);
    return channel;
  }

  addUsergroup(handle: string): SlackUsergroup {
    const existing = this.usergroups.find((g) => g.handle === handle.replace(/^@/, ""));
    if (existing) return existing;
    const group = { id: this.id("S"), handle: handle.replace(/^@/, ""), users: [] };
    this.usergroups.push(group);
    return group;
  }

  addWebhook(channel: string): SlackIncomingWebhook {
    const c = this.addChannel(channel);
    const hook = {
      path: `/services/${TEAM_ID}/${this.id("B")}/${Math.random().toString(36).slice(2, 14)}`,
      channel: c.id,
    };
    this.webhooks.push(hook);
    return hook;
  }

  /** A message timestamp: the emulator clock's seconds, unique and increasing. */
  nextTs(): string {
    const micros = Math.max(this.clock.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
  }

  post(m: Omit<SlackMessage, "ts" | "edits" | "postedAt" | "channelName">): SlackMessage {
    const message: SlackMessage = {
      ...m,
      channelName: this.channel(m.channel)?.name ?? m.channel,
      ts: this.nextTs(),
      edits: [],
      postedAt: new Date(this.clock.now()).toISOString(),
    };
    this.messages.push(message);
    return message;
  }

  snapshot(): SlackSnapshot {
    return {
      channels: this.channels,
      messages: this.messages,
      usergroups: this.usergroups,
      webhooks: this.webhooks,
      refusedTokens: [...this.refusedTokens],
      nextId: this.nextId,
    };
  }

  restore(s: SlackSnapshot): void {
    this.channels = s.channels;
    this.messages = s.messages;
    this.usergroups = s.usergroups;
    this.webhooks = s.webhooks;
    this.refusedTokens = new Set(s.refusedTokens);
    this.nextId = s.nextId;
  }
}
