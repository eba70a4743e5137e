import type { FastifyInstance } from "fastify";
import { iso } from "../../clock.js";
import { HttpError, notFound, optionalString, requireString, validationFailed } from "../errors.js";
import type { Api } from "../server.js";

export function registerVariableRoutes(app: FastifyInstance, api: Api): void {
  const { core } = api;

  app.get("/repos/:owner/:repo/actions/variables", async (request, reply) => {
    const data = api.repoOf(request);
    const items = api.sendPage(request, reply, data.variables, (v) => variable(v));
    return { total_count: data.variables.length, variables: items };
  });

  app.get("/repos/:owner/:repo/actions/variables/:name", async (request) => {
    const data = api.repoOf(request);
    const rec = data.variables.find(
      (v) => v.name === (request.params as { name: string }).name.toUpperCase(),
    );
    if (!rec) throw notFound();
    return variable(rec);
  });

  app.post("/repos/:owner/:repo/actions/variables", async (request, reply) => {
    const data = api.repoOf(request);
    const body = api.body(request);
    const name = requireString(body, "name", "Variable").toUpperCase();
    const value = requireString(body, "value", "Variable");
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || name.startsWith("GITHUB_"))
      throw validationFailed({ resource: "Variable", field: "name", code: "invalid", value: name });
    if (data.variables.some((v) => v.name === name))
      throw new HttpError(409, {
        message: "Already exists - Variable already exists",
        documentation_url: "https://docs.github.com/rest",
        status: "409",
      });
    const now = core.clock.now();
    data.variables.push({ name, value, createdAt: now, updatedAt: now });
    core.state.touch();
    reply.code(201);
    return {};
  });

  app.patch("/repos/:owner/:repo/actions/variables/:name", async (request, reply) => {
    const data = api.repoOf(request);
    const rec = data.variables.find(
      (v) => v.name === (request.params as { name: string }).name.toUpperCase(),
    );
    if (!rec) throw notFound();
    const body = api.body(request);
    const value = optionalString(body, "value", "Variable");
    const name = optionalString(body, "name", "Variable");
    if (value !== undefined) rec.value = value;
    if (name !== undefined) rec.name = name.toUpperCase();
    rec.updatedAt = core.clock.now();
    core.state.touch();
    reply.code(204);
    return "";
  });

  app.delete("/repos/:owner/:repo/actions/variables/:name", async (request, reply) => {
    const data = api.repoOf(request);
    const index = data.variables.findIndex(
      (v) => v.name === (request.params as { name: string }).name.toUpperCase(),
    );
    if (index < 0) throw notFound();
    data.variables.splice(index, 1);
    core.state.touch();
    reply.code(204);
    return "";
  });
}
function variable(v: { name: string; value: string; createdAt: number; updatedAt: number }) {
  return {
    name: v.name,
    value: v.value,
    created_at: iso(v.createdAt),
    updated_at: iso(v.updatedAt),
  };
}
