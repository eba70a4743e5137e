// The merge gate's wording: GitHub's one-line status description, and logins as mentions.

/** GitHub keeps at most 140 characters of a status description. */
export const DESCRIPTION_LIMIT = 140;

/** `text` on one line, cut to {@link DESCRIPTION_LIMIT} characters with an ellipsis. */
export function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > DESCRIPTION_LIMIT ? `${line.slice(0, DESCRIPTION_LIMIT - 1)}…` : line;
}

/** "@a @b": logins as mentions, in the order given. */
export const logins = (list: readonly string[]) => list.map((l) => `@${l}`).join(" ");
