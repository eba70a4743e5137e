// An organisation's members and teams, as GitHub's REST API serves them, and the admin routes
// that change them (each change sends its webhook; see ../../domain/people.ts).
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  addOrgMember,
  addTeamMember,
  PeopleError,
  removeOrgMember,
  removeTeamMember,
} from "../../domain/people.js";
import { orgMembership, team, teamMember } from "../../render/people.js";
import { simpleUser } from "../../render/users.js";
import { memberOf, type OrgPeople, peopleOf, teamOf } from "../../state/people.js";
import { tokenOf } from "../auth.js";
import { notFound, validationFailed } from "../errors.js";
import type { Api } from "../server.js";

export function registerPeopleRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;
  const ctx = core.render;

  const orgOf = (request: FastifyRequest): { name: string; people: OrgPeople } => {
    const org = (request.params as { org: string }).org;
    if (!core.state.orgs.has(org.toLowerCase())) throw notFound();
    const name = core.state.user(org)?.login ?? org;
    return { name, people: peopleOf(core.state, name) };
  };

  // Concealed members and secret teams are shown to the organisation's own members only. A
  // token that names no emulated person (`emulator:<login>`) is Bosun's, an owner's.
  const insider = (request: FastifyRequest, people: OrgPeople): boolean => {
    const token = tokenOf(request);
    if (token === "anonymous") return false;
    if (!token.startsWith("emulator:")) return true;
    return memberOf(people, api.actor(request)) !== undefined;
  };

  const oneOf = (query: Record<string, unknown>, field: string, allowed: string[]): string => {
    const value = query[field] === undefined ? allowed[0]! : String(query[field]);
    if (!allowed.includes(value))
      throw validationFailed({ resource: "Organization", field, code: "invalid", value });
    return value;
  };

  app.get("/orgs/:org/members", async (request, reply) => {
    const { people } = orgOf(request);
    const query = request.query as Record<string, unknown>;
    const filter = oneOf(query, "filter", ["all", "2fa_disabled", "2fa_insecure"]);
    const role = oneOf(query, "role", ["all", "admin", "member"]);
    const seesAll = insider(request, people);
    // Every emulated member has secure two-factor authentication.
    const list =
      filter === "all"
        ? people.members.filter((m) => (seesAll || m.public) && (role === "all" || m.role === role))
        : [];
    return api.sendPage(request, reply, list, (m) => simpleUser(ctx, m.login));
  });

  app.get("/orgs/:org/public_members", async (request, reply) => {
    const { people } = orgOf(request);
    const list = people.members.filter((m) => m.public);
    return api.sendPage(request, reply, list, (m) => simpleUser(ctx, m.login));
  });

  app.get("/orgs/:org/memberships/:username", async (request) => {
    const { name, people } = orgOf(request);
    const member = memberOf(people, (request.params as { username: string }).username);
    if (!member || !(member.public || insider(request, people))) throw notFound();
    return orgMembership(ctx, name, member);
  });

  app.get("/orgs/:org/teams", async (request, reply) => {
    const { name, people } = orgOf(request);
    const seesAll = insider(request, people);
    const list = people.teams.filter((t) => seesAll || t.privacy === "closed");
    return api.sendPage(request, reply, list, (t) => team(ctx, name, t));
  });

  app.get("/orgs/:org/teams/:team_slug/members", async (request, reply) => {
    const { people } = orgOf(request);
    const rec = teamOf(people, (request.params as { team_slug: string }).team_slug);
    if (!rec || (rec.privacy === "secret" && !insider(request, people))) throw notFound();
    const query = request.query as Record<string, unknown>;
    const role = oneOf(query, "role", ["all", "member", "maintainer"]);
    const list = rec.members.filter((m) => role === "all" || m.role === role);
    return api.sendPage(request, reply, list, (m) => teamMember(ctx, m));
  });

  // Admin: { login, role?, public? } joins; DELETE leaves (and leaves every team).
  const admin = async <T>(reply: { code(n: number): unknown }, fn: () => T) => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof PeopleError)) throw error;
      reply.code(422);
      return { message: error.message };
    }
  };
  app.post("/_emulator/orgs/:org/members", async (request, reply) => {
    const { org } = request.params as { org: string };
    const body = (request.body ?? {}) as { login?: unknown; role?: unknown; public?: unknown };
    if (typeof body.login !== "string" || body.login === "") {
      reply.code(422);
      return { message: "login is required" };
    }
    if (body.role !== undefined && body.role !== "admin" && body.role !== "member") {
      reply.code(422);
      return { message: `role must be admin or member; got ${JSON.stringify(body.role)}` };
    }
    const login = body.login;
    return admin(reply, () => {
      const rec = addOrgMember(core, org, login, {
        ...(body.role ? { role: body.role as "admin" | "member" } : {}),
        public: body.public === true,
      });
      reply.code(201);
      return rec;
    });
  });
  app.delete("/_emulator/orgs/:org/members/:login", async (request, reply) => {
    const { org, login } = request.params as { org: string; login: string };
    return admin(reply, () => {
      removeOrgMember(core, org, login);
      reply.code(204);
      return "";
    });
  });
  app.put("/_emulator/orgs/:org/teams/:slug/members/:login", async (request, reply) => {
    const { org, slug, login } = request.params as { org: string; slug: string; login: string };
    const role = (request.body as { role?: string } | undefined)?.role;
    return admin(reply, () => {
      const rec = addTeamMember(core, org, slug, login, role === "maintainer" ? role : "member");
      reply.code(201);
      return rec;
    });
  });
  app.delete("/_emulator/orgs/:org/teams/:slug/members/:login", async (request, reply) => {
    const { org, slug, login } = request.params as { org: string; slug: string; login: string };
    return admin(reply, () => {
      removeTeamMember(core, org, slug, login);
      reply.code(204);
      return "";
    });
  });
}
