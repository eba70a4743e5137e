/**
 * The hidden marker a ritual's issue carries: an HTML comment GitHub does not render, naming the
 * ritual and the occurrence. It is how Bosun recognises an occurrence as filed from the issue
 * alone: after a crash between filing and recording, for issues filed before the audit log
 * existed, or by another Bosun install. Built and parsed here, nowhere else.
 */

const MARKER_RE = /<!--\s*bosun:ritual\s+id="([a-z0-9-]+)"\s+occurrence="([^"\s]+)"\s*-->/;

export function ritualMarker(ritualId: string, occurrence: string): string {
  return `<!-- bosun:ritual id="${ritualId}" occurrence="${occurrence}" -->`;
}

/** The marker in an issue body, if any. */
export function parseRitualMarker(
  body: string | null | undefined,
): { ritualId: string; occurrence: string } | undefined {
  const m = body ? MARKER_RE.exec(body) : null;
  return m ? { ritualId: m[1]!, occurrence: m[2]! } : undefined;
}

/** What a store query can pre-filter on before {@link parseRitualMarker} decides. */
export const RITUAL_MARKER_PREFIX = "<!-- bosun:ritual ";

/** The idempotency key's discriminator of one occurrence: `<ritual id>@<occurrence id>`. */
export const occurrenceKey = {
  build: (o: { ritual: string; occurrence: string }) => `${o.ritual}@${o.occurrence}`,
  parse(discriminator: string): { ritual: string; occurrence: string } | undefined {
    const at = discriminator.indexOf("@");
    if (at <= 0 || at === discriminator.length - 1) return undefined;
    return { ritual: discriminator.slice(0, at), occurrence: discriminator.slice(at + 1) };
  },
};
