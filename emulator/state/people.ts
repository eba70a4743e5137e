// An organisation's people: members (public or concealed, as GitHub calls a private
// membership) and teams. Kept per organisation beside the repositories, in their own records,
// so REST routes, webhooks and persistence read one place.
import type { OrgSpec } from "../generator/org-spec.js";
import type { Millis } from "./model.js";
import type { OrgMemberRec, OrgPeople, TeamMemberRec, TeamRec } from "./people-model.js";
import type { EmulatorState } from "./state.js";

export type { OrgMemberRec, OrgPeople, TeamMemberRec, TeamRec } from "./people-model.js";

const TEAM_ID_START = 7_000_000;

/** The organisation's people, created empty on first use. */
export function peopleOf(state: EmulatorState, org: string): OrgPeople {
  const key = org.toLowerCase();
  let people = state.people.get(key);
  if (!people) {
    people = { members: [], teams: [], nextTeamId: TEAM_ID_START };
    state.people.set(key, people);
  }
  return people;
}

export function memberOf(people: OrgPeople, login: string): OrgMemberRec | undefined {
  const wanted = login.toLowerCase();
  return people.members.find((m) => m.login.toLowerCase() === wanted);
}

export function teamOf(people: OrgPeople, slug: string): TeamRec | undefined {
  const wanted = slug.toLowerCase();
  return people.teams.find((t) => t.slug === wanted);
}

/** "#g-endpoint-ops" -> "g-endpoint-ops": GitHub's slug of a team name. */
export function teamSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * Gives the organisation of `spec` its people when it has none yet (a new org, or a snapshot
 * written before people existed): every engineer of a product group and the further people
 * of the spec are members, every third of them concealed, the first manager an owner; each
 * product group is a team, and "engineering" holds them all. Community authors stay outside.
 */
export function ensurePeople(state: EmulatorState, spec: OrgSpec, at: Millis): OrgPeople {
  const people = peopleOf(state, spec.owner);
  if (people.members.length > 0 || people.teams.length > 0) return people;
  const logins: string[] = [];
  const add = (login: string) => {
    if (!logins.some((l) => l.toLowerCase() === login.toLowerCase())) logins.push(login);
  };
  for (const g of spec.groups)
    for (const l of [g.engineeringManager, g.qaLead, ...g.members]) add(l);
  for (const l of spec.people ?? []) add(l);
  logins.forEach((login, i) => {
    state.ensureUser(login);
    people.members.push({ login, role: i === 0 ? "admin" : "member", public: i % 3 !== 2 });
  });
  const team = (name: string, members: TeamMemberRec[]): void => {
    people.nextTeamId += 1;
    people.teams.push({
      id: people.nextTeamId,
      slug: teamSlug(name),
      name,
      description: null,
      privacy: "closed",
      members,
      createdAt: at,
    });
  };
  for (const g of spec.groups) {
    team(g.label.replace(/^#/, ""), [
      { login: g.engineeringManager, role: "maintainer" },
      ...[g.qaLead, ...g.members].map((login) => ({ login, role: "member" as const })),
    ]);
  }
  team(
    "engineering",
    logins
      .filter((l) =>
        spec.groups.some((g) => [g.engineeringManager, g.qaLead, ...g.members].includes(l)),
      )
      .map((login) => ({ login, role: "member" as const })),
  );
  return people;
}

/** Lower-cased public members: GitHub's author_association says MEMBER only for them. */
export function publicMemberLogins(people: OrgPeople): Set<string> {
  return new Set(people.members.filter((m) => m.public).map((m) => m.login.toLowerCase()));
}
