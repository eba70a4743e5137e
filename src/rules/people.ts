// Who is a community contributor: a person (not a bot) outside the organisation. Decided from
// the organisation's member list, never from author_association alone: GitHub reports a
// concealed (private) member as CONTRIBUTOR. A list never synced, or too old to trust,
// cannot say, and the answer is "unknown" so that rules wait rather than guess.
import type { Temporal } from "temporal-polyfill";
import type { OrgPeopleView } from "../store/index.js";

/** The daily refresh, and a day's grace for one that failed, before the list is stale. */
export const PEOPLE_STALE_AFTER_MS = 2 * 86_400_000;
/** How often the member list is read again when nothing asked for it sooner. */
export const PEOPLE_REFRESH_EVERY_MS = 86_400_000;

export type CommunityVerdict = true | false | "unknown";

export interface Author {
  login: string;
  /** GitHub's user type, when known ("User", "Bot", "Organization"). */
  type?: string | null;
}

/** What the verdict reads: the stored view of the organisation's people, and the instant. */
export interface PeopleKnowledge {
  people: Pick<OrgPeopleView, "members" | "syncedAt">;
  now: Temporal.Instant;
  staleAfterMs?: number;
}

export function isBot(author: Author): boolean {
  return author.type === "Bot" || author.login.toLowerCase().endsWith("[bot]");
}

export function isCommunityContributor(
  author: string | Author,
  knowledge: PeopleKnowledge,
): CommunityVerdict {
  const who = typeof author === "string" ? { login: author } : author;
  if (isBot(who)) return false;
  const { people, now } = knowledge;
  if (!peopleAreFresh(people, now, knowledge.staleAfterMs)) return "unknown";
  const login = who.login.toLowerCase();
  return !people.members.some((m) => m.login.toLowerCase() === login);
}

/** True when a complete member list was stored within `staleAfterMs` of `now`. */
export function peopleAreFresh(
  people: Pick<OrgPeopleView, "syncedAt">,
  now: Temporal.Instant,
  staleAfterMs = PEOPLE_STALE_AFTER_MS,
): boolean {
  if (people.syncedAt === null) return false;
  const age = now.epochMilliseconds - Date.parse(people.syncedAt);
  return age <= staleAfterMs;
}

/** Whether the member list should be read again at `now`: never read, a day old, or asked for. */
export function peopleRefreshDue(
  people: Pick<OrgPeopleView, "syncedAt" | "refreshRequestedAt">,
  now: Temporal.Instant,
  everyMs = PEOPLE_REFRESH_EVERY_MS,
): boolean {
  if (people.syncedAt === null) return true;
  if (people.refreshRequestedAt !== null) return true;
  return now.epochMilliseconds - Date.parse(people.syncedAt) >= everyMs;
}
