// `organization`, `membership` and `member` deliveries: who belongs to the organisation and
// its teams. The change a payload names is applied at once, and a complete listing is asked
// for (src/runtime/people-job.ts reads it), because payloads leave things out: a new member's
// visibility, a team's other members, and a repository collaborator's place in the org.
import { z } from "zod";
import type { Store } from "../../store/store.js";
import type { DeliveryContext } from "./context.js";
import { readPayload } from "./shapes.js";

const login = z.looseObject({ login: z.string().min(1) });
const organization = z.looseObject({ login: z.string().min(1) });

const organizationPayload = z.looseObject({
  organization,
  membership: z
    .looseObject({ role: z.string(), state: z.string().optional(), user: login })
    .optional(),
});

const membershipPayload = z.looseObject({
  organization,
  scope: z.string(),
  member: login,
  // A deleted team is only { id, name, deleted: true }.
  team: z.looseObject({
    id: z.number().int(),
    slug: z.string().min(1).optional(),
    name: z.string(),
    privacy: z.string().nullable().optional(),
    deleted: z.boolean().optional(),
  }),
});

const memberPayload = z.looseObject({ organization: organization.optional() });

export async function applyOrganization(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(organizationPayload, d.payload, `organization.${d.action} payload`);
  const org = p.organization.login;
  const user = p.membership?.user.login;
  // A pending membership is an invitation not yet accepted: not a member until it is.
  if (d.action === "member_added" && user && p.membership?.state !== "pending") {
    const role = p.membership?.role === "admin" ? "admin" : "member";
    // GitHub makes a new membership concealed until its owner publicises it.
    await store.upsertOrgMember(org, { login: user, role, public: null }, d.receivedAt);
  } else if (d.action === "member_removed" && user) {
    await store.removeOrgMember(org, user);
  }
  await store.requestPeopleRefresh(org, d.receivedAt);
}

export async function applyMembership(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(membershipPayload, d.payload, `membership.${d.action} payload`);
  const org = p.organization.login;
  const slug = p.team.slug;
  if (p.team.deleted === true || slug === undefined) {
    await store.removeTeam(org, p.team.id);
  } else if (p.scope === "team" && d.action === "added") {
    const team = {
      slug,
      githubId: p.team.id,
      name: p.team.name,
      privacy: p.team.privacy ?? null,
    };
    // The payload does not say maintainer or member; the next listing does.
    await store.addTeamMember(org, team, { login: p.member.login, role: "member" }, d.receivedAt);
  } else if (p.scope === "team" && d.action === "removed") {
    await store.removeTeamMember(org, slug, p.member.login);
  }
  await store.requestPeopleRefresh(org, d.receivedAt);
}

/** A repository collaborator changed: org membership may have too, so ask for a listing. */
export async function applyMember(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(memberPayload, d.payload, `member.${d.action} payload`);
  const org = p.organization?.login ?? d.repo.split("/")[0];
  if (org) await store.requestPeopleRefresh(org, d.receivedAt);
}

/** Events about the whole organisation: they name no repository. */
const ORGANISATION_EVENTS: ReadonlySet<string> = new Set(["organization", "membership"]);

/**
 * The configured organisation an organisation-wide delivery belongs to (its spelling in
 * bosun.yml), or null when the event is not one or the organisation is not configured. Such
 * deliveries are stored with the organisation where others have their repository.
 */
export function organisationScope(
  event: string,
  payload: Record<string, unknown>,
  configured: readonly string[],
): string | null {
  if (!ORGANISATION_EVENTS.has(event)) return null;
  const org = (payload.organization as { login?: unknown } | undefined)?.login;
  if (typeof org !== "string") return null;
  const owners = configured.map((name) => name.split("/")[0] ?? name);
  return owners.find((owner) => owner.toLowerCase() === org.toLowerCase()) ?? null;
}

/** Why an organisation-wide delivery has no scope; undefined for any other event. */
export function unconfiguredOrganisation(
  event: string,
  payload: Record<string, unknown>,
): string | undefined {
  if (!ORGANISATION_EVENTS.has(event)) return undefined;
  const org = (payload.organization as { login?: unknown } | undefined)?.login;
  return typeof org === "string"
    ? `organisation ${org} is not configured in bosun.yml`
    : "payload names no organisation";
}
