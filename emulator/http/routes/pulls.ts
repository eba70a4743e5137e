import type { FastifyInstance } from "fastify";
import { gitDir } from "../../domain/git.js";
import { updateIssue } from "../../domain/issues.js";
import * as pulls from "../../domain/pulls.js";
import { commitShape, diffEntry } from "../../render/git.js";
import { comment, issueEvent } from "../../render/issues.js";
import { pullRequest, pullRequestSimple, review } from "../../render/pulls.js";
import { notFound, optionalString, requireString, validationFailed } from "../errors.js";
import type { Api } from "../server.js";
import { sortIssues } from "./issues.js";

type Q = Record<string, string | undefined>;
type P = { pull_number: string; review_id: string; issue_number: string };

export function registerPullRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;
  const ctx = core.render;

  app.get("/repos/:owner/:repo/pulls", async (request, reply) => {
    const data = api.repoOf(request);
    const q = request.query as Q;
    const state = q.state ?? "open";
    const head = q.head?.includes(":") ? q.head.split(":")[1] : q.head;
    const list = data.issues.filter(
      (i) =>
        i.pull &&
        (state === "all" || i.state === state) &&
        (!head || i.pull.headRef === head) &&
        (!q.base || i.pull.baseRef === q.base),
    );
    sortIssues(
      list,
      q.sort ?? "created",
      q.direction ?? (q.sort === "long-running" ? "desc" : "desc"),
    );
    return api.sendPage(request, reply, list, (i) => pullRequestSimple(ctx, data, i), {
      repositoryWide: true,
    });
  });

  app.post("/repos/:owner/:repo/pulls", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const rec = await pulls.createPull(core, data, api.actor(request), {
      title: requireString(body, "title", "PullRequest"),
      body: optionalString(body, "body", "PullRequest"),
      head: requireString(body, "head", "PullRequest"),
      base: requireString(body, "base", "PullRequest"),
      draft: body.draft === true,
    });
    reply.code(201);
    return pullRequest(ctx, data, rec);
  });

  app.get("/repos/:owner/:repo/pulls/:pull_number", async (request) => {
    const data = api.repoOf(request);
    return pullRequest(
      ctx,
      data,
      pulls.requirePull(core, data, Number((request.params as P).pull_number)),
    );
  });

  app.patch("/repos/:owner/:repo/pulls/:pull_number", async (request) => {
    const data = api.repoOf(request);
    const rec = pulls.requirePull(core, data, Number((request.params as P).pull_number));
    const body = api.body(request);
    const actor = api.actor(request);
    const state = optionalString(body, "state", "PullRequest");
    if (state !== undefined && state !== "open" && state !== "closed") {
      throw validationFailed({
        resource: "PullRequest",
        field: "state",
        code: "invalid",
        value: state,
      });
    }
    const base = optionalString(body, "base", "PullRequest");
    if (base !== undefined) {
      const sha = await core.git.resolveCommit(gitDir(core, data), `refs/heads/${base}`);
      if (!sha) throw validationFailed({ resource: "PullRequest", field: "base", code: "invalid" });
      rec.pull!.baseRef = base;
      rec.pull!.baseSha = sha;
    }
    // `draft` is not a REST field on GitHub (GraphQL only); accepted here so tests and the
    // activity simulation can produce convert_to_draft / ready_for_review.
    if (typeof body.draft === "boolean") pulls.setDraft(core, data, rec, actor, body.draft);
    updateIssue(core, data, rec, actor, {
      title: optionalString(body, "title", "PullRequest"),
      body: optionalString(body, "body", "PullRequest"),
      state: state as "open" | "closed" | undefined,
    });
    return pullRequest(ctx, data, rec);
  });

  app.put("/repos/:owner/:repo/pulls/:pull_number/merge", async (request) => {
    const data = api.repoOf(request);
    const rec = pulls.requirePull(core, data, Number((request.params as P).pull_number));
    const body = api.body(request);
    const method = (optionalString(body, "merge_method", "PullRequest") ?? "merge") as
      | "merge"
      | "squash"
      | "rebase";
    if (!["merge", "squash", "rebase"].includes(method)) {
      throw validationFailed({
        resource: "PullRequest",
        field: "merge_method",
        code: "invalid",
        value: method,
      });
    }
    const sha = await pulls.mergePull(core, data, rec, api.actor(request), {
      method,
      title: optionalString(body, "commit_title", "PullRequest"),
      message: optionalString(body, "commit_message", "PullRequest"),
      sha: optionalString(body, "sha", "PullRequest"),
    });
    return { sha, merged: true, message: "Pull Request successfully merged" };
  });

  app.get("/repos/:owner/:repo/pulls/:pull_number/commits", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = pulls.requirePull(core, data, Number((request.params as P).pull_number));
    const dir = gitDir(core, data);
    // Merged PRs keep listing their own commits: base..head as recorded when they were open.
    const commits = await core.git.commits(dir, [`${rec.pull!.baseSha}..${rec.pull!.headSha}`], {
      limit: 250,
      reverse: true,
    });
    return api.sendPage(request, reply, commits, (c) => commitShape(ctx, data, c));
  });

  app.get("/repos/:owner/:repo/pulls/:pull_number/files", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = pulls.requirePull(core, data, Number((request.params as P).pull_number));
    const dir = gitDir(core, data);
    const base =
      (await core.git.mergeBase(dir, rec.pull!.baseSha, rec.pull!.headSha)) ?? rec.pull!.baseSha;
    const files = await core.git.diff(dir, base, rec.pull!.headSha);
    return api.sendPage(request, reply, files, (f) => diffEntry(ctx, data, rec.pull!.headSha, f));
  });

  app.get("/repos/:owner/:repo/pulls/:pull_number/reviews", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = pulls.requirePull(core, data, Number((request.params as P).pull_number));
    const list = data.reviews.filter((r) => r.pullNumber === rec.number);
    return api.sendPage(request, reply, list, (r) => review(ctx, data, r));
  });

  app.post("/repos/:owner/:repo/pulls/:pull_number/reviews", async (request) => {
    const data = api.repoOf(request);
    const rec = pulls.requirePull(core, data, Number((request.params as P).pull_number));
    const body = api.body(request);
    const created = pulls.createReview(core, data, rec, api.actor(request), {
      event: optionalString(body, "event", "PullRequestReview"),
      body: optionalString(body, "body", "PullRequestReview"),
      commitId: optionalString(body, "commit_id", "PullRequestReview"),
    });
    return review(ctx, data, created);
  });

  app.put(
    "/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/dismissals",
    async (request) => {
      const data = api.repoOf(request);
      const params = request.params as P;
      const rec = pulls.requirePull(core, data, Number(params.pull_number));
      const message = requireString(api.body(request), "message", "PullRequestReview");
      return review(
        ctx,
        data,
        pulls.dismissReview(core, data, rec, api.actor(request), Number(params.review_id), message),
      );
    },
  );

  // The timeline: issue events, comments, reviews and (for PRs) commits, oldest first.
  app.get("/repos/:owner/:repo/issues/:issue_number/timeline", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = core.state.issue(data, Number((request.params as P).issue_number));
    if (!rec) throw notFound();
    type Item = { at: number; id: number; render: () => unknown };
    const items: Item[] = [];
    for (const e of core.state.eventsOf(data, rec.number)) {
      items.push({ at: e.createdAt, id: e.id, render: () => issueEvent(ctx, data, e) });
    }
    for (const c of core.state.commentsOf(data, rec.number)) {
      items.push({
        at: c.createdAt,
        id: c.id,
        render: () => ({
          event: "commented",
          actor: comment(ctx, data, c).user,
          ...comment(ctx, data, c),
        }),
      });
    }
    for (const r of data.reviews) {
      if (r.pullNumber !== rec.number || r.state === "PENDING") continue;
      items.push({
        at: r.submittedAt,
        id: r.id,
        render: () => ({
          event: "reviewed",
          ...review(ctx, data, r),
          state: r.state.toLowerCase(),
        }),
      });
    }
    items.sort((a, b) => a.at - b.at || a.id - b.id);
    return api.sendPage(request, reply, items, (i) => i.render());
  });
}
