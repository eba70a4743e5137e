// Slack's secrets come from the environment only, never from bosun.yml and never into a log: the
// bot token (`SLACK_BOT_TOKEN`, or a file named by `SLACK_BOT_TOKEN_FILE`, as container secrets
// are mounted) and the incoming-webhook URL (`SLACK_WEBHOOK_URL` / `SLACK_WEBHOOK_URL_FILE`).

export interface SlackSecret {
  value: string;
  /** The variable it came from, for messages ("SLACK_BOT_TOKEN_FILE"). */
  from: string;
}

/** A secret from `NAME` or the file `NAME_FILE` names; undefined when neither is set. */
export function secretFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  readFile: (path: string) => string,
): SlackSecret | undefined {
  const direct = env[name]?.trim();
  if (direct) return { value: direct, from: name };
  const file = env[`${name}_FILE`]?.trim();
  if (!file) return undefined;
  let text: string;
  try {
    text = readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).message;
    throw new Error(`${name}_FILE: cannot read ${JSON.stringify(file)} (${code})`);
  }
  const value = text.trim();
  if (!value) throw new Error(`${name}_FILE: ${JSON.stringify(file)} is empty`);
  return { value, from: `${name}_FILE` };
}

export const slackTokenFromEnv = (env: NodeJS.ProcessEnv, readFile: (path: string) => string) =>
  secretFromEnv(env, "SLACK_BOT_TOKEN", readFile);

export const slackWebhookFromEnv = (env: NodeJS.ProcessEnv, readFile: (path: string) => string) =>
  secretFromEnv(env, "SLACK_WEBHOOK_URL", readFile);
