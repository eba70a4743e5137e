// GitHub's cursor connections over an in-memory list, with its rules and error messages: `first`
// or `last` is required, at most 100, and cursors are opaque.
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface Connection<N> {
  nodes: N[];
  edges: { cursor: string; node: N }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

const encode = (index: number) => Buffer.from(`cursor:v2:${index}`).toString("base64");

function decode(cursor: string, field: string): number {
  const text = Buffer.from(cursor, "base64").toString("utf8");
  const match = /^cursor:v2:(\d+)$/.exec(text);
  if (!match)
    throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, {
      extensions: { type: "INVALID_CURSOR_ARGUMENTS", field },
    });
  return Number(match[1]);
}

/** One page of `items` (already in the connection's order), rendered with `render`. */
export function connection<T, N>(
  field: string,
  items: readonly T[],
  args: ConnectionArgs,
  render: (item: T) => N,
): Connection<N> {
  const { first, last } = args;
  if (first == null && last == null) {
    throw new GraphQLError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
      { extensions: { type: "MISSING_PAGINATION_BOUNDARIES" } },
    );
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value != null && (value < 0 || value > 100)) {
      throw new GraphQLError(
        value < 0
          ? `\`${name}\` on the \`${field}\` connection cannot be less than zero.`
          : `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`,
        { extensions: { type: "EXCESSIVE_PAGINATION" } },
      );
    }
  }
  let start = args.after ? decode(args.after, field) + 1 : 0;
  let end = args.before ? decode(args.before, field) : items.length;
  end = Math.min(end, items.length);
  start = Math.min(start, end);
  if (first != null) end = Math.min(end, start + first);
  if (last != null) start = Math.max(start, end - last);
  const edges = items.slice(start, end).map((item, i) => ({
    cursor: encode(start + i),
    node: render(item),
  }));
  return {
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: items.length,
  };
}
