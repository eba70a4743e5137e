import type { FastifyInstance } from "fastify";
import { label, milestone } from "../../render/issues.js";
import type { LabelRec, MilestoneRec } from "../../state/model.js";
import { emit } from "../../webhooks/payloads.js";
import { notFound, optionalString, requireString, validationFailed } from "../errors.js";
import type { Api } from "../server.js";

export function registerLabelRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;
  const ctx = core.render;

  app.get("/repos/:owner/:repo/labels", async (request, reply) => {
    const data = api.repoOf(request);
    return api.sendPage(request, reply, data.labels, (l) => label(ctx, data, l));
  });

  app.get("/repos/:owner/:repo/labels/:name", async (request) => {
    const data = api.repoOf(request);
    const rec = core.state.label(data, (request.params as { name: string }).name);
    if (!rec) throw notFound();
    return label(ctx, data, rec);
  });

  app.post("/repos/:owner/:repo/labels", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const name = requireString(body, "name", "Label");
    const color = (optionalString(body, "color", "Label") ?? "ededed").replace(/^#/, "");
    if (!/^[0-9a-fA-F]{6}$/.test(color))
      throw validationFailed({ resource: "Label", field: "color", code: "invalid", value: color });
    if (core.state.label(data, name))
      throw validationFailed({ resource: "Label", field: "name", code: "already_exists" });
    const rec: LabelRec = {
      id: core.state.nextId("label"),
      name,
      color: color.toLowerCase(),
      description: optionalString(body, "description", "Label") ?? null,
      isDefault: false,
    };
    data.labels.push(rec);
    core.state.touch();
    emit(core, data, "label", api.actor(request), {
      action: "created",
      label: label(ctx, data, rec),
    });
    reply.code(201);
    return label(ctx, data, rec);
  });

  // Renaming or deleting a label changes every issue carrying it, as on GitHub (no issue events).
  app.patch("/repos/:owner/:repo/labels/:name", async (request) => {
    const data = api.repoOf(request);
    const rec = core.state.label(data, (request.params as { name: string }).name);
    if (!rec) throw notFound();
    const body = api.body(request);
    const before = label(ctx, data, rec);
    const newName = optionalString(body, "new_name", "Label");
    const color = optionalString(body, "color", "Label")?.replace(/^#/, "");
    if (color !== undefined && !/^[0-9a-fA-F]{6}$/.test(color))
      throw validationFailed({ resource: "Label", field: "color", code: "invalid", value: color });
    if (newName !== undefined && newName.toLowerCase() !== rec.name.toLowerCase()) {
      if (core.state.label(data, newName))
        throw validationFailed({ resource: "Label", field: "name", code: "already_exists" });
      for (const issue of data.issues)
        issue.labels = issue.labels.map((l) => (l === rec.name ? newName : l));
    }
    if (newName !== undefined) rec.name = newName;
    if (color !== undefined) rec.color = color.toLowerCase();
    const description = optionalString(body, "description", "Label");
    if (description !== undefined) rec.description = description;
    core.state.touch();
    emit(core, data, "label", api.actor(request), {
      action: "edited",
      label: label(ctx, data, rec),
      changes:
        newName !== undefined && newName !== before.name ? { name: { from: before.name } } : {},
    });
    return label(ctx, data, rec);
  });

  app.delete("/repos/:owner/:repo/labels/:name", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = core.state.label(data, (request.params as { name: string }).name);
    if (!rec) throw notFound();
    const gone = label(ctx, data, rec);
    data.labels = data.labels.filter((l) => l !== rec);
    for (const issue of data.issues) issue.labels = issue.labels.filter((l) => l !== rec.name);
    core.state.touch();
    emit(core, data, "label", api.actor(request), { action: "deleted", label: gone });
    reply.code(204);
    return "";
  });

  app.get("/repos/:owner/:repo/milestones", async (request, reply) => {
    const data = api.repoOf(request);
    const q = request.query as Record<string, string | undefined>;
    const state = q.state ?? "open";
    const list = data.milestones.filter((m) => state === "all" || m.state === state);
    const sort = q.sort ?? "due_on";
    const sign = (q.direction ?? "asc") === "asc" ? 1 : -1;
    // GitHub sorts milestones without a due date last when ascending by due_on.
    const key = (m: MilestoneRec) =>
      sort === "completeness" ? (m.closedAt ?? 0) : (m.dueOn ?? Number.MAX_SAFE_INTEGER);
    list.sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
    return api.sendPage(request, reply, list, (m) => milestone(ctx, data, m));
  });

  app.get("/repos/:owner/:repo/milestones/:number", async (request) => {
    const data = api.repoOf(request);
    const rec = core.state.milestone(data, Number((request.params as { number: string }).number));
    if (!rec) throw notFound();
    return milestone(ctx, data, rec);
  });

  const parseState = (body: Record<string, unknown>) => {
    const state = optionalString(body, "state", "Milestone");
    if (state !== undefined && state !== "open" && state !== "closed")
      throw validationFailed({
        resource: "Milestone",
        field: "state",
        code: "invalid",
        value: state,
      });
    return state as "open" | "closed" | undefined;
  };
  const parseDue = (body: Record<string, unknown>) => {
    const due = optionalString(body, "due_on", "Milestone");
    if (due === undefined) return body.due_on === null ? null : undefined;
    const ms = Date.parse(due);
    if (Number.isNaN(ms))
      throw validationFailed({
        resource: "Milestone",
        field: "due_on",
        code: "invalid",
        value: due,
      });
    return ms;
  };

  app.post("/repos/:owner/:repo/milestones", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const title = requireString(body, "title", "Milestone");
    if (data.milestones.some((m) => m.title === title))
      throw validationFailed({ resource: "Milestone", field: "title", code: "already_exists" });
    const now = core.clock.now();
    const state = parseState(body) ?? "open";
    const rec: MilestoneRec = {
      id: core.state.nextId("milestone"),
      number: data.milestones.reduce((n, m) => Math.max(n, m.number), 0) + 1,
      title,
      description: optionalString(body, "description", "Milestone") ?? null,
      state,
      creator: api.actor(request),
      dueOn: parseDue(body) ?? null,
      createdAt: now,
      updatedAt: now,
      closedAt: state === "closed" ? now : null,
    };
    data.milestones.push(rec);
    core.state.touch();
    emit(core, data, "milestone", rec.creator, {
      action: "created",
      milestone: milestone(ctx, data, rec),
    });
    reply.code(201);
    return milestone(ctx, data, rec);
  });

  app.patch("/repos/:owner/:repo/milestones/:number", async (request) => {
    const data = api.repoOf(request);
    const rec = core.state.milestone(data, Number((request.params as { number: string }).number));
    if (!rec) throw notFound();
    const body = api.body(request);
    const actor = api.actor(request);
    const state = parseState(body);
    const due = parseDue(body);
    const changes: Record<string, { from: unknown }> = {};
    const title = optionalString(body, "title", "Milestone");
    if (title !== undefined && title !== rec.title) {
      changes.title = { from: rec.title };
      rec.title = title;
    }
    const description = optionalString(body, "description", "Milestone");
    if (description !== undefined && description !== rec.description) {
      changes.description = { from: rec.description ?? "" };
      rec.description = description;
    }
    if (due !== undefined && due !== rec.dueOn) {
      changes.due_on = { from: rec.dueOn === null ? null : new Date(rec.dueOn).toISOString() };
      rec.dueOn = due;
    }
    rec.updatedAt = core.clock.now();
    if (Object.keys(changes).length > 0)
      emit(core, data, "milestone", actor, {
        action: "edited",
        changes,
        milestone: milestone(ctx, data, rec),
      });
    if (state !== undefined && state !== rec.state) {
      rec.state = state;
      rec.closedAt = state === "closed" ? core.clock.now() : null;
      emit(core, data, "milestone", actor, {
        action: state === "closed" ? "closed" : "opened",
        milestone: milestone(ctx, data, rec),
      });
    }
    core.state.touch();
    return milestone(ctx, data, rec);
  });
}
