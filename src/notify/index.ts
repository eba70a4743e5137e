// Slack, the other voice of the executor: `createNotifier` builds the notifier `bosun.yml`'s
// `slack` section and the environment ask for. Only this folder uses the Slack clients.
import { readFileSync } from "node:fs";
import type { SlackConfig } from "../handbook/schema.js";
import { slackTokenFromEnv, slackWebhookFromEnv } from "./credentials.js";
import {
  type Notifier,
  type NotifierStore,
  SlackNotifier,
  UnavailableNotifier,
} from "./notifier.js";
import { type NotifyLog, type SlackAppOptions, SlackAppTransport } from "./slack-app.js";
import { SlackWebhookTransport } from "./slack-webhook.js";

export {
  type Notifier,
  type NotifierStore,
  type NotifyOutcome,
  previewMessage,
  SlackNotifier,
  UnavailableNotifier,
} from "./notifier.js";
export { type NotifyLog, SLACK_RETRY, SlackAppTransport } from "./slack-app.js";
export { SlackWebhookTransport, WEBHOOK_LIMITATIONS } from "./slack-webhook.js";
export { escapeSlack, slackText } from "./text.js";

export interface NotifierDeps {
  store: NotifierStore;
  env?: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
  log?: NotifyLog;
  retry?: SlackAppOptions["retry"];
}

/**
 * The notifier for `slack.mode`. Missing or unreadable credentials give a notifier that posts
 * nothing and refuses each message once with the variable to set, so the rest of Bosun runs.
 */
export function createNotifier(slack: SlackConfig, deps: NotifierDeps): Notifier {
  const env = deps.env ?? process.env;
  const readFile = deps.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  if (slack.mode === "off") return new UnavailableNotifier("off", "not posted: slack.mode is off");
  try {
    if (slack.mode === "webhook") {
      const url = slackWebhookFromEnv(env, readFile);
      if (!url)
        return new UnavailableNotifier(
          "webhook",
          "not posted: slack.mode is webhook but neither SLACK_WEBHOOK_URL nor SLACK_WEBHOOK_URL_FILE is set",
        );
      return new SlackNotifier(
        new SlackWebhookTransport(url.value, url.from),
        deps.store,
        slack.users,
      );
    }
    const token = slackTokenFromEnv(env, readFile);
    if (!token)
      return new UnavailableNotifier(
        "app",
        "not posted: no Slack bot token; set SLACK_BOT_TOKEN or SLACK_BOT_TOKEN_FILE (slack.mode: app), or choose slack.mode: webhook or off",
      );
    return new SlackNotifier(
      new SlackAppTransport({
        token: token.value,
        tokenFrom: token.from,
        apiUrl: slack.apiUrl,
        log: deps.log,
        retry: deps.retry,
      }),
      deps.store,
      slack.users,
    );
  } catch (err) {
    return new UnavailableNotifier(slack.mode, `not posted: ${(err as Error).message}`);
  }
}
