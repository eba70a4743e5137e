import type { FastifyInstance } from "fastify";
import { gitDir } from "../../domain/git.js";
import { release } from "../../render/ci.js";
import type { ReleaseRec } from "../../state/model.js";
import { emit } from "../../webhooks/payloads.js";
import { notFound, optionalString, requireString, validationFailed } from "../errors.js";
import type { Api } from "../server.js";

export function registerReleaseRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;
  const ctx = core.render;

  app.get("/repos/:owner/:repo/releases", async (request, reply) => {
    const data = api.repoOf(request);
    const list = data.releases.slice().sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    return api.sendPage(request, reply, list, (r) => release(ctx, data, r));
  });

  app.get("/repos/:owner/:repo/releases/latest", async (request) => {
    const data = api.repoOf(request);
    const latest = data.releases
      .filter((r) => !r.draft && !r.prerelease)
      .sort((a, b) => (b.publishedAt ?? 0) - (a.publishedAt ?? 0))[0];
    if (!latest) throw notFound();
    return release(ctx, data, latest);
  });

  app.get("/repos/:owner/:repo/releases/tags/:tag", async (request) => {
    const data = api.repoOf(request);
    const rec = data.releases.find((r) => r.tagName === (request.params as { tag: string }).tag);
    if (!rec) throw notFound();
    return release(ctx, data, rec);
  });

  app.post("/repos/:owner/:repo/releases", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const tagName = requireString(body, "tag_name", "Release");
    if (data.releases.some((r) => r.tagName === tagName))
      throw validationFailed({ resource: "Release", field: "tag_name", code: "already_exists" });
    const dir = gitDir(core, data);
    const target = optionalString(body, "target_commitish", "Release") ?? data.repo.defaultBranch;
    const actor = api.actor(request);
    const draft = body.draft === true;
    // Publishing a release for a missing tag creates the tag, as GitHub does.
    if (!draft && !(await core.git.resolveCommit(dir, `refs/tags/${tagName}`))) {
      const sha = await core.git.resolveCommit(dir, target);
      if (!sha)
        throw validationFailed({
          resource: "Release",
          field: "target_commitish",
          code: "invalid",
          value: target,
        });
      await core.git.updateRef(dir, `refs/tags/${tagName}`, sha);
    }
    const now = core.clock.now();
    const rec: ReleaseRec = {
      id: core.state.nextId("release"),
      tagName,
      targetCommitish: target,
      name: optionalString(body, "name", "Release") ?? tagName,
      body: optionalString(body, "body", "Release") ?? null,
      draft,
      prerelease: body.prerelease === true,
      author: actor,
      createdAt: now,
      publishedAt: draft ? null : now,
    };
    data.releases.push(rec);
    core.state.touch();
    // Webhook releases declare body as a string; GitHub sends "" for an empty one.
    const payload = { ...release(ctx, data, rec), body: rec.body ?? "" };
    emit(core, data, "release", actor, { action: "created", release: payload });
    if (!draft) emit(core, data, "release", actor, { action: "published", release: payload });
    reply.code(201);
    return release(ctx, data, rec);
  });
}
