import { readFileSync } from "node:fs";
import { graphql as octokitGraphql } from "@octokit/graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAnswer, withTypenames } from "../../emulator/contract/graphql-validator.js";
import { startEmulator } from "../../emulator/index.js";
import { extractGraphqlSubset, subsetPath } from "../../scripts/extract-graphql.mjs";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe("the emulator's GraphQL endpoint", () => {
  let emulator: Emulator;
  const ask = async (
    query: string,
    variables: Record<string, unknown> = {},
    token = "emulator:octocat",
  ) => {
    const response = await fetch(`${emulator.url}/graphql`, {
      method: "POST",
      headers: { authorization: `bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ query: withTypenames(query), variables }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: unknown;
        errors?: { type?: string; message: string }[];
      },
    };
  };

  beforeAll(async () => {
    emulator = await startEmulator({ size: 0 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("serves the subset that scripts/extract-graphql.mjs extracts from the installed schema", () => {
    expect(readFileSync(subsetPath, "utf8")).toBe(extractGraphqlSubset());
  });

  it("answers repository, organization and viewer as GitHub's schema says", async () => {
    const [owner, name] = ["fleetdm", "fleet"];
    const query = `query($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) { id name nameWithOwner }
      organization(login: $owner) { id login }
      viewer { login }
    }`;
    const { status, body } = await ask(query, { owner, name });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      repository: { nameWithOwner: `${owner}/${name}` },
      viewer: { login: "octocat" },
    });
    expect(checkAnswer(withTypenames(query), { owner, name }, body.data)).toEqual([]);
  });

  it("resolves node ids it hands out, and says NOT_FOUND as GitHub does", async () => {
    const [owner, name] = ["fleetdm", "fleet"];
    const first = await ask(`{ repository(owner: "${owner}", name: "${name}") { id } }`);
    const id = (first.body.data as { repository: { id: string } }).repository.id;
    const missing = await ask(`{ repository(owner: "${owner}", name: "nope") { id } }`);
    expect(missing.body.errors?.[0]).toMatchObject({
      type: "NOT_FOUND",
      message: `Could not resolve to a Repository with the name '${owner}/nope'.`,
    });
    expect(missing.body.data).toMatchObject({ repository: null });
    const node = await ask(`{ node(id: "bm9wZQ") { id } }`);
    expect(node.body.errors?.[0]?.type).toBe("NOT_FOUND");
    expect(id).toMatch(/^[A-Za-z0-9+/]+$/);
    const found = await ask(`{ node(id: "${id}") { id ... on Repository { nameWithOwner } } }`);
    expect(found.body.data).toMatchObject({ node: { id, nameWithOwner: `${owner}/${name}` } });
  });

  it("refuses unauthenticated requests and queries GitHub would refuse", async () => {
    const anonymous = await fetch(`${emulator.url}/graphql`, {
      method: "POST",
      body: JSON.stringify({ query: "{ viewer { login } }" }),
    });
    expect(anonymous.status).toBe(401);
    const unknown = await ask("{ viewer { nope } }");
    expect(unknown.body.errors?.[0]?.message).toMatch(/nope/);
    expect(checkAnswer("{ viewer { nope } }", {}, {})[0]).toMatch(/^query: /);
  });

  it("works through Octokit's GraphQL client", async () => {
    const client = octokitGraphql.defaults({
      baseUrl: emulator.url,
      headers: { authorization: "token emulator:octocat" },
    });
    const data = await client<{ viewer: { login: string } }>("{ viewer { login } }");
    expect(data.viewer.login).toBe("octocat");
  });

  it("catches an answer that breaks the schema", () => {
    const query = "{ viewer { __typename login } }";
    expect(checkAnswer(query, {}, { viewer: { __typename: "User", login: null } })[0]).toMatch(
      /non-nullable/i,
    );
    expect(
      checkAnswer(query, {}, { viewer: { __typename: "User", login: "a", extra: 1 } }),
    ).toHaveLength(1);
  });
});
