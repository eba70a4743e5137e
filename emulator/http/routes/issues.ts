import type { FastifyInstance } from "fastify";
import * as issues from "../../domain/issues.js";
import * as render from "../../render/issues.js";
import type { IssueRec } from "../../state/model.js";
import {
  HttpError,
  optionalString,
  optionalStringArray,
  requireString,
  validationFailed,
} from "../errors.js";
import { sinceParam } from "../paging.js";
import type { Api } from "../server.js";

type Query = Record<string, string | undefined>;

/** GitHub's issue-list filters: state, labels (all must match), milestone, assignee, creator, since. */
export function filterIssues(
  all: readonly IssueRec[],
  query: Query,
  since: number | undefined,
): IssueRec[] {
  const state = query.state ?? "open";
  const labels = query.labels
    ? query.labels
        .split(",")
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean)
    : [];
  const milestone = query.milestone;
  const assignee = query.assignee?.toLowerCase();
  const creator = query.creator?.toLowerCase();
  const out: IssueRec[] = [];
  for (const issue of all) {
    if (state !== "all" && issue.state !== state) continue;
    if (since !== undefined && issue.updatedAt < since) continue;
    if (labels.length > 0) {
      const have = issue.labels.map((l) => l.toLowerCase());
      if (!labels.every((l) => have.includes(l))) continue;
    }
    if (milestone !== undefined) {
      if (
        milestone === "none"
          ? issue.milestone !== null
          : milestone === "*"
            ? issue.milestone === null
            : issue.milestone !== Number(milestone)
      )
        continue;
    }
    if (assignee !== undefined) {
      const have = issue.assignees.map((a) => a.toLowerCase());
      if (
        assignee === "none"
          ? have.length > 0
          : assignee === "*"
            ? have.length === 0
            : !have.includes(assignee)
      )
        continue;
    }
    if (creator !== undefined && issue.user.toLowerCase() !== creator) continue;
    out.push(issue);
  }
  return sortIssues(out, query.sort ?? "created", query.direction ?? "desc");
}

export function sortIssues(list: IssueRec[], sort: string, direction: string): IssueRec[] {
  const key: (i: IssueRec) => number =
    sort === "updated"
      ? (i) => i.updatedAt
      : sort === "comments"
        ? (i) => i.comments
        : sort === "popularity"
          ? (i) => i.comments
          : sort === "long-running"
            ? (i) => i.updatedAt - i.createdAt
            : (i) => i.createdAt;
  const sign = direction === "asc" ? 1 : -1;
  // Ties broken by number so pages are stable across requests.
  return list.sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
}

function issueInput(body: Record<string, unknown>) {
  const milestone = body.milestone;
  if (
    milestone !== undefined &&
    milestone !== null &&
    typeof milestone !== "number" &&
    !/^\d+$/.test(String(milestone))
  ) {
    throw validationFailed({
      resource: "Issue",
      field: "milestone",
      code: "invalid",
      value: milestone,
    });
  }
  const state = optionalString(body, "state", "Issue");
  if (state !== undefined && state !== "open" && state !== "closed") {
    throw validationFailed({ resource: "Issue", field: "state", code: "invalid", value: state });
  }
  const reason = optionalString(body, "state_reason", "Issue");
  const assignees = optionalStringArray(body, "assignees", "Issue");
  const single = optionalString(body, "assignee", "Issue");
  return {
    title: optionalString(body, "title", "Issue"),
    body: body.body === null ? null : optionalString(body, "body", "Issue"),
    labels: optionalStringArray(body, "labels", "Issue"),
    assignees: assignees ?? (single !== undefined ? [single] : undefined),
    milestone: milestone === undefined ? undefined : milestone === null ? null : Number(milestone),
    state: state as "open" | "closed" | undefined,
    stateReason: reason as "completed" | "not_planned" | "reopened" | undefined,
  };
}

function num(value: unknown): number {
  return Number(value);
}

export function registerIssueRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;
  const ctx = core.render;
  type P = { owner: string; repo: string; issue_number: string; name: string; comment_id: string };

  app.get("/repos/:owner/:repo/issues", async (request, reply) => {
    const data = api.repoOf(request);
    const query = request.query as Query;
    const list = filterIssues(data.issues, query, sinceParam(query));
    return api.sendPage(request, reply, list, (i) => render.issue(ctx, data, i), {
      repositoryWide: true,
    });
  });

  app.post("/repos/:owner/:repo/issues", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const title = requireString(body, "title", "Issue");
    const rec = issues.createIssue(core, data, api.actor(request), {
      ...issueInput(body),
      title,
    });
    reply.code(201).header("location", render.issueUrl(ctx, data, rec.number));
    return render.issue(ctx, data, rec);
  });

  app.get("/repos/:owner/:repo/issues/:issue_number", async (request) => {
    const data = api.repoOf(request);
    return render.issue(
      ctx,
      data,
      issues.requireIssue(core, data, num((request.params as P).issue_number)),
    );
  });

  app.patch("/repos/:owner/:repo/issues/:issue_number", async (request) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    const input = issueInput(api.body(request));
    if (input.title === "")
      throw validationFailed({ resource: "Issue", field: "title", code: "missing_field" });
    issues.updateIssue(core, data, rec, api.actor(request), input);
    return render.issue(ctx, data, rec);
  });

  app.get("/repos/:owner/:repo/issues/:issue_number/labels", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    return api.sendPage(request, reply, render.labelsOf(ctx, data, rec.labels), (l) => l);
  });

  const labelNames = (body: unknown): string[] => {
    const list = Array.isArray(body) ? body : (body as { labels?: unknown } | undefined)?.labels;
    if (!Array.isArray(list))
      throw validationFailed({ resource: "Label", field: "labels", code: "missing_field" });
    return optionalStringArray({ labels: list }, "labels", "Label") ?? [];
  };

  app.post("/repos/:owner/:repo/issues/:issue_number/labels", async (request) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    issues.addLabels(core, data, rec, api.actor(request), labelNames(request.body));
    return render.labelsOf(ctx, data, rec.labels);
  });

  app.put("/repos/:owner/:repo/issues/:issue_number/labels", async (request) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    issues.setLabels(core, data, rec, api.actor(request), labelNames(request.body));
    return render.labelsOf(ctx, data, rec.labels);
  });

  app.delete("/repos/:owner/:repo/issues/:issue_number/labels", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    issues.setLabels(core, data, rec, api.actor(request), []);
    reply.code(204);
    return "";
  });

  app.delete("/repos/:owner/:repo/issues/:issue_number/labels/:name", async (request) => {
    const data = api.repoOf(request);
    const params = request.params as P;
    const rec = issues.requireIssue(core, data, num(params.issue_number));
    // GitHub answers 404 "Label does not exist" when the label is not on the issue.
    if (!issues.removeLabel(core, data, rec, api.actor(request), params.name)) {
      throw new HttpError(404, {
        message: "Label does not exist",
        documentation_url: "https://docs.github.com/rest",
        status: "404",
      });
    }
    return render.labelsOf(ctx, data, rec.labels);
  });

  app.post("/repos/:owner/:repo/issues/:issue_number/assignees", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    issues.addAssignees(
      core,
      data,
      rec,
      api.actor(request),
      optionalStringArray(api.body(request), "assignees", "Issue") ?? [],
    );
    reply.code(201);
    return render.issue(ctx, data, rec);
  });

  app.delete("/repos/:owner/:repo/issues/:issue_number/assignees", async (request) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    issues.removeAssignees(
      core,
      data,
      rec,
      api.actor(request),
      optionalStringArray(api.body(request), "assignees", "Issue") ?? [],
    );
    return render.issue(ctx, data, rec);
  });

  app.get("/repos/:owner/:repo/issues/:issue_number/comments", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    const since = sinceParam(request.query as Query);
    const list = core.state
      .commentsOf(data, rec.number)
      .filter((c) => since === undefined || c.updatedAt >= since);
    return api.sendPage(request, reply, list, (c) => render.comment(ctx, data, c));
  });

  app.post("/repos/:owner/:repo/issues/:issue_number/comments", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    const body = requireString(api.body(request), "body", "IssueComment");
    const created = issues.createComment(core, data, rec, api.actor(request), body);
    reply.code(201);
    return render.comment(ctx, data, created);
  });

  app.get("/repos/:owner/:repo/issues/comments/:comment_id", async (request) => {
    const data = api.repoOf(request);
    const rec = issues.requireComment(data, num((request.params as P).comment_id));
    return render.comment(ctx, data, rec);
  });

  app.patch("/repos/:owner/:repo/issues/comments/:comment_id", async (request) => {
    const data = api.repoOf(request);
    const rec = issues.requireComment(data, num((request.params as P).comment_id));
    const body = requireString(api.body(request), "body", "IssueComment");
    return render.comment(ctx, data, issues.editComment(core, data, rec, api.actor(request), body));
  });

  app.delete("/repos/:owner/:repo/issues/comments/:comment_id", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = issues.requireComment(data, num((request.params as P).comment_id));
    issues.deleteComment(core, data, rec, api.actor(request));
    return reply.code(204).send();
  });

  app.get("/repos/:owner/:repo/issues/comments", async (request, reply) => {
    const data = api.repoOf(request);
    const query = request.query as Query;
    const since = sinceParam(query);
    let list = data.comments.filter((c) => since === undefined || c.updatedAt >= since);
    if (query.sort === "updated")
      list = list.slice().sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id);
    if (query.direction === "desc") list = list.slice().reverse();
    return api.sendPage(request, reply, list, (c) => render.comment(ctx, data, c), {
      repositoryWide: true,
    });
  });

  app.get("/repos/:owner/:repo/issues/events", async (request, reply) => {
    const data = api.repoOf(request);
    // Newest first, as GitHub lists them.
    const list = data.events.slice().reverse();
    return api.sendPage(request, reply, list, (e) => render.repoIssueEvent(ctx, data, e), {
      repositoryWide: true,
    });
  });

  app.get("/repos/:owner/:repo/issues/:issue_number/events", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = issues.requireIssue(core, data, num((request.params as P).issue_number));
    return api.sendPage(request, reply, core.state.eventsOf(data, rec.number), (e) =>
      render.issueEvent(ctx, data, e),
    );
  });
}
