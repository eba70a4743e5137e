// An organisation's members and teams, read whole from GitHub and stored in one replacement.
// Concealed (private) members appear in GET /orgs/{org}/members only for a member's or an
// App's token; GitHub's author_association calls them CONTRIBUTOR, so this listing, not the
// association, tells a community contributor from a colleague.
import type { PeopleSnapshot, Store, TeamMemberInput } from "../store/index.js";
import type { GitHubClient } from "./client.js";

export interface PeopleSyncReport {
  org: string;
  members: number;
  /** Members missing from the public list: concealed memberships. */
  concealed: number;
  teams: number;
  syncedAt: string;
}

/** Reads every member and team of `org` (every page) without writing anything. */
export async function fetchPeople(client: GitHubClient, org: string): Promise<PeopleSnapshot> {
  const [all, publicMembers, admins, teams] = await Promise.all([
    client.paginate(client.rest.orgs.listMembers, { org, per_page: 100 }),
    client.paginate(client.rest.orgs.listPublicMembers, { org, per_page: 100 }),
    client.paginate(client.rest.orgs.listMembers, { org, role: "admin", per_page: 100 }),
    client.paginate(client.rest.teams.list, { org, per_page: 100 }),
  ]);
  const lower = (list: readonly { login: string }[]) =>
    new Set(list.map((u) => u.login.toLowerCase()));
  const isPublic = lower(publicMembers);
  const isAdmin = lower(admins);
  const withMembers = [];
  for (const team of teams) {
    withMembers.push({
      slug: team.slug,
      githubId: team.id,
      name: team.name,
      privacy: team.privacy ?? null,
      members: await teamMembers(client, org, team.slug),
    });
  }
  return {
    members: all.map((u) => ({
      login: u.login,
      role: isAdmin.has(u.login.toLowerCase()) ? "admin" : "member",
      public: isPublic.has(u.login.toLowerCase()),
    })),
    teams: withMembers,
  };
}

// A team member's `role` is present only where GitHub enables it for the organisation; where
// it is missing, the maintainers' own list says who maintains.
async function teamMembers(
  client: GitHubClient,
  org: string,
  slug: string,
): Promise<TeamMemberInput[]> {
  const all = await client.paginate(client.rest.teams.listMembersInOrg, {
    org,
    team_slug: slug,
    per_page: 100,
  });
  let maintainers: Set<string> | undefined;
  if (all.some((m) => (m as { role?: string }).role === undefined)) {
    const list = await client.paginate(client.rest.teams.listMembersInOrg, {
      org,
      team_slug: slug,
      role: "maintainer",
      per_page: 100,
    });
    maintainers = new Set(list.map((m) => m.login.toLowerCase()));
  }
  return all.map((m) => {
    const role = (m as { role?: string }).role;
    const maintains =
      role === undefined ? maintainers?.has(m.login.toLowerCase()) === true : role === "maintainer";
    return { login: m.login, role: maintains ? "maintainer" : "member" };
  });
}

/**
 * Replaces the store's view of `org`'s people with GitHub's, at once: a failure part-way
 * (a page refused, the connection lost) leaves the previous view as it was. A webhook applied
 * while the listing was read may be overwritten by it; it stays owed, so the next run reads again.
 */
export async function syncPeople(
  client: GitHubClient,
  store: Store,
  org: string,
  now: string,
): Promise<PeopleSyncReport> {
  const { refreshRequests } = await store.orgPeople(org);
  const snapshot = await fetchPeople(client, org);
  await store.replaceOrgPeople(org, snapshot, now, refreshRequests);
  return {
    org,
    members: snapshot.members.length,
    concealed: snapshot.members.filter((m) => !m.public).length,
    teams: snapshot.teams.length,
    syncedAt: now,
  };
}
