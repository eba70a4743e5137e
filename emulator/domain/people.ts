// Changes to an organisation's people, each with the webhook GitHub sends for it: a member
// joins or leaves (`organization` member_added / member_removed), a team gains or loses one
// (`membership` added / removed). Leaving the organisation also leaves its teams.
import type { Core } from "../core.js";
import {
  organizationSimple,
  teamMember,
  webhookMembership,
  webhookTeam,
} from "../render/people.js";
import { simpleUser } from "../render/users.js";
import {
  memberOf,
  type OrgMemberRec,
  peopleOf,
  type TeamMemberRec,
  teamOf,
} from "../state/people.js";

export class PeopleError extends Error {}

function orgLogin(core: Core, org: string): string {
  if (!core.state.orgs.has(org.toLowerCase()))
    throw new PeopleError(`no organisation ${org} in the emulator`);
  return core.state.user(org)?.login ?? org;
}

/** Keeps author_association in step: MEMBER for public members only. */
function syncAssociation(core: Core, member: OrgMemberRec, isMember: boolean): void {
  const set = core.render.memberLogins;
  if (!set) return;
  if (isMember && member.public) set.add(member.login.toLowerCase());
  else set.delete(member.login.toLowerCase());
}

export function addOrgMember(
  core: Core,
  org: string,
  login: string,
  options: { role?: "admin" | "member"; public?: boolean; sender?: string } = {},
): OrgMemberRec {
  const name = orgLogin(core, org);
  const people = peopleOf(core.state, name);
  if (memberOf(people, login)) throw new PeopleError(`${login} is already a member of ${name}`);
  const user = core.state.ensureUser(login);
  const member: OrgMemberRec = {
    login: user.login,
    role: options.role ?? "member",
    public: options.public ?? false,
  };
  people.members.push(member);
  syncAssociation(core, member, true);
  core.state.touch();
  const ctx = core.render;
  core.hooks.emit("organization", {
    action: "member_added",
    membership: webhookMembership(ctx, name, member),
    organization: organizationSimple(ctx, name),
    sender: simpleUser(ctx, options.sender ?? name),
  });
  return member;
}

export function removeOrgMember(core: Core, org: string, login: string, sender?: string): void {
  const name = orgLogin(core, org);
  const people = peopleOf(core.state, name);
  const member = memberOf(people, login);
  if (!member) throw new PeopleError(`${login} is not a member of ${name}`);
  for (const team of people.teams) {
    if (team.members.some((m) => m.login.toLowerCase() === member.login.toLowerCase()))
      removeTeamMember(core, name, team.slug, member.login, sender);
  }
  people.members = people.members.filter((m) => m !== member);
  syncAssociation(core, member, false);
  core.state.touch();
  const ctx = core.render;
  core.hooks.emit("organization", {
    action: "member_removed",
    membership: webhookMembership(ctx, name, member),
    organization: organizationSimple(ctx, name),
    sender: simpleUser(ctx, sender ?? name),
  });
}

/** Publicises or conceals a membership (no webhook: GitHub sends none). */
export function setMembershipPublic(core: Core, org: string, login: string, value: boolean): void {
  const name = orgLogin(core, org);
  const member = memberOf(peopleOf(core.state, name), login);
  if (!member) throw new PeopleError(`${login} is not a member of ${name}`);
  member.public = value;
  syncAssociation(core, member, true);
  core.state.touch();
}

export function addTeamMember(
  core: Core,
  org: string,
  slug: string,
  login: string,
  role: TeamMemberRec["role"] = "member",
  sender?: string,
): TeamMemberRec {
  const name = orgLogin(core, org);
  const people = peopleOf(core.state, name);
  const team = teamOf(people, slug);
  if (!team) throw new PeopleError(`no team ${slug} in ${name}`);
  if (!memberOf(people, login))
    throw new PeopleError(`${login} must be a member of ${name} before joining ${slug}`);
  if (team.members.some((m) => m.login.toLowerCase() === login.toLowerCase()))
    throw new PeopleError(`${login} is already in ${slug}`);
  const member: TeamMemberRec = { login: core.state.ensureUser(login).login, role };
  team.members.push(member);
  core.state.touch();
  emitMembership(core, name, team.slug, member, "added", sender);
  return member;
}

export function removeTeamMember(
  core: Core,
  org: string,
  slug: string,
  login: string,
  sender?: string,
): void {
  const name = orgLogin(core, org);
  const team = teamOf(peopleOf(core.state, name), slug);
  if (!team) throw new PeopleError(`no team ${slug} in ${name}`);
  const member = team.members.find((m) => m.login.toLowerCase() === login.toLowerCase());
  if (!member) throw new PeopleError(`${login} is not in ${slug}`);
  team.members = team.members.filter((m) => m !== member);
  core.state.touch();
  emitMembership(core, name, team.slug, member, "removed", sender);
}

function emitMembership(
  core: Core,
  org: string,
  slug: string,
  member: TeamMemberRec,
  action: "added" | "removed",
  sender: string | undefined,
): void {
  const ctx = core.render;
  const team = teamOf(peopleOf(core.state, org), slug);
  if (!team) return;
  const { role: _r, inherited: _i, ...user } = teamMember(ctx, member);
  core.hooks.emit("membership", {
    action,
    scope: "team",
    member: user,
    team: webhookTeam(ctx, org, team),
    organization: organizationSimple(ctx, org),
    sender: simpleUser(ctx, sender ?? org),
  });
}
