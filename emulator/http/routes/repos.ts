import type { FastifyInstance } from "fastify";
import { fullRepository, minimalRepository, repository } from "../../render/repos.js";
import { privateUser, publicUser } from "../../render/users.js";
import { tokenOf } from "../auth.js";
import { notFound } from "../errors.js";
import { paginate, setLink } from "../paging.js";
import type { Api } from "../server.js";

export function registerRepoRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;
  const ctx = core.render;

  app.get("/repos/:owner/:repo", async (request) => fullRepository(ctx, api.repoOf(request)));

  app.get("/orgs/:org/repos", async (request, reply) => {
    const org = (request.params as { org: string }).org.toLowerCase();
    if (!core.state.orgs.has(org)) throw notFound();
    const list = [...core.state.repos.values()].filter((d) => d.repo.owner.toLowerCase() === org);
    return api.sendPage(request, reply, list, (d) => minimalRepository(ctx, d));
  });

  // An installation sees every repository of the emulator.
  app.get("/installation/repositories", async (request, reply) => {
    const all = [...core.state.repos.values()];
    const page = paginate(all, request.query as Record<string, unknown>);
    setLink(request, reply, ctx.base, page);
    return {
      total_count: all.length,
      repository_selection: "all",
      repositories: page.items.map((d) => repository(ctx, d)),
    };
  });

  app.get("/users/:username", async (request) => {
    const user = core.state.user((request.params as { username: string }).username);
    if (!user) throw notFound();
    return publicUser(ctx, user);
  });

  app.get("/user", async (request) => privateUser(ctx, core.state.ensureUser(api.actor(request))));

  app.get("/rate_limit", async (request) => {
    const window = api.parts.limiter.window(tokenOf(request));
    const core_ = {
      limit: window.limit,
      used: window.used,
      remaining: Math.max(0, window.limit - window.used),
      reset: window.reset,
    };
    const other = (limit: number) => ({ limit, used: 0, remaining: limit, reset: window.reset });
    return {
      resources: {
        core: core_,
        search: other(30),
        graphql: other(5000),
        integration_manifest: other(5000),
        code_search: other(10),
      },
      rate: core_,
    };
  });
}
