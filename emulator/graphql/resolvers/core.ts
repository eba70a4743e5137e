// The roots every other module hangs from: repository, organization, viewer and node lookup.
import { GraphQLError } from "graphql";
import { nodeId } from "../../render/context.js";
import type { RepoData, UserRec } from "../../state/model.js";
import type { GraphQLContext, GraphQLModule } from "../schema.js";

/** A `Repository` object for resolvers: the record plus what its fields read. */
export function repositoryObject(data: RepoData) {
  return {
    __typename: "Repository",
    id: nodeId("Repository", data.repo.id),
    name: data.repo.name,
    nameWithOwner: `${data.repo.owner}/${data.repo.name}`,
    data,
  };
}

/** A `User`, `Bot` or `Organization` object for an actor's login. */
export function actorObject(ctx: GraphQLContext, login: string) {
  const user: UserRec = ctx.core.state.ensureUser(login);
  const typename =
    user.type === "Bot" ? "Bot" : user.type === "Organization" ? "Organization" : "User";
  // GraphQL shows a bot's login without the "[bot]" suffix REST uses.
  const shown = typename === "Bot" ? login.replace(/\[bot\]$/, "") : login;
  return { __typename: typename, id: nodeId(typename, user.id), login: shown };
}

export function notFoundError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: "NOT_FOUND" } });
}

export const coreModule: GraphQLModule = {
  resolvers: {
    "Query.repository": (_root, args: { owner: string; name: string }, ctx) => {
      const data = ctx.core.state.repo(args.owner, args.name);
      if (!data) {
        throw notFoundError(
          `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`,
        );
      }
      return repositoryObject(data);
    },
    "Query.organization": (_root, args: { login: string }, ctx) => {
      const key = args.login.toLowerCase();
      if (!ctx.core.state.orgs.has(key)) {
        throw notFoundError(
          `Could not resolve to an Organization with the login of '${args.login}'.`,
        );
      }
      const user = ctx.core.state.ensureUser(args.login);
      return { __typename: "Organization", id: nodeId("Organization", user.id), login: user.login };
    },
    "Query.viewer": (_root, _args, ctx) => actorObject(ctx, ctx.viewer),
    "Query.id": () => nodeId("Query", 0),
  },
  nodes: {
    Repository: (key, ctx) => {
      for (const data of ctx.core.state.repos.values())
        if (String(data.repo.id) === key) return repositoryObject(data);
      return undefined;
    },
  },
};
