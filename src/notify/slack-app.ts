// A Slack app's bot token through `@slack/web-api`'s WebClient: `chat.postMessage` (threads with
// `thread_ts`), `chat.update`, `usergroups.users.update`, checked with `auth.test`. A 429 is
// waited out as its `Retry-After` says, a bounded number of times (WebClient's retry config):
// nothing is retried forever. Slack's refusals that a retry cannot cure (a refused token, an
// unknown channel, a missing scope) are EffectRefusedError naming the setting to fix.
import {
  type Logger,
  LogLevel,
  type RetryOptions,
  WebAPIPlatformError,
  WebClient,
  WebClientEvent,
} from "@slack/web-api";
import { EffectRefusedError } from "../effects/executor.js";
import type { OutgoingMessage, SlackTransport } from "./notifier.js";

export interface NotifyLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface SlackAppOptions {
  token: string;
  /** Where the token came from ("SLACK_BOT_TOKEN"), named when Slack refuses it. */
  tokenFrom: string;
  apiUrl: string;
  log?: NotifyLog;
  /** Retries of throttled (429, after Retry-After) and failed requests; bounded. */
  retry?: RetryOptions;
  /** Milliseconds one request may take. */
  timeoutMs?: number;
}

/** Production: three retries, the last one at most about a minute after the first try. */
export const SLACK_RETRY: RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 1_000,
  maxTimeout: 30_000,
  randomize: true,
};

const TOKEN_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "no_permission",
  "org_login_required",
  "ekm_access_denied",
  "team_access_not_granted",
]);

export class SlackAppTransport implements SlackTransport {
  readonly mode = "app" as const;
  readonly limitations: readonly string[] = [];
  readonly canThread = true;
  readonly canEdit = true;
  private readonly web: WebClient;

  constructor(private readonly options: SlackAppOptions) {
    const log = options.log;
    this.web = new WebClient(options.token, {
      slackApiUrl: options.apiUrl,
      retryConfig: options.retry ?? SLACK_RETRY,
      rejectRateLimitedCalls: false,
      timeout: options.timeoutMs ?? 30_000,
      logger: quietLogger(log),
      logLevel: LogLevel.WARN,
    });
    this.web.on(WebClientEvent.RATE_LIMITED, (seconds: number, { url }: { url: string }) =>
      log?.warn(
        `Slack rate limit on ${url.split("/").at(-1)}: waiting ${seconds} s (Retry-After), then retrying`,
      ),
    );
  }

  async check(): Promise<string> {
    try {
      const me = await this.web.auth.test();
      return `ok: Slack workspace ${me.team ?? me.team_id ?? "?"} as ${me.user ?? me.user_id ?? "?"}`;
    } catch (err) {
      throw this.explain(err, "auth.test");
    }
  }

  async post(m: OutgoingMessage): Promise<{ channelId?: string; ts?: string }> {
    try {
      const base = { channel: m.channel, text: m.text, unfurl_links: false, unfurl_media: false };
      // A follow-up in the thread, also shown in the channel: people see what changed.
      const answer = await this.web.chat.postMessage(
        m.threadTs ? { ...base, thread_ts: m.threadTs, reply_broadcast: true } : base,
      );
      return { channelId: answer.channel, ts: answer.ts };
    } catch (err) {
      throw this.explain(err, "chat.postMessage", m.channel, m.setting);
    }
  }

  async update(m: { channelId: string; ts: string; text: string; setting?: string }) {
    try {
      await this.web.chat.update({ channel: m.channelId, ts: m.ts, text: m.text });
    } catch (err) {
      throw this.explain(err, "chat.update", m.channelId, m.setting);
    }
  }

  /** R43's `@oncall`: the user group's members, as Slack member ids. */
  async setUsergroupMembers(usergroup: string, userIds: readonly string[]): Promise<void> {
    try {
      await this.web.usergroups.users.update({ usergroup, users: userIds.join(",") });
    } catch (err) {
      throw this.explain(err, "usergroups.users.update");
    }
  }

  /** Slack's answer as an error a person can act on; refusals a retry cannot cure are final. */
  private explain(err: unknown, method: string, channel?: string, setting?: string): Error {
    if (!(err instanceof WebAPIPlatformError)) {
      const detail = err instanceof Error ? err.message : String(err);
      return new Error(`Slack ${method} failed: ${detail}; the next run tries again`);
    }
    const code = err.data.error;
    const where = `${JSON.stringify(channel)}${setting ? ` (${setting})` : ""}`;
    if (TOKEN_ERRORS.has(code))
      return new EffectRefusedError(
        `Slack refused the bot token from ${this.options.tokenFrom} (${method}: ${code}): set it to the app's bot token (xoxb-...)`,
      );
    if (code === "missing_scope") {
      const needed = (err.data as { needed?: string }).needed;
      return new EffectRefusedError(
        `Slack: the bot token from ${this.options.tokenFrom} lacks the scope ${needed ?? "?"} (${method}): add it to the app and reinstall it`,
      );
    }
    if (code === "channel_not_found")
      return new EffectRefusedError(
        `Slack has no channel ${where}: check the name, or use the channel's id`,
      );
    if (code === "not_in_channel")
      return new EffectRefusedError(
        `Slack: the Bosun app is not a member of ${where}: invite it (/invite @bosun in the channel)`,
      );
    if (code === "is_archived")
      return new EffectRefusedError(`Slack: the channel ${where} is archived: name another one`);
    if (
      [
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
        "no_such_subteam",
      ].includes(code)
    )
      return new EffectRefusedError(`Slack refused ${method} (${code})`);
    if (["ratelimited", "internal_error", "fatal_error", "service_unavailable"].includes(code))
      return new Error(`Slack ${method} failed (${code}); the next run tries again`);
    return new EffectRefusedError(`Slack refused ${method} (${code})`);
  }
}

/** WebClient's own log lines (its rate-limit notices, warnings) reach Bosun's log, never the token. */
function quietLogger(log: NotifyLog | undefined): Logger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]) => `Slack: ${msg.map(String).join(" ")}`;
  return {
    debug() {},
    info(...msg: unknown[]) {
      if (level === LogLevel.INFO || level === LogLevel.DEBUG) log?.info(text(msg));
    },
    warn: (...msg: unknown[]) => log?.warn(text(msg)),
    error: (...msg: unknown[]) => log?.warn(text(msg)),
    setLevel(l: LogLevel) {
      level = l;
    },
    getLevel: () => level,
    setName() {},
  };
}
