import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  createRef,
  deleteRef,
  fullRef,
  gitDir,
  identityOf,
  updateRef,
  writeContents,
} from "../../domain/git.js";
import { nodeId } from "../../render/context.js";
import { commitShape, diffEntry, gitCommit, gitRef } from "../../render/git.js";
import { repoUrl } from "../../render/issues.js";
import {
  conflict,
  notFound,
  optionalString,
  requireString,
  unprocessable,
  validationFailed,
} from "../errors.js";
import type { Api } from "../server.js";

/** Fastify's wildcard param, decoded. */
function rest(request: FastifyRequest): string {
  return decodeURIComponent((request.params as { "*": string })["*"] ?? "");
}

export function registerGitRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;
  const ctx = core.render;

  app.get("/repos/:owner/:repo/git/ref/*", async (request) => {
    const data = api.repoOf(request);
    const ref = fullRef(rest(request));
    const found = (await core.git.refs(gitDir(core, data), ref)).find((r) => r.ref === ref);
    if (!found) throw notFound();
    return gitRef(ctx, data, found.ref, found.sha, found.type);
  });

  app.get("/repos/:owner/:repo/git/matching-refs/*", async (request) => {
    const data = api.repoOf(request);
    const prefix = fullRef(rest(request));
    const refs = await core.git.refs(gitDir(core, data), "refs/");
    return refs
      .filter((r) => r.ref.startsWith(prefix))
      .map((r) => gitRef(ctx, data, r.ref, r.sha, r.type));
  });

  app.post("/repos/:owner/:repo/git/refs", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const ref = requireString(body, "ref", "Reference");
    const sha = requireString(body, "sha", "Reference");
    await createRef(core, data, api.actor(request), ref, sha);
    reply.code(201);
    return gitRef(
      ctx,
      data,
      ref,
      sha,
      (await core.git.objectType(gitDir(core, data), sha)) ?? "commit",
    );
  });

  app.patch("/repos/:owner/:repo/git/refs/*", async (request) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const ref = fullRef(rest(request));
    const sha = requireString(body, "sha", "Reference");
    await updateRef(core, data, api.actor(request), ref, sha, body.force === true);
    return gitRef(ctx, data, ref, sha, "commit");
  });

  app.delete("/repos/:owner/:repo/git/refs/*", async (request, reply) => {
    const data = api.repoOf(request);
    await deleteRef(core, data, api.actor(request), fullRef(rest(request)));
    reply.code(204);
    return "";
  });

  app.get("/repos/:owner/:repo/git/commits/:sha", async (request) => {
    const data = api.repoOf(request);
    const sha = (request.params as { sha: string }).sha;
    if (!/^[0-9a-f]{4,40}$/.test(sha)) throw notFound();
    const commit = await core.git.commit(gitDir(core, data), sha);
    if (!commit) throw notFound();
    return gitCommit(ctx, data, commit);
  });

  app.post("/repos/:owner/:repo/git/commits", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const dir = gitDir(core, data);
    const message = requireString(body, "message", "Commit");
    const tree = requireString(body, "tree", "Commit");
    if ((await core.git.objectType(dir, tree)) !== "tree")
      throw validationFailed({ resource: "Commit", field: "tree", code: "invalid", value: tree });
    const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
    for (const parent of parents) {
      if ((await core.git.objectType(dir, parent)) !== "commit")
        throw validationFailed({
          resource: "Commit",
          field: "parents",
          code: "invalid",
          value: parent,
        });
    }
    const sha = await core.git.commitTree(
      dir,
      tree,
      parents,
      `${message}\n`,
      identityOf(core, api.actor(request)),
    );
    reply.code(201);
    return gitCommit(ctx, data, (await core.git.commit(dir, sha))!);
  });

  // POST /merges: merge head into base (the building block of API cherry-picks).
  app.post("/repos/:owner/:repo/merges", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const dir = gitDir(core, data);
    const base = requireString(body, "base", "Merge");
    const head = requireString(body, "head", "Merge");
    const actor = api.actor(request);
    const result = await core.git.exclusive(dir, async () => {
      const baseSha = await core.git.resolveCommit(dir, `refs/heads/${base}`);
      const headSha =
        (await core.git.resolveCommit(dir, `refs/heads/${head}`)) ??
        (await core.git.resolveCommit(dir, head));
      if (!baseSha || !headSha) throw notFound();
      if ((await core.git.mergeBase(dir, baseSha, headSha)) === headSha) return undefined;
      const tree = await core.git.mergeTree(dir, baseSha, headSha);
      if (!tree) throw conflict("Merge conflict");
      const message =
        optionalString(body, "commit_message", "Merge") ?? `Merge ${head} into ${base}`;
      const sha = await core.git.commitTree(
        dir,
        tree,
        [baseSha, headSha],
        `${message}\n`,
        identityOf(core, actor),
      );
      await core.git.updateRef(dir, `refs/heads/${base}`, sha, baseSha);
      return sha;
    });
    if (!result) {
      reply.code(204);
      return "";
    }
    reply.code(201);
    return commitShape(ctx, data, (await core.git.commit(dir, result))!);
  });

  app.get("/repos/:owner/:repo/commits/:ref", async (request) => {
    const data = api.repoOf(request);
    const dir = gitDir(core, data);
    const sha = await core.git.resolveCommit(dir, (request.params as { ref: string }).ref);
    if (!sha)
      throw unprocessable(`No commit found for SHA: ${(request.params as { ref: string }).ref}`);
    const commit = (await core.git.commit(dir, sha))!;
    const files = commit.parents[0] ? await core.git.diff(dir, commit.parents[0], sha) : [];
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    return {
      ...commitShape(ctx, data, commit),
      stats: { additions, deletions, total: additions + deletions },
      files: files.map((f) => diffEntry(ctx, data, sha, f)),
    };
  });

  app.get("/repos/:owner/:repo/compare/*", async (request, reply) => {
    const data = api.repoOf(request);
    const dir = gitDir(core, data);
    const basehead = rest(request);
    const [baseName, headName] = basehead.includes("...")
      ? basehead.split("...")
      : basehead.split("..");
    if (!baseName || !headName) throw notFound();
    const base = await core.git.resolveCommit(dir, baseName);
    const head = await core.git.resolveCommit(dir, headName);
    if (!base || !head) throw notFound();
    const cmp = await core.git.compare(dir, base, head);
    if (!cmp) throw notFound();
    const [baseCommit, mergeBaseCommit] = await Promise.all([
      core.git.commit(dir, base),
      core.git.commit(dir, cmp.mergeBase),
    ]);
    const status =
      cmp.aheadBy === 0 && cmp.behindBy === 0
        ? "identical"
        : cmp.behindBy === 0
          ? "ahead"
          : cmp.aheadBy === 0
            ? "behind"
            : "diverged";
    const html = `${ctx.base}/${data.repo.owner}/${data.repo.name}/compare/${basehead}`;
    // GitHub pages the commit list of a comparison; files are always the full list.
    const commits = api.sendPage(request, reply, cmp.commits, (c) => commitShape(ctx, data, c));
    return {
      url: `${repoUrl(ctx, data)}/compare/${basehead}`,
      html_url: html,
      permalink_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/compare/${data.repo.owner}:${base.slice(0, 7)}...${data.repo.owner}:${head.slice(0, 7)}`,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      base_commit: commitShape(ctx, data, baseCommit!),
      merge_base_commit: commitShape(ctx, data, mergeBaseCommit!),
      status,
      ahead_by: cmp.aheadBy,
      behind_by: cmp.behindBy,
      total_commits: cmp.aheadBy,
      commits,
      files: cmp.files.map((f) => diffEntry(ctx, data, head, f)),
    };
  });

  app.get("/repos/:owner/:repo/contents/*", async (request) => {
    const data = api.repoOf(request);
    const dir = gitDir(core, data);
    const path = rest(request).replace(/^\/+|\/+$/g, "");
    const ref = (request.query as { ref?: string }).ref ?? data.repo.defaultBranch;
    const sha = await core.git.resolveCommit(dir, ref);
    if (!sha) throw notFound();
    const entries = await core.git.lsTree(dir, sha, path);
    if (!entries || entries.length === 0) throw notFound();
    const shape = (e: (typeof entries)[number]) => {
      const url = `${repoUrl(ctx, data)}/contents/${encodeURI(e.path)}?ref=${encodeURIComponent(ref)}`;
      const type = e.type === "tree" ? "dir" : e.type === "commit" ? "submodule" : "file";
      const gitUrl = `${repoUrl(ctx, data)}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`;
      const html = `${ctx.base}/${data.repo.owner}/${data.repo.name}/${type === "dir" ? "tree" : "blob"}/${ref}/${encodeURI(e.path)}`;
      return {
        type,
        size: e.size,
        name: e.path.split("/").pop() ?? e.path,
        path: e.path,
        sha: e.sha,
        url,
        git_url: gitUrl,
        html_url: html,
        download_url:
          type === "file"
            ? `${ctx.base}/${data.repo.owner}/${data.repo.name}/raw/${ref}/${encodeURI(e.path)}`
            : null,
        _links: { self: url, git: gitUrl, html },
      };
    };
    const objectType = await core.git.objectType(
      dir,
      path === "" ? `${sha}^{tree}` : `${sha}:${path}`,
    );
    if (objectType === "tree") return entries.map(shape);
    const entry = entries[0]!;
    const content = await core.git.readBlob(dir, entry.sha);
    return {
      ...shape(entry),
      encoding: "base64",
      content: `${(content.toString("base64").match(/.{1,60}/g) ?? []).join("\n")}\n`,
    };
  });

  app.put("/repos/:owner/:repo/contents/*", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const path = rest(request).replace(/^\/+|\/+$/g, "");
    const result = await writeContents(core, data, api.actor(request), {
      path,
      contentBase64: requireString(body, "content", "Contents"),
      message: requireString(body, "message", "Contents"),
      branch: optionalString(body, "branch", "Contents"),
      sha: optionalString(body, "sha", "Contents"),
    });
    const dir = gitDir(core, data);
    const commit = (await core.git.commit(dir, result.commit))!;
    const url = `${repoUrl(ctx, data)}/contents/${encodeURI(path)}`;
    const gitUrl = `${repoUrl(ctx, data)}/git/blobs/${result.blob}`;
    const html = `${ctx.base}/${data.repo.owner}/${data.repo.name}/blob/${commit.sha}/${encodeURI(path)}`;
    reply.code(result.created ? 201 : 200);
    return {
      content: {
        name: path.split("/").pop(),
        path,
        sha: result.blob,
        size: result.size,
        url,
        html_url: html,
        git_url: gitUrl,
        download_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/raw/${commit.sha}/${encodeURI(path)}`,
        type: "file",
        _links: { self: url, git: gitUrl, html },
      },
      commit: { ...gitCommit(ctx, data, commit), node_id: nodeId("Commit", commit.sha) },
    };
  });

  app.get("/repos/:owner/:repo/tags", async (request, reply) => {
    const data = api.repoOf(request);
    const tags = await core.git.tags(gitDir(core, data));
    return api.sendPage(request, reply, tags, (t) => ({
      name: t.name,
      commit: { sha: t.commit, url: `${repoUrl(ctx, data)}/commits/${t.commit}` },
      zipball_url: `${repoUrl(ctx, data)}/zipball/refs/tags/${t.name}`,
      tarball_url: `${repoUrl(ctx, data)}/tarball/refs/tags/${t.name}`,
      node_id: nodeId("Ref", `${data.repo.id}:refs/tags/${t.name}`),
    }));
  });

  app.get("/repos/:owner/:repo/branches", async (request, reply) => {
    const data = api.repoOf(request);
    const refs = await core.git.refs(gitDir(core, data), "refs/heads/");
    return api.sendPage(request, reply, refs, (r) => ({
      name: r.ref.slice("refs/heads/".length),
      commit: { sha: r.sha, url: `${repoUrl(ctx, data)}/commits/${r.sha}` },
      protected: r.ref === `refs/heads/${data.repo.defaultBranch}`,
    }));
  });
}
