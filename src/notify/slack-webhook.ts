// The simpler mode, for teams that cannot install a Slack app: an incoming webhook
// (`@slack/webhook`). It posts to the one channel chosen when the webhook was made, answers no
// message id, and so can neither reply in a thread nor edit: every message is a new post, and a
// changed fact is not posted again (the notifier says so in what it records).
import { IncomingWebhook, IncomingWebhookHTTPError } from "@slack/webhook";
import { EffectRefusedError } from "../effects/executor.js";
import type { OutgoingMessage, SlackTransport } from "./notifier.js";

export const WEBHOOK_LIMITATIONS = [
  "slack.mode: webhook: messages go to the incoming webhook's own channel, whatever channel a setting names",
  "slack.mode: webhook: no threads (follow-ups are new posts) and no edits (a changed fact is not posted again)",
] as const;

export class SlackWebhookTransport implements SlackTransport {
  readonly mode = "webhook" as const;
  readonly limitations = WEBHOOK_LIMITATIONS;
  readonly canThread = false;
  readonly canEdit = false;
  private readonly hook: IncomingWebhook;

  constructor(
    url: string,
    private readonly urlFrom: string,
    options: { timeoutMs?: number } = {},
  ) {
    // 5xx and network failures are retried twice; a 4xx (a 429 too) fails at once, and the
    // next decision run tries again.
    this.hook = new IncomingWebhook(url, {
      timeout: options.timeoutMs ?? 30_000,
      retryConfig: { retries: 2, factor: 2, minTimeout: 1_000 },
    });
  }

  /** An incoming webhook has nothing to ask before posting. */
  async check(): Promise<string> {
    return `ok: incoming webhook from ${this.urlFrom} (no threads, no edits)`;
  }

  async post(m: OutgoingMessage): Promise<{ channelId?: string; ts?: string }> {
    try {
      await this.hook.send({ text: m.text, unfurl_links: false, unfurl_media: false });
      return {};
    } catch (err) {
      if (err instanceof IncomingWebhookHTTPError) {
        const status = err.statusCode;
        const body = String(err.body ?? "").slice(0, 100);
        if (status === 429 || status >= 500)
          throw new Error(
            `Slack incoming webhook answered ${status} ${body}; the next run tries again`,
          );
        throw new EffectRefusedError(
          `Slack refused the incoming webhook from ${this.urlFrom} (${status} ${body}): make a new webhook and set ${this.urlFrom}`,
        );
      }
      const detail = err instanceof Error ? err.message : String(err);
      throw new Error(`Slack incoming webhook failed: ${detail}; the next run tries again`);
    }
  }

  async update(): Promise<void> {
    throw new EffectRefusedError("an incoming webhook cannot edit a message (slack.mode: webhook)");
  }
}
