// A rule's message as Slack text: the three characters Slack's markup reserves escaped, and the
// GitHub logins the configuration maps to Slack member ids turned into mentions.

/** Slack's escaping: `&`, `<` and `>` (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// "@login" where it starts a word: not inside an e-mail address or a longer word.
const MENTION =
  /(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?)(?![A-Za-z0-9-])/g;

/**
 * `message` as Slack text. `users` maps GitHub logins (any case) to Slack member ids: `@login`
 * becomes `<@U123>`; a login it does not name stays `@login` as text (no one is pinged).
 */
export function slackText(message: string, users: Readonly<Record<string, string>>): string {
  const byLogin = new Map(Object.entries(users).map(([login, id]) => [login.toLowerCase(), id]));
  return escapeSlack(message).replace(MENTION, (whole, before: string, login: string) => {
    const id = byLogin.get(login.toLowerCase());
    return id ? `${before}<@${id}>` : whole;
  });
}
