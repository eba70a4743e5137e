import type { FastifyInstance } from "fastify";
import { iso } from "../../clock.js";
import { emulatorApp } from "../../render/ci.js";
import { simpleUser } from "../../render/users.js";
import { notFound } from "../errors.js";
import type { Api } from "../server.js";

/** The Bosun GitHub App as the emulator presents it: installed on the organisation. */
const APP = { id: 900_001, slug: "bosun", name: "Bosun" };
const PERMISSIONS = {
  issues: "write",
  pull_requests: "write",
  contents: "write",
  checks: "write",
  statuses: "write",
  metadata: "read",
  actions: "write",
};
const EVENTS = [
  "issues",
  "issue_comment",
  "pull_request",
  "pull_request_review",
  "label",
  "milestone",
  "push",
  "create",
  "delete",
  "release",
  "status",
  "check_run",
];

/**
 * GitHub App endpoints, so App authentication (@octokit/auth-app) works against the
 * emulator. JWTs are not verified: the emulator stands in for GitHub where it cannot be
 * reached. Installation tokens are `emulator:bosun[bot]`, so the App acts as its bot user.
 */
export function registerAppRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;
  const ctx = core.render;
  const owner = () => [...core.state.orgs][0] ?? "octocat";

  const installation = () => {
    const account = core.state.ensureUser(owner());
    const url = `${ctx.base}/app/installations/${core.state.installationId}`;
    return {
      id: core.state.installationId,
      // GitHub's description of installation lists types the account as user AND
      // enterprise (allOf), so the enterprise fields are present too.
      account: {
        ...simpleUser(ctx, account.login),
        name: account.name ?? account.login,
        slug: account.login.toLowerCase(),
        description: null,
        website_url: null,
        created_at: iso(account.createdAt),
        updated_at: iso(account.createdAt),
      },
      repository_selection: "all",
      access_tokens_url: `${url}/access_tokens`,
      repositories_url: `${ctx.base}/installation/repositories`,
      html_url: `${ctx.base}/organizations/${account.login}/settings/installations/${core.state.installationId}`,
      app_id: APP.id,
      app_slug: APP.slug,
      target_id: account.id,
      target_type: account.type === "Organization" ? "Organization" : "User",
      permissions: PERMISSIONS,
      events: EVENTS,
      created_at: iso(account.createdAt),
      updated_at: iso(account.createdAt),
      single_file_name: null,
      suspended_by: null,
      suspended_at: null,
    };
  };

  app.get("/app", async () => ({
    ...emulatorApp(ctx),
    id: APP.id,
    slug: APP.slug,
    node_id: Buffer.from(`0:App${APP.id}`).toString("base64"),
    name: APP.name,
    description: "Runs an engineering handbook on GitHub",
    owner: simpleUser(ctx, owner()),
    permissions: PERMISSIONS,
    events: EVENTS,
    installations_count: 1,
  }));

  app.get("/app/installations", async () => [installation()]);

  app.get("/repos/:owner/:repo/installation", async (request) => {
    api.repoOf(request);
    return installation();
  });

  app.get("/orgs/:org/installation", async (request) => {
    if (!core.state.orgs.has((request.params as { org: string }).org.toLowerCase()))
      throw notFound();
    return installation();
  });

  app.post("/app/installations/:id/access_tokens", async (request, reply) => {
    if (Number((request.params as { id: string }).id) !== core.state.installationId)
      throw notFound();
    core.state.ensureUser(`${APP.slug}[bot]`);
    reply.code(201);
    return {
      token: `emulator:${APP.slug}[bot]`,
      expires_at: iso(core.clock.now() + 3_600_000),
      permissions: PERMISSIONS,
      repository_selection: "all",
    };
  });
}
