import type { FastifyInstance } from "fastify";
import { iso } from "../../clock.js";
import { gitDir } from "../../domain/git.js";
import { checkRun, status } from "../../render/ci.js";
import { commitShape } from "../../render/git.js";
import { repoUrl } from "../../render/issues.js";
import { repository } from "../../render/repos.js";
import type { CheckRunRec, StatusRec } from "../../state/model.js";
import { emit } from "../../webhooks/payloads.js";
import { notFound, optionalString, requireString, validationFailed } from "../errors.js";
import type { Api } from "../server.js";

const STATUS_STATES = ["error", "failure", "pending", "success"] as const;
const CHECK_STATUSES = ["queued", "in_progress", "completed"] as const;
const CONCLUSIONS = [
  "success",
  "failure",
  "neutral",
  "cancelled",
  "skipped",
  "timed_out",
  "action_required",
] as const;

/** Combined state: failure beats pending beats success, as GitHub documents. */
function combine(states: StatusRec["state"][]): string {
  if (states.length === 0) return "pending";
  if (states.some((s) => s === "error" || s === "failure")) return "failure";
  if (states.some((s) => s === "pending")) return "pending";
  return "success";
}
export function registerCheckRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;
  const ctx = core.render;

  app.post("/repos/:owner/:repo/statuses/:sha", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const sha = (request.params as { sha: string }).sha;
    const commit = await core.git.commit(gitDir(core, data), sha);
    if (!commit)
      throw validationFailed({ resource: "Status", field: "sha", code: "invalid", value: sha });
    const state = requireString(body, "state", "Status");
    if (!STATUS_STATES.includes(state as never))
      throw validationFailed({ resource: "Status", field: "state", code: "invalid", value: state });
    const now = core.clock.now();
    const rec: StatusRec = {
      id: core.state.nextId("status"),
      sha: commit.sha,
      state: state as StatusRec["state"],
      context: optionalString(body, "context", "Status") ?? "default",
      description: optionalString(body, "description", "Status") ?? null,
      targetUrl: optionalString(body, "target_url", "Status") ?? null,
      creator: api.actor(request),
      createdAt: now,
      updatedAt: now,
    };
    data.statuses.push(rec);
    core.state.touch();
    emit(core, data, "status", rec.creator, {
      id: rec.id,
      sha: rec.sha,
      name: `${data.repo.owner}/${data.repo.name}`,
      target_url: rec.targetUrl,
      context: rec.context,
      description: rec.description,
      state: rec.state,
      commit: commitShape(ctx, data, commit),
      branches: [],
      created_at: iso(now),
      updated_at: iso(now),
      avatar_url: null,
    });
    reply.code(201);
    return status(ctx, data, rec);
  });

  app.get("/repos/:owner/:repo/commits/:ref/status", async (request) => {
    const data = api.repoOf(request);
    const sha = await core.git.resolveCommit(
      gitDir(core, data),
      (request.params as { ref: string }).ref,
    );
    if (!sha) throw notFound();
    // The latest status per context counts.
    const latest = new Map<string, StatusRec>();
    for (const s of data.statuses) if (s.sha === sha) latest.set(s.context, s);
    const statuses = [...latest.values()].reverse();
    return {
      state: combine(statuses.map((s) => s.state)),
      statuses: statuses.map((s) => status(ctx, data, s)),
      sha,
      total_count: statuses.length,
      repository: repository(ctx, data),
      commit_url: `${repoUrl(ctx, data)}/commits/${sha}`,
      url: `${repoUrl(ctx, data)}/commits/${sha}/status`,
    };
  });

  app.post("/repos/:owner/:repo/check-runs", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const name = requireString(body, "name", "CheckRun");
    const headSha = requireString(body, "head_sha", "CheckRun");
    const commit = await core.git.commit(gitDir(core, data), headSha);
    if (!commit)
      throw validationFailed({
        resource: "CheckRun",
        field: "head_sha",
        code: "invalid",
        value: headSha,
      });
    const conclusion = optionalString(body, "conclusion", "CheckRun");
    const statusValue = conclusion
      ? "completed"
      : (optionalString(body, "status", "CheckRun") ?? "queued");
    if (!CHECK_STATUSES.includes(statusValue as never))
      throw validationFailed({
        resource: "CheckRun",
        field: "status",
        code: "invalid",
        value: statusValue,
      });
    if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion as never))
      throw validationFailed({
        resource: "CheckRun",
        field: "conclusion",
        code: "invalid",
        value: conclusion,
      });
    if (statusValue === "completed" && !conclusion)
      throw validationFailed({ resource: "CheckRun", field: "conclusion", code: "missing_field" });
    const now = core.clock.now();
    const output = (body.output ?? {}) as { title?: string; summary?: string };
    const rec: CheckRunRec = {
      id: core.state.nextId("checkRun"),
      name,
      headSha: commit.sha,
      status: statusValue as CheckRunRec["status"],
      conclusion: (conclusion ?? null) as CheckRunRec["conclusion"],
      // GitHub defaults these to "" and the run's own page.
      externalId: optionalString(body, "external_id", "CheckRun") ?? "",
      detailsUrl: optionalString(body, "details_url", "CheckRun") ?? null,
      startedAt: now,
      completedAt: statusValue === "completed" ? now : null,
      title: output.title ?? null,
      summary: output.summary ?? null,
    };
    rec.detailsUrl ??= `${ctx.base}/${data.repo.owner}/${data.repo.name}/runs/${rec.id}`;
    data.checkRuns.push(rec);
    core.state.touch();
    emit(core, data, "check_run", api.actor(request), {
      action: "created",
      check_run: checkRunPayload(checkRun(ctx, data, rec), rec),
    });
    reply.code(201);
    return checkRun(ctx, data, rec);
  });

  app.patch("/repos/:owner/:repo/check-runs/:id", async (request) => {
    const data = api.repoOf(request);
    const rec = data.checkRuns.find((c) => c.id === Number((request.params as { id: string }).id));
    if (!rec) throw notFound();
    const body = api.body(request);
    const conclusion = optionalString(body, "conclusion", "CheckRun");
    const statusValue = optionalString(body, "status", "CheckRun");
    if (statusValue !== undefined && !CHECK_STATUSES.includes(statusValue as never))
      throw validationFailed({
        resource: "CheckRun",
        field: "status",
        code: "invalid",
        value: statusValue,
      });
    if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion as never))
      throw validationFailed({
        resource: "CheckRun",
        field: "conclusion",
        code: "invalid",
        value: conclusion,
      });
    if (statusValue) rec.status = statusValue as CheckRunRec["status"];
    if (conclusion) {
      rec.conclusion = conclusion as CheckRunRec["conclusion"];
      rec.status = "completed";
      rec.completedAt = core.clock.now();
    }
    const name = optionalString(body, "name", "CheckRun");
    if (name) rec.name = name;
    core.state.touch();
    const action = rec.status === "completed" ? "completed" : "created";
    emit(core, data, "check_run", api.actor(request), {
      action,
      check_run: checkRunPayload(checkRun(ctx, data, rec), rec),
    });
    return checkRun(ctx, data, rec);
  });

  app.get("/repos/:owner/:repo/commits/:ref/check-runs", async (request, reply) => {
    const data = api.repoOf(request);
    const sha = await core.git.resolveCommit(
      gitDir(core, data),
      (request.params as { ref: string }).ref,
    );
    if (!sha) throw notFound();
    const q = request.query as Record<string, string | undefined>;
    const runs = data.checkRuns
      .filter(
        (c) =>
          c.headSha === sha &&
          (!q.check_name || c.name === q.check_name) &&
          (!q.status || c.status === q.status),
      )
      .reverse();
    const page = api.sendPage(request, reply, runs, (c) => checkRun(ctx, data, c));
    return { total_count: runs.length, check_runs: page };
  });
}
/** check_run webhooks carry the run's check suite with its head branch. */
function checkRunPayload(run: Record<string, unknown>, rec: CheckRunRec): Record<string, unknown> {
  return {
    ...run,
    check_suite: {
      id: rec.id + 1,
      node_id: Buffer.from(`0:CheckSuite${rec.id + 1}`).toString("base64"),
      head_branch: null,
      head_sha: rec.headSha,
      status: rec.status,
      conclusion: rec.conclusion,
      url: String(run.url).replace(/check-runs\/\d+$/, `check-suites/${rec.id + 1}`),
      before: null,
      after: null,
      pull_requests: [],
      app: run.app,
      created_at: run.started_at,
      updated_at: run.started_at,
    },
  };
}
