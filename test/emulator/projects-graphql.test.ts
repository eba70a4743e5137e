// The emulator's GitHub Projects boards over GraphQL: answers checked against GitHub's whole
// schema, GitHub's mutations and errors, and projects_v2_item webhooks GitHub's schemas accept.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAnswer, withTypenames } from "../../emulator/contract/graphql-validator.js";
import { WebhookContract } from "../../emulator/contract/validator.js";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { projectsOf } from "../../emulator/state/projects.js";

const BOARD = `query($org: String!, $number: Int!) {
  organization(login: $org) {
    projectV2(number: $number) {
      id number title closed
      fields(first: 20) {
        totalCount
        nodes {
          ... on ProjectV2Field { id name dataType }
          ... on ProjectV2SingleSelectField { id name dataType options { id name color } }
        }
      }
      status: field(name: "Status") {
        ... on ProjectV2SingleSelectField { id options(names: ["Ready"]) { id name } }
      }
      items(first: 5) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id type isArchived
          content { ... on Issue { id number title state repository { nameWithOwner } } }
          fieldValueByName(name: "Status") {
            ... on ProjectV2ItemFieldSingleSelectValue { name optionId }
          }
          fieldValues(first: 10) {
            nodes {
              ... on ProjectV2ItemFieldTextValue { text field { ... on ProjectV2Field { name } } }
              ... on ProjectV2ItemFieldSingleSelectValue { name field { ... on ProjectV2SingleSelectField { name } } }
            }
          }
        }
      }
    }
  }
}`;

interface Board {
  organization: {
    projectV2: {
      id: string;
      title: string;
      fields: { nodes: { id: string; name: string; options?: { id: string; name: string }[] }[] };
      items: {
        totalCount: number;
        nodes: { id: string; fieldValueByName: { name: string } | null }[];
      };
    };
  };
}

describe("the emulator's Projects boards", () => {
  let emu: RunningEmulator;
  let server: Server;
  const received: { event: string; body: Record<string, unknown> }[] = [];
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${emu.url}/graphql`, {
      method: "POST",
      headers: { authorization: "bearer emulator:sharon-fdm", "content-type": "application/json" },
      body: JSON.stringify({ query: withTypenames(query), variables }),
    });
    const body = (await response.json()) as {
      data?: unknown;
      errors?: { type?: string; message: string }[];
    };
    return { ...body, problems: checkAnswer(withTypenames(query), variables, body.data) };
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        received.push({
          event: String(request.headers["x-github-event"]),
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        });
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    emu = await startEmulator({
      size: 100,
      seed: 5,
      activity: false,
      webhooks: [
        { url: `http://127.0.0.1:${port}/hooks`, secret: "s", events: ["projects_v2_item"] },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await emu?.close();
    server?.close();
  });

  it("serves the generated organisation's boards, valid against GitHub's schema", async () => {
    const answer = await ask(BOARD, { org: "fleetdm", number: 1 });
    expect(answer.errors).toBeUndefined();
    expect(answer.problems).toEqual([]);
    const board = (answer.data as Board).organization.projectV2;
    expect(board.title).toBe("Engineering board");
    const status = board.fields.nodes.find((f) => f.name === "Status");
    expect(status?.options?.map((o) => o.name)).toEqual([
      "Ready",
      "In progress",
      "Awaiting QA",
      "Ready for release",
      "Confirm and celebrate",
    ]);
    expect(board.items.totalCount).toBeGreaterThan(0);
    expect(board.items.nodes[0]?.fieldValueByName?.name).toBeTruthy();

    const drafting = await ask(BOARD, { org: "fleetdm", number: 2 });
    expect(drafting.problems).toEqual([]);
    const columns = (drafting.data as Board).organization.projectV2.fields.nodes.find(
      (f) => f.name === "Status",
    )?.options;
    expect(columns?.map((o) => o.name)).toContain("New requests");
  });

  it("adds an issue and moves it to a column, sending projects_v2_item created and edited", async () => {
    const data = emu.admin.core.state.repo("fleetdm", "fleet")!;
    const issue = data.issues.find((i) => !i.pull && i.state === "open")!;
    const projects = projectsOf(emu.admin.core.state, Date.now());
    const drafting = projects.project("fleetdm", 2)!;
    drafting.items = drafting.items.filter((i) => i.issueNumber !== issue.number);
    const rest = await fetch(`${emu.url}/repos/fleetdm/fleet/issues/${issue.number}`, {
      headers: { authorization: "bearer emulator:sharon-fdm" },
    });
    const contentId = ((await rest.json()) as { node_id: string }).node_id;
    const board = (await ask(BOARD, { org: "fleetdm", number: 2 })).data as Board;
    const projectId = board.organization.projectV2.id;
    const status = board.organization.projectV2.fields.nodes.find((f) => f.name === "Status")!;
    const review = status.options!.find((o) => o.name === "User story review")!;

    const add = `mutation($projectId: ID!, $contentId: ID!) {
      addProjectV2ItemById(input: { projectId: $projectId, contentId: $contentId, clientMutationId: "m1" }) {
        clientMutationId
        item { id type content { ... on Issue { number } } }
      }
    }`;
    const added = await ask(add, { projectId, contentId });
    expect(added.errors).toBeUndefined();
    expect(added.problems).toEqual([]);
    const item = (added.data as { addProjectV2ItemById: { item: { id: string } } })
      .addProjectV2ItemById.item;
    // Adding it again answers the same item, as GitHub does, and sends nothing more.
    const again = await ask(add, { projectId, contentId });
    expect(
      (again.data as { addProjectV2ItemById: { item: { id: string } } }).addProjectV2ItemById.item
        .id,
    ).toBe(item.id);

    const move = `mutation($input: UpdateProjectV2ItemFieldValueInput!) {
      updateProjectV2ItemFieldValue(input: $input) {
        projectV2Item { id updatedAt fieldValueByName(name: "Status") {
          ... on ProjectV2ItemFieldSingleSelectValue { name optionId }
        } }
      }
    }`;
    const input = {
      projectId,
      itemId: item.id,
      fieldId: status.id,
      value: { singleSelectOptionId: review.id },
    };
    const moved = await ask(move, { input });
    expect(moved.errors).toBeUndefined();
    expect(moved.problems).toEqual([]);
    expect(moved.data).toMatchObject({
      updateProjectV2ItemFieldValue: {
        projectV2Item: { fieldValueByName: { name: "User story review", optionId: review.id } },
      },
    });

    const node = await ask(
      `query($id: ID!) { node(id: $id) { ... on ProjectV2Item { content { ... on Issue {
        number projectItems(first: 5) { totalCount nodes { project { title } } }
      } } } } }`,
      { id: item.id },
    );
    expect(node.problems).toEqual([]);
    expect(node.data).toMatchObject({
      node: {
        content: {
          number: issue.number,
          projectItems: {
            nodes: expect.arrayContaining([
              {
                __typename: "ProjectV2Item",
                project: { __typename: "ProjectV2", title: "Drafting" },
              },
            ]),
          },
        },
      },
    });

    await emu.admin.idle();
    const contract = new WebhookContract();
    const hooks = received.filter((r) => r.event === "projects_v2_item");
    expect(hooks.map((h) => h.body.action)).toEqual(["created", "edited"]);
    for (const h of hooks) expect(contract.check(h.event, h.body)).toEqual([]);
    expect(hooks[0]?.body.projects_v2_item).toMatchObject({
      node_id: item.id,
      project_node_id: projectId,
      content_node_id: expect.any(String),
      content_type: "Issue",
    });
    expect(hooks[1]?.body.changes).toEqual({
      field_value: { field_type: "single_select", field_node_id: status.id },
    });
  });

  it("answers GitHub's errors for a board, an item or an option that does not exist", async () => {
    const missing = await ask(BOARD, { org: "fleetdm", number: 99 });
    expect(missing.errors?.[0]).toMatchObject({
      type: "NOT_FOUND",
      message: "Could not resolve to a ProjectV2 with the number 99.",
    });
    const board = (await ask(BOARD, { org: "fleetdm", number: 1 })).data as Board;
    const project = board.organization.projectV2;
    const status = project.fields.nodes.find((f) => f.name === "Status")!;
    const item = project.items.nodes[0]!;
    const move = `mutation($input: UpdateProjectV2ItemFieldValueInput!) {
      updateProjectV2ItemFieldValue(input: $input) { projectV2Item { id } }
    }`;
    const wrongOption = await ask(move, {
      input: {
        projectId: project.id,
        itemId: item.id,
        fieldId: status.id,
        value: { singleSelectOptionId: "nope" },
      },
    });
    expect(wrongOption.errors?.[0]?.message).toBe(
      "The single select option Id does not belong to the field",
    );
    const wrongItem = await ask(move, {
      input: { projectId: project.id, itemId: "bm9wZQ", fieldId: status.id, value: {} },
    });
    expect(wrongItem.errors?.[0]).toMatchObject({ type: "NOT_FOUND" });
    const paging = await ask(
      `{ organization(login: "fleetdm") { projectV2(number: 1) { items { totalCount } } } }`,
    );
    expect(paging.errors?.[0]?.message).toMatch(/You must provide a `first` or `last` value/);
  });
});
