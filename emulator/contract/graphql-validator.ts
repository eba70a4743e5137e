// Checks the emulator's GraphQL answers against GitHub's whole published schema
// (@octokit/graphql-schema): the query must validate there, and executing it over the answer
// must give the answer back (types, enums, nullability and no extra fields).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildSchema,
  execute,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  Kind,
  parse,
  print,
  type SelectionSetNode,
  validate,
  visit,
} from "graphql";
import { packageRoot } from "../package-root.js";

let full: GraphQLSchema | undefined;

export function githubSchema(): GraphQLSchema {
  full ??= buildSchema(
    readFileSync(
      join(packageRoot(), "node_modules/@octokit/graphql-schema/schema.graphql"),
      "utf8",
    ),
    // The published SDL defines a few fields twice (EnterpriseOwnerInfo); GitHub serves it as is.
    { assumeValidSDL: true },
  );
  return full;
}

/** The query with `__typename` in every selection set, so abstract types can be checked. */
export function withTypenames(query: string): string {
  const typename = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } } as const;
  const doc = visit(parse(query), {
    SelectionSet(node: SelectionSetNode) {
      const has = node.selections.some(
        (s) => s.kind === Kind.FIELD && s.name.value === "__typename" && !s.alias,
      );
      return has ? undefined : { ...node, selections: [...node.selections, typename] };
    },
  });
  return print(doc);
}

/** Problems with one answer, empty when GitHub's schema accepts it. */
export function checkAnswer(
  query: string,
  variables: Record<string, unknown> | undefined,
  data: unknown,
): string[] {
  const schema = githubSchema();
  const doc = parse(query);
  const invalid = validate(schema, doc);
  if (invalid.length > 0) return invalid.map((e) => `query: ${e.message}`);
  const fieldResolver: GraphQLFieldResolver<Record<string, unknown>, unknown> = (
    source,
    _args,
    _ctx,
    info,
  ) => source?.[info.path.key as string];
  const result = execute({
    schema,
    document: doc,
    variableValues: variables,
    rootValue: data,
    fieldResolver,
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  if (result instanceof Promise) throw new Error("the check runs synchronously");
  const problems = (result.errors ?? []).map((e) => `${e.path?.join(".") ?? ""}: ${e.message}`);
  if (problems.length === 0 && JSON.stringify(result.data) !== JSON.stringify(data)) {
    problems.push("the answer has fields or values the query did not ask for");
  }
  return problems;
}
