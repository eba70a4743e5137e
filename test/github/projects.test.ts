// Boards (bosun.yml `boards`): Bosun reads a GitHub Projects board and moves a story by column
// name through the executor, the emulator sends projects_v2_item back, and `bosun why` shows the
// move with its reason. Unknown columns are configuration problems at file:line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAnswer, withTypenames } from "../../emulator/contract/graphql-validator.js";
import { WebhookContract } from "../../emulator/contract/validator.js";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { projectsOf } from "../../emulator/state/projects.js";
import { LocalData } from "../../src/api/local.js";
import { renderWhy } from "../../src/cli/commands/why.js";
import { plannedMove } from "../../src/effects/board-moves.js";
import { execute } from "../../src/effects/executor.js";
import { assemblePlan } from "../../src/effects/plan.js";
import { GitHubApplier } from "../../src/github/applier.js";
import type { GitHubClient } from "../../src/github/client.js";
import {
  BOARD_DOCUMENTS,
  boardProblems,
  boardProblemsInFile,
  readBoard,
} from "../../src/github/projects.js";
import { formatConfigError, parseConfig } from "../../src/handbook/load.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { readYaml } from "../../src/handbook/yaml-source.js";
import { openStore, type Store } from "../../src/store/index.js";
import { EXAMPLE } from "../support/app.js";
import { emulatorClient } from "../support/github.js";

const BOARDS = `
boards:
  engineering:
    org: fleetdm
    project: 1
    columns:
      - Ready
      - In progress
  drafting:
    org: fleetdm
    project: 2
    field: Status
    columns:
      - New requests
      - Estimated
  zenhub:
    labels:
      Inbox: ":incoming"
      Reproduced: ":reproduce"
`;

describe("boards: moving stories across GitHub Projects columns", () => {
  let emu: RunningEmulator;
  let server: Server;
  let store: Store;
  let client: GitHubClient;
  let config: HandbookConfig;
  let text: string;
  const hooks: { event: string; body: Record<string, unknown> }[] = [];
  let story = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        hooks.push({
          event: String(request.headers["x-github-event"]),
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        });
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    emu = await startEmulator({
      size: 0,
      activity: false,
      webhooks: [{ url: `http://127.0.0.1:${port}/hooks`, secret: "s" }],
    });
    store = await openStore({ inMemory: true });
    client = emulatorClient(emu.url);
    text = `${readFileSync(EXAMPLE, "utf8")}${BOARDS}`;
    const parsed = parseConfig(text, "bosun.yml");
    if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join("\n"));
    config = parsed.config;
    const { data } = await client.rest.issues.create({
      owner: "fleetdm",
      repo: "fleet",
      title: "As an admin, I can see my hosts",
      labels: ["story"],
    });
    story = data.number;
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await emu?.close();
    server?.close();
  });

  it("reads the board's columns and items with queries GitHub's schema accepts", async () => {
    const board = await readBoard(client, { org: "fleetdm", project: 2, field: "Status" });
    expect(board.title).toBe("Drafting");
    expect(board.columns.map((c) => c.name)).toEqual([
      "New requests",
      "Prioritized",
      "User story review",
      "Ready",
    ]);
    expect(board.columns.every((c) => /^[0-9a-f]{8}$/.test(c.id))).toBe(true);
    expect(board.items).toEqual([]);

    // Each document Bosun sends, answered by the emulator, is valid against GitHub's schema.
    const ask = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${emu.url}/graphql`, {
        method: "POST",
        headers: { authorization: "bearer test-token", "content-type": "application/json" },
        body: JSON.stringify({ query: withTypenames(query), variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return checkAnswer(withTypenames(query), variables, body.data);
    };
    const where = { org: "fleetdm", number: 1, field: "Status" };
    expect(await ask(BOARD_DOCUMENTS.SHAPE, where)).toEqual([]);
    expect(await ask(BOARD_DOCUMENTS.ITEMS, { ...where, after: null })).toEqual([]);
    const issue = await client.rest.issues.get({
      owner: "fleetdm",
      repo: "fleet",
      issue_number: story,
    });
    expect(
      await ask(BOARD_DOCUMENTS.ITEMS_OF_CONTENT, { id: issue.data.node_id, field: "Status" }),
    ).toEqual([]);
  });

  it("moves a story by column name through the executor; the webhook comes back and bosun why shows it", async () => {
    const reason = `R5: #${story} is estimated, so it is ready for the engineering board`;
    const move = plannedMove(
      "R5",
      {
        board: "engineering",
        config: config.boards.engineering!,
        repo: "fleetdm/fleet",
        number: story,
        column: "In progress",
      },
      reason,
    );
    expect(move.key).toBe(`R5:moveToColumn:fleetdm/fleet#${story}:engineering>In progress`);
    const plan = assemblePlan("p1", "2026-12-03T12:00:00Z", [{ effects: [move] }]);
    const applier = new GitHubApplier(client);
    const [result] = await execute(plan, applier, store, { dryRun: false, owner: "t" });
    expect(result).toMatchObject({ status: "applied" });

    const board = await readBoard(client, { org: "fleetdm", project: 1, field: "Status" });
    const item = board.items.find((i) => i.content?.number === story);
    expect(item?.column?.name).toBe("In progress");

    await emu.admin.idle();
    const received = hooks.filter((h) => h.event === "projects_v2_item");
    expect(received.map((h) => h.body.action)).toEqual(["created", "edited"]);
    const contract = new WebhookContract();
    for (const h of received) expect(contract.check(h.event, h.body)).toEqual([]);
    expect(received[1]?.body.projects_v2_item).toMatchObject({ node_id: item?.id });

    const data = new LocalData(store, config, "memory");
    const why = renderWhy(`#${story}`, await data.audit({ target: `#${story}`, limit: 10 }));
    expect(why).toContain(`fleetdm/fleet#${story}: move to "In progress" on board "engineering"`);
    // The table wraps long reasons; read it as words.
    expect(why.replace(/\s+/g, " ")).toContain(reason);
    expect(why).toContain("applied");

    // A second run writes nothing: the key is done, and the applier itself sees the column.
    const writes = projectsOf(emu.admin.core.state, 0).writes;
    const [again] = await execute(plan, applier, store, { dryRun: false, owner: "t" });
    expect(again?.status).toBe("already-done");
    expect(await applier.apply(move.effect)).toMatchObject({ unchanged: true });
    expect(projectsOf(emu.admin.core.state, 0).writes).toBe(writes);
  });

  it("names the file, line and the columns that exist for a column the board does not have", async () => {
    const source = readYaml(text, "bosun.yml");
    const problems = await boardProblems(client, config.boards, (path) => source.at(path));
    expect(problems).toHaveLength(1);
    const line = text.split("\n").findIndex((l) => l.includes("- Estimated")) + 1;
    expect(formatConfigError(problems[0]!)).toBe(
      `bosun.yml:${line}:9 boards.drafting.columns[1]: no column "Estimated" in field "Status" of fleetdm project 2 ("Drafting"); the columns are "New requests", "Prioritized", "User story review", "Ready"`,
    );
    expect(problems[0]?.found).toBe('"Estimated"');
    const dir = mkdtempSync(join(tmpdir(), "bosun-boards-"));
    writeFileSync(join(dir, "bosun.yml"), text);
    const fromFile = await boardProblemsInFile(client, join(dir, "bosun.yml"), config.boards);
    rmSync(dir, { recursive: true, force: true });
    expect(fromFile.map((e) => [e.line, e.path])).toEqual([[line, "boards.drafting.columns[1]"]]);

    const wrong = parseConfig(
      `${readFileSync(EXAMPLE, "utf8")}\nboards:\n  gone:\n    org: fleetdm\n    project: 9\n  odd:\n    org: fleetdm\n    project: 1\n    field: Stage\n`,
      "bosun.yml",
    );
    if (!wrong.ok) throw new Error(wrong.errors.map(formatConfigError).join("\n"));
    const at = readYaml(
      `${readFileSync(EXAMPLE, "utf8")}\nboards:\n  gone:\n    org: fleetdm\n    project: 9\n  odd:\n    org: fleetdm\n    project: 1\n    field: Stage\n`,
      "bosun.yml",
    );
    const more = (await boardProblems(client, wrong.config.boards, (p) => at.at(p))).map(
      (e) => `${e.path}: ${e.message}`,
    );
    expect(more[0]).toMatch(/^boards\.gone\.project: fleetdm project 9 does not exist/);
    expect(more[1]).toBe(
      'boards.odd.field: fleetdm project 1 ("Engineering board") has no single-select field "Stage"; its single-select fields are "Status"',
    );

    // At run time the same mistake is refused, once, with the setting and the columns.
    const effect = plannedMove(
      "R5",
      {
        board: "drafting",
        config: config.boards.drafting!,
        repo: "fleetdm/fleet",
        number: story,
        column: "Estimated",
      },
      "R5: estimated",
    );
    const [result] = await execute(
      assemblePlan("p2", "2026-12-03T12:00:00Z", [{ effects: [effect] }]),
      new GitHubApplier(client),
      store,
      { dryRun: false, owner: "t" },
    );
    expect(result?.status).toBe("failed");
    expect(result?.error).toContain('boards.drafting: no column "Estimated"');
    expect(result?.error).toContain('"User story review"');
    expect(result?.error).toContain("(not retried)");
  });

  it("moves an issue across a label board (the older handbook's ZenHub columns)", async () => {
    const board = config.boards.zenhub!;
    const applier = new GitHubApplier(client);
    const to = (column: string) =>
      plannedMove(
        "R26",
        { board: "zenhub", config: board, repo: "fleetdm/fleet", number: story, column },
        "R26",
      ).effect;
    await applier.apply(to("Inbox"));
    expect(await applier.apply(to("Reproduced"))).toMatchObject({
      label: ":reproduce",
      removed: [":incoming"],
    });
    const { data } = await client.rest.issues.get({
      owner: "fleetdm",
      repo: "fleet",
      issue_number: story,
    });
    const names = data.labels.map((l) => (typeof l === "string" ? l : l.name));
    expect(names).toContain(":reproduce");
    expect(names).not.toContain(":incoming");
    expect(await applier.apply(to("Reproduced"))).toMatchObject({ unchanged: true });
  });

  it("refuses a board that names both a project and labels, at its line", () => {
    const result = parseConfig(
      `${readFileSync(EXAMPLE, "utf8")}\nboards:\n  mixed:\n    org: fleetdm\n    project: 1\n    labels:\n      Inbox: ":incoming"\n`,
      "bosun.yml",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatConfigError).join("\n")).toMatch(
      /bosun\.yml:\d+:\d+ boards\.mixed\.labels: must be either a Projects board or label columns/,
    );
  });
});
