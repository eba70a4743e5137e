// The emulator's GraphQL schema: GitHub's own definitions (a subset extracted from
// @octokit/graphql-schema) with resolvers from the modules in ./resolvers/.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildSchema,
  GraphQLError,
  type GraphQLFieldResolver,
  GraphQLInterfaceType,
  GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import type { Core } from "../core.js";
import { packageRoot } from "../package-root.js";
import { parseNodeId } from "../render/context.js";

/** What every resolver receives as its context. */
export interface GraphQLContext {
  core: Core;
  /** The login the request acts as (its token), as for REST. */
  viewer: string;
}

export type Resolver = GraphQLFieldResolver<
  // biome-ignore lint/suspicious/noExplicitAny: parents are each type's own plain object.
  any,
  GraphQLContext,
  // biome-ignore lint/suspicious/noExplicitAny: arguments follow the field's schema.
  any
>;

/** Loads what a node id names, or undefined; `key` is the id's part after the type. */
export type NodeLoader = (key: string, ctx: GraphQLContext) => object | undefined;

/**
 * One slice of the GraphQL API. Resolvers return plain objects carrying `__typename` where the
 * field is abstract; a field with no resolver reads the property of its name.
 */
export interface GraphQLModule {
  /** "Type.field" → resolver. */
  resolvers: Record<string, Resolver>;
  /** Node-id type (as in `nodeId(type, id)`) → loader, for `Query.node`. */
  nodes?: Record<string, NodeLoader>;
}

export function subsetSdl(): string {
  return readFileSync(join(packageRoot(), "emulator/graphql/github-subset.graphql"), "utf8");
}

/** Builds the executable schema; a resolver for a field the subset lacks is an error. */
export function buildGraphQLSchema(modules: readonly GraphQLModule[]): GraphQLSchema {
  const schema = buildSchema(subsetSdl());
  const loaders = new Map<string, NodeLoader>();
  for (const module of modules)
    for (const [type, load] of Object.entries(module.nodes ?? {})) loaders.set(type, load);
  const nodeField = schema.getQueryType()?.getFields().node;
  if (nodeField) {
    nodeField.resolve = (_root, args: { id: string }, ctx: GraphQLContext) => {
      const parsed = parseNodeId(args.id);
      const found = parsed && loaders.get(parsed.type)?.(parsed.key, ctx);
      if (!found) {
        throw new GraphQLError(`Could not resolve to a node with the global id of '${args.id}'`, {
          extensions: { type: "NOT_FOUND" },
        });
      }
      return found;
    };
  }
  for (const module of modules) {
    for (const [path, resolve] of Object.entries(module.resolvers)) {
      const [typeName, fieldName] = path.split(".");
      const type = typeName ? schema.getType(typeName) : undefined;
      if (!(type instanceof GraphQLObjectType) && !(type instanceof GraphQLInterfaceType)) {
        throw new Error(`GraphQL resolver ${path}: no object type ${typeName} in the subset`);
      }
      const field = fieldName ? type.getFields()[fieldName] : undefined;
      if (!field) {
        throw new Error(
          `GraphQL resolver ${path}: add "${path}" to emulator/graphql/fields.json and run node scripts/extract-graphql.mjs`,
        );
      }
      field.resolve = resolve;
    }
  }
  return schema;
}
