// What organisation, team and collaborator deliveries leave in the store (src/github/webhooks/apply-people.ts).
import { expect } from "vitest";
import type { Store } from "../../src/store/index.js";
import type { Payload } from "./helpers.js";

/** Puts the member or team member a removal names in place, so its removal is visible. */
export async function seedPeople(store: Store, event: string, p: Payload): Promise<void> {
  const org = p.organization?.login;
  if (!org) return;
  if (event === "organization" && p.action === "member_removed") {
    await store.upsertOrgMember(
      org,
      { login: p.membership.user.login, role: "member", public: true },
      "2000-01-01T00:00:00Z",
    );
  }
  if (event === "membership" && p.action === "removed") {
    // A deleted team's payload has no slug: seed it under its name, as GitHub slugs it.
    const slug = p.team.slug ?? String(p.team.name).toLowerCase();
    const team = { slug, githubId: p.team.id, name: p.team.name, privacy: null };
    await store.addTeamMember(
      org,
      team,
      { login: p.member.login, role: "member" },
      "2000-01-01T00:00:00Z",
    );
  }
}

export async function expectPeopleReflected(
  store: Store,
  event: string,
  p: Payload,
  what: string,
): Promise<void> {
  const org = p.organization?.login ?? String(p.repository.full_name).split("/")[0];
  const view = await store.orgPeople(org);
  // Every such delivery asks for a complete listing, whatever else it says.
  expect(view.refreshRequestedAt, what).not.toBe(null);
  const logins = view.members.map((m) => m.login);
  if (event === "organization" && p.action === "member_added") {
    if (p.membership.state === "pending")
      expect(logins, what).not.toContain(p.membership.user.login);
    else expect(logins, what).toContain(p.membership.user.login);
  }
  if (event === "organization" && p.action === "member_removed")
    expect(logins, what).not.toContain(p.membership.user.login);
  if (event === "membership") {
    const team = view.teams.find((t) => t.githubId === p.team.id);
    if (p.team.deleted) expect(team, what).toBe(undefined);
    const inTeam = team?.members.map((m) => m.login) ?? [];
    if (p.action === "added") expect(inTeam, what).toContain(p.member.login);
    else expect(inTeam, what).not.toContain(p.member.login);
  }
}
