// POST /graphql, answered as GitHub does: authentication required, HTTP 200 with `errors` for
// query problems, and GitHub's `type` beside each error's message.
import type { FastifyInstance } from "fastify";
import { type GraphQLError, type GraphQLSchema, graphql } from "graphql";
import { tokenOf } from "../http/auth.js";
import { HttpError } from "../http/errors.js";
import type { Api } from "../http/server.js";
import { GRAPHQL_MODULES } from "./resolvers/index.js";
import { buildGraphQLSchema, type GraphQLContext } from "./schema.js";

const DOCS =
  "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql";

export function registerGraphQLRoute(app: FastifyInstance, api: Api): GraphQLSchema {
  const schema = buildGraphQLSchema(GRAPHQL_MODULES);
  app.post("/graphql", async (request) => {
    if (tokenOf(request) === "anonymous") {
      throw new HttpError(401, {
        message: "This endpoint requires you to be authenticated.",
        documentation_url: DOCS,
      });
    }
    const body = api.body(request);
    if (typeof body.query !== "string") {
      throw new HttpError(400, { message: "Problems parsing JSON", documentation_url: DOCS });
    }
    const contextValue: GraphQLContext = { core: api.core, viewer: api.actor(request) };
    const result = await graphql({
      schema,
      source: body.query,
      variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === "string" ? body.operationName : undefined,
      contextValue,
    });
    const answer: Record<string, unknown> = {};
    if (result.errors?.length) answer.errors = result.errors.map(githubError);
    if (result.data !== undefined) answer.data = result.data;
    return answer;
  });
  return schema;
}

function githubError(error: GraphQLError) {
  const { type, ...extensions } = (error.extensions ?? {}) as { type?: string };
  return {
    ...(type ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}
