// The Slack Web API subset Bosun uses, as real HTTP: `auth.test`, `chat.postMessage`,
// `chat.update`, `usergroups.users.update`, and incoming webhooks. Point `@slack/web-api`'s
// WebClient at it with `slackApiUrl: <url>/api/`. Answers have Slack's shapes: HTTP 200 with
// `{ ok: false, error }` for refusals, 429 with `Retry-After` when throttled (the switch below).
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import type { Clock } from "../clock.js";
import {
  BOT_ID,
  BOT_USER_ID,
  type SlackChannel,
  type SlackMessage,
  type SlackSnapshot,
  SlackState,
  TEAM_ID,
} from "./state.js";

/** The 429 switch: the next `count` matching calls answer 429 with `Retry-After: retryAfter`. */
export interface SlackThrottle {
  count?: number;
  /** Seconds in `Retry-After` (default 1). */
  retryAfter?: number;
  /** Only this Web API method ("chat.postMessage"), or "webhook" for incoming webhooks. */
  method?: string;
}

/** One call as the emulator answered it; `at` is the wall clock (Retry-After is wall time). */
export interface SlackCall {
  method: string;
  status: number;
  error?: string;
  at: number;
}

export interface SlackAdmin {
  state: SlackState;
  /** Every message, oldest first; replies carry `threadTs`. */
  messages(): SlackMessage[];
  calls(): SlackCall[];
  addChannel(name: string): SlackChannel;
  /** An incoming webhook posting to `channel`; returns its URL. */
  addWebhook(channel: string): string;
  addUsergroup(handle: string): string;
  /** `auth.test` and every call with this token answer `invalid_auth`. */
  refuseToken(token: string): void;
  throttle(spec: SlackThrottle): void;
  clearThrottle(): void;
  save(): Promise<void>;
}

export interface RunningSlack {
  /** The server, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** The Web API's base, for WebClient's `slackApiUrl`. */
  apiUrl: string;
  admin: SlackAdmin;
  close(): Promise<void>;
}

export interface SlackEmulatorOptions {
  port?: number;
  host?: string;
  clock: Clock;
  /** Channels that exist from the start ("#help-engineering"). */
  channels?: readonly string[];
  /** Keeps the workspace in `<dataDir>/slack.json` across restarts. */
  dataDir?: string;
}

const FILE = "slack.json";

class SlackFailure extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<RunningSlack> {
  const state = new SlackState(options.clock);
  const file = options.dataDir ? join(options.dataDir, FILE) : undefined;
  if (file && existsSync(file))
    state.restore(JSON.parse(readFileSync(file, "utf8")) as SlackSnapshot);
  for (const c of options.channels ?? ["#general"]) state.addChannel(c);
  const calls: SlackCall[] = [];
  let throttles: (SlackThrottle & { remaining: number | null })[] = [];

  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (request, body, done) => {
    const text = String(body);
    const type = String(request.headers["content-type"] ?? "");
    if (type.startsWith("application/json")) {
      try {
        done(null, text.trim() === "" ? {} : JSON.parse(text));
      } catch {
        done(null, { __invalid: true });
      }
      return;
    }
    done(null, Object.fromEntries(new URLSearchParams(text)));
  });

  /** Consumes a throttle matching `method`, if any: its Retry-After in seconds. */
  const throttled = (method: string): number | undefined => {
    const hit = throttles.find((t) => !t.method || t.method === method);
    if (!hit) return undefined;
    if (hit.remaining !== null) {
      hit.remaining -= 1;
      if (hit.remaining <= 0) throttles = throttles.filter((t) => t !== hit);
    }
    return hit.retryAfter ?? 1;
  };

  const tokenOf = (request: FastifyRequest, body: Record<string, unknown>): string | undefined => {
    const header = request.headers.authorization;
    const m = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
    return m?.[1] ?? (typeof body.token === "string" ? body.token : undefined);
  };

  const METHODS: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    "auth.test": () => ({
      url: "https://bosun-emulator.slack.com/",
      team: "Bosun emulator",
      user: "bosun",
      team_id: TEAM_ID,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    }),
    "chat.postMessage": (body) => {
      const channel = channelOf(body.channel);
      const text = typeof body.text === "string" ? body.text : "";
      if (text === "") throw new SlackFailure("no_text");
      if (text.length > 40_000) throw new SlackFailure("msg_too_long");
      const threadTs = typeof body.thread_ts === "string" ? body.thread_ts : undefined;
      if (threadTs && !state.messages.some((m) => m.channel === channel.id && m.ts === threadTs))
        throw new SlackFailure("thread_not_found");
      const message = state.post({
        channel: channel.id,
        text,
        via: "api",
        user: BOT_USER_ID,
        ...(threadTs ? { threadTs } : {}),
        ...(threadTs && isTrue(body.reply_broadcast) ? { broadcast: true } : {}),
      });
      return { channel: channel.id, ts: message.ts, message: render(message) };
    },
    "chat.update": (body) => {
      const channel = channelOf(body.channel);
      const message = state.messages.find((m) => m.channel === channel.id && m.ts === body.ts);
      if (!message) throw new SlackFailure("message_not_found");
      if (message.via !== "api" || message.user !== BOT_USER_ID)
        throw new SlackFailure("cant_update_message");
      const text = typeof body.text === "string" ? body.text : "";
      if (text === "") throw new SlackFailure("no_text");
      message.edits.push({ text: message.text, ts: state.nextTs() });
      message.text = text;
      return { channel: channel.id, ts: message.ts, text, message: render(message) };
    },
    "usergroups.users.update": (body) => {
      const group = state.usergroups.find((g) => g.id === body.usergroup);
      if (!group) throw new SlackFailure("no_such_subteam");
      const users = String(body.users ?? "")
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean);
      if (users.length === 0) throw new SlackFailure("invalid_users");
      group.users = users;
      return {
        usergroup: {
          id: group.id,
          team_id: TEAM_ID,
          handle: group.handle,
          users,
          user_count: users.length,
        },
      };
    },
  };

  function channelOf(ref: unknown): SlackChannel {
    const channel = typeof ref === "string" ? state.channel(ref) : undefined;
    if (!channel) throw new SlackFailure("channel_not_found");
    if (channel.archived) throw new SlackFailure("is_archived");
    return channel;
  }

  const answerLimited = (reply: FastifyReply, method: string, retryAfter: number) => {
    calls.push({ method, status: 429, error: "ratelimited", at: Date.now() });
    return reply
      .code(429)
      .header("retry-after", String(retryAfter))
      .send({ ok: false, error: "ratelimited" });
  };

  app.post<{ Params: { method: string } }>("/api/:method", async (request, reply) => {
    const method = request.params.method;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const retryAfter = throttled(method);
    if (retryAfter !== undefined) return answerLimited(reply, method, retryAfter);
    const answer = (status: number, payload: Record<string, unknown>) => {
      calls.push({
        method,
        status,
        ...(payload.ok === false ? { error: String(payload.error) } : {}),
        at: Date.now(),
      });
      return reply.code(status).send(payload);
    };
    const handler = METHODS[method];
    if (!handler) return answer(404, { ok: false, error: "unknown_method" });
    if (body.__invalid) return answer(200, { ok: false, error: "invalid_json" });
    const token = tokenOf(request, body);
    if (!token) return answer(200, { ok: false, error: "not_authed" });
    if (state.refusedTokens.has(token)) return answer(200, { ok: false, error: "invalid_auth" });
    try {
      return answer(200, { ok: true, ...handler(body) });
    } catch (err) {
      if (err instanceof SlackFailure) return answer(200, { ok: false, error: err.error });
      throw err;
    }
  });

  // Incoming webhooks answer plain text: "ok", or the error ("no_service", "invalid_payload").
  app.post("/services/*", async (request, reply) => {
    const retryAfter = throttled("webhook");
    if (retryAfter !== undefined) {
      calls.push({ method: "webhook", status: 429, error: "rate_limited", at: Date.now() });
      return reply.code(429).header("retry-after", String(retryAfter)).send("rate_limited");
    }
    const path = request.url.split("?")[0];
    const hook = state.webhooks.find((h) => h.path === path);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const fail = (status: number, error: string) => {
      calls.push({ method: "webhook", status, error, at: Date.now() });
      return reply.code(status).type("text/plain").send(error);
    };
    if (!hook) return fail(404, "no_service");
    if (body.__invalid || typeof body.text !== "string" || body.text === "")
      return fail(400, "invalid_payload");
    state.post({ channel: hook.channel, text: body.text, via: "webhook" });
    calls.push({ method: "webhook", status: 200, at: Date.now() });
    return reply.code(200).type("text/plain").send("ok");
  });

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send({ ok: false, error: "unknown_method" });
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;

  const save = async () => {
    if (!file || !options.dataDir) return;
    await mkdir(options.dataDir, { recursive: true });
    await writeFile(`${file}.tmp`, JSON.stringify(state.snapshot()));
    await rename(`${file}.tmp`, file);
  };

  return {
    url,
    apiUrl: `${url}/api/`,
    admin: {
      state,
      messages: () => state.messages.slice(),
      calls: () => calls.slice(),
      addChannel: (name) => state.addChannel(name),
      addWebhook: (channel) => `${url}${state.addWebhook(channel).path}`,
      addUsergroup: (handle) => state.addUsergroup(handle).id,
      refuseToken: (token) => void state.refusedTokens.add(token),
      throttle: (spec) =>
        void throttles.push({ ...spec, remaining: spec.count === undefined ? null : spec.count }),
      clearThrottle: () => {
        throttles = [];
      },
      save,
    },
    async close() {
      await save();
      await app.close();
    },
  };
}

function isTrue(v: unknown): boolean {
  return v === true || v === "true" || v === "1";
}

function render(m: SlackMessage) {
  return {
    type: "message",
    text: m.text,
    ts: m.ts,
    ...(m.user ? { user: m.user, bot_id: BOT_ID } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.edits.length > 0 ? { edited: { user: m.user, ts: m.edits.at(-1)!.ts } } : {}),
  };
}
