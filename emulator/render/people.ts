// GitHub's shapes for an organisation's people: organization-simple, org-membership, team and
// team-member (REST), and the narrower objects webhook payloads carry.
import type { OrgMemberRec, TeamMemberRec, TeamRec } from "../state/people.js";
import { nodeId, type RenderContext } from "./context.js";
import { simpleUser } from "./users.js";

export function organizationSimple(ctx: RenderContext, org: string): Record<string, unknown> {
  const owner = ctx.state.ensureUser(org);
  const url = `${ctx.base}/orgs/${owner.login}`;
  return {
    login: owner.login,
    id: owner.id,
    node_id: nodeId("Organization", owner.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${owner.id}?v=4`,
    description: null,
  };
}

/** GET /orgs/{org}/memberships/{username}. */
export function orgMembership(
  ctx: RenderContext,
  org: string,
  member: OrgMemberRec,
): Record<string, unknown> {
  return {
    url: `${ctx.base}/orgs/${org}/memberships/${encodeURIComponent(member.login)}`,
    state: "active",
    role: member.role,
    direct_membership: true,
    organization_url: `${ctx.base}/orgs/${org}`,
    organization: organizationSimple(ctx, org),
    user: simpleUser(ctx, member.login),
    permissions: { can_create_repository: member.role === "admin" },
  };
}

/** The membership object of `organization` webhooks (closed schema: five keys). */
export function webhookMembership(
  ctx: RenderContext,
  org: string,
  member: OrgMemberRec,
): Record<string, unknown> {
  const { url, state, role, organization_url, user } = orgMembership(ctx, org, member);
  return { url, state, role, organization_url, user };
}

export function team(ctx: RenderContext, org: string, rec: TeamRec): Record<string, unknown> {
  const orgUser = ctx.state.ensureUser(org);
  const url = `${ctx.base}/organizations/${orgUser.id}/team/${rec.id}`;
  return {
    id: rec.id,
    node_id: nodeId("Team", rec.id),
    url,
    html_url: `${ctx.base}/orgs/${orgUser.login}/teams/${rec.slug}`,
    name: rec.name,
    slug: rec.slug,
    description: rec.description,
    privacy: rec.privacy,
    notification_setting: "notifications_enabled",
    permission: "pull",
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    type: "organization",
    organization_id: orgUser.id,
    parent: null,
  };
}

/** The team object of `membership` webhooks (closed schema). */
export function webhookTeam(
  ctx: RenderContext,
  org: string,
  rec: TeamRec,
): Record<string, unknown> {
  const { type: _t, organization_id: _o, ...rest } = team(ctx, org, rec);
  return rest;
}

export function teamMember(ctx: RenderContext, member: TeamMemberRec): Record<string, unknown> {
  return { ...simpleUser(ctx, member.login), role: member.role, inherited: false };
}
