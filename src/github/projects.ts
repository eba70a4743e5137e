// GitHub Projects boards through GraphQL: read a board (its single-select field's options are the
// columns, its items carry their column) and move an item to a column by option id. Column names
// are resolved to option ids here, at run time, so a board whose columns were renamed is reported
// with the columns it has instead of failing quietly.

import { readFile } from "node:fs/promises";
import type { MoveToColumnEffect } from "../effects/effects.js";
import { EffectRefusedError } from "../effects/executor.js";
import type { BoardsConfig } from "../handbook/boards.js";
import type { ConfigError } from "../handbook/config-error.js";
import { type Position, readYaml } from "../handbook/yaml-source.js";
import type { GitHubClient } from "./client.js";

export interface BoardRef {
  org: string;
  project: number;
  field: string;
}

export interface BoardColumn {
  /** The single-select option's id: what a move writes. */
  id: string;
  name: string;
}

export interface BoardItem {
  id: string;
  /** The linked issue or pull request; null for a draft or content the token cannot see. */
  content: { type: "Issue" | "PullRequest"; id: string; repo: string; number: number } | null;
  /** The item's column (option name and id); null when it has none. */
  column: BoardColumn | null;
}

/** A board's shape: what moving needs, without its items. */
export interface BoardShape {
  ref: BoardRef;
  projectId: string;
  title: string;
  fieldId: string;
  columns: BoardColumn[];
}

export interface Board extends BoardShape {
  items: BoardItem[];
}

/** A board, field or column that is not on GitHub as configured. `columns` lists those that are. */
export class BoardError extends Error {
  override readonly name = "BoardError";
  constructor(
    message: string,
    readonly kind: "project" | "field" | "column",
    readonly columns: readonly string[] = [],
  ) {
    super(message);
  }
}

const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(", ");
const where = (ref: BoardRef) => `${ref.org} project ${ref.project}`;

const SHAPE = `query($org: String!, $number: Int!, $field: String!) {
  organization(login: $org) {
    projectV2(number: $number) {
      id title
      field(name: $field) {
        __typename
        ... on ProjectV2SingleSelectField { id options { id name } }
      }
      fields(first: 50) { nodes { __typename ... on ProjectV2SingleSelectField { name } } }
    }
  }
}`;

interface ShapeAnswer {
  organization: {
    projectV2: {
      id: string;
      title: string;
      field: { __typename: string; id?: string; options?: BoardColumn[] } | null;
      fields: { nodes: ({ __typename: string; name?: string } | null)[] };
    } | null;
  } | null;
}

/** The project and its field's columns; a missing project or field is a BoardError. */
export async function readBoardShape(client: GitHubClient, ref: BoardRef): Promise<BoardShape> {
  let answer: ShapeAnswer;
  try {
    answer = await client.graphql<ShapeAnswer>(SHAPE, {
      org: ref.org,
      number: ref.project,
      field: ref.field,
    });
  } catch (err) {
    if (isNotFound(err)) {
      throw new BoardError(
        `${where(ref)} does not exist, or the token cannot read it (${(err as Error).message})`,
        "project",
      );
    }
    throw err;
  }
  const project = answer.organization?.projectV2;
  if (!project) throw new BoardError(`${where(ref)} does not exist`, "project");
  const field = project.field;
  if (field?.__typename !== "ProjectV2SingleSelectField" || !field.id) {
    const selects = project.fields.nodes
      .filter((f) => f?.__typename === "ProjectV2SingleSelectField" && f.name)
      .map((f) => f?.name ?? "");
    throw new BoardError(
      `${where(ref)} (${JSON.stringify(project.title)}) has no single-select field ${JSON.stringify(ref.field)}; its single-select fields are ${quoted(selects) || "none"}`,
      "field",
    );
  }
  return {
    ref,
    projectId: project.id,
    title: project.title,
    fieldId: field.id,
    columns: (field.options ?? []).map((o) => ({ id: o.id, name: o.name })),
  };
}

const ITEMS = `query($org: String!, $number: Int!, $field: String!, $after: String) {
  organization(login: $org) {
    projectV2(number: $number) {
      items(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          content {
            __typename
            ... on Issue { id number repository { nameWithOwner } }
            ... on PullRequest { id number repository { nameWithOwner } }
          }
          fieldValueByName(name: $field) {
            __typename
            ... on ProjectV2ItemFieldSingleSelectValue { name optionId }
          }
        }
      }
    }
  }
}`;

interface ItemNode {
  id: string;
  content: {
    __typename: string;
    id?: string;
    number?: number;
    repository?: { nameWithOwner: string };
  } | null;
  fieldValueByName: { __typename: string; name?: string | null; optionId?: string | null } | null;
}

/** The board with every item and its column, 100 items a request. */
export async function readBoard(client: GitHubClient, ref: BoardRef): Promise<Board> {
  const shape = await readBoardShape(client, ref);
  const items: BoardItem[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: {
      organization: {
        projectV2: {
          items: {
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            nodes: ItemNode[];
          };
        };
      };
    } = await client.graphql(ITEMS, {
      org: ref.org,
      number: ref.project,
      field: ref.field,
      after,
    });
    const page = answer.organization.projectV2.items;
    for (const node of page.nodes) items.push(boardItem(node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    after = page.pageInfo.endCursor;
  }
  return { ...shape, items };
}

function boardItem(node: ItemNode): BoardItem {
  const c = node.content;
  const type = c?.__typename;
  const value = node.fieldValueByName;
  return {
    id: node.id,
    content:
      c && (type === "Issue" || type === "PullRequest") && c.id && c.number && c.repository
        ? { type, id: c.id, repo: c.repository.nameWithOwner, number: c.number }
        : null,
    column:
      value?.__typename === "ProjectV2ItemFieldSingleSelectValue" && value.optionId && value.name
        ? { id: value.optionId, name: value.name }
        : null,
  };
}

/** The column of that name (exactly, then ignoring case); otherwise a BoardError listing the columns. */
export function resolveColumn(shape: BoardShape, name: string): BoardColumn {
  const found =
    shape.columns.find((c) => c.name === name) ??
    shape.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (found) return found;
  const names = shape.columns.map((c) => c.name);
  throw new BoardError(
    `no column ${JSON.stringify(name)} in field ${JSON.stringify(shape.ref.field)} of ${where(shape.ref)} (${JSON.stringify(shape.title)}); the columns are ${quoted(names) || "none"}`,
    "column",
    names,
  );
}

const ITEMS_OF_CONTENT = `query($id: ID!, $field: String!) {
  node(id: $id) {
    __typename
    ... on Issue { projectItems(first: 100) { nodes { ...item } } }
    ... on PullRequest { projectItems(first: 100) { nodes { ...item } } }
  }
}
fragment item on ProjectV2Item {
  id
  project { id }
  fieldValueByName(name: $field) {
    __typename
    ... on ProjectV2ItemFieldSingleSelectValue { name optionId }
  }
}`;

const ADD = `mutation($projectId: ID!, $contentId: ID!) {
  addProjectV2ItemById(input: { projectId: $projectId, contentId: $contentId }) { item { id } }
}`;

const UPDATE = `mutation($projectId: ID!, $itemId: ID!, $fieldId: ID!, $optionId: String!) {
  updateProjectV2ItemFieldValue(input: {
    projectId: $projectId, itemId: $itemId, fieldId: $fieldId,
    value: { singleSelectOptionId: $optionId }
  }) { projectV2Item { id } }
}`;

export interface MoveOutcome {
  item: string;
  column: string;
  optionId: string;
  /** The column it was in; null when it had none or was not on the board. */
  from: string | null;
  added: boolean;
  /** Already in the column: nothing was written. */
  unchanged: boolean;
}

/**
 * Puts the issue or pull request (its node id) in the column: adds it to the project when it is
 * not there, then sets the field's option. Writes nothing when it is already in that column.
 */
export async function moveToColumn(
  client: GitHubClient,
  shape: BoardShape,
  contentId: string,
  column: BoardColumn,
): Promise<MoveOutcome> {
  const answer = await client.graphql<{
    node: {
      projectItems?: {
        nodes: {
          id: string;
          project: { id: string };
          fieldValueByName: ItemNode["fieldValueByName"];
        }[];
      };
    } | null;
  }>(ITEMS_OF_CONTENT, { id: contentId, field: shape.ref.field });
  const existing = answer.node?.projectItems?.nodes.find((n) => n.project.id === shape.projectId);
  const current = existing ? boardItem({ ...existing, content: null }).column : null;
  const base = { column: column.name, optionId: column.id, from: current?.name ?? null };
  if (existing && current?.id === column.id) {
    return { ...base, item: existing.id, added: false, unchanged: true };
  }
  let itemId = existing?.id;
  if (!itemId) {
    const added = await client.graphql<{ addProjectV2ItemById: { item: { id: string } } }>(ADD, {
      projectId: shape.projectId,
      contentId,
    });
    itemId = added.addProjectV2ItemById.item.id;
  }
  await client.graphql(UPDATE, {
    projectId: shape.projectId,
    itemId,
    fieldId: shape.fieldId,
    optionId: column.id,
  });
  return { ...base, item: itemId, added: !existing, unchanged: false };
}

/**
 * Reads every configured Projects board and checks its field and the columns bosun.yml names:
 * each problem is a ConfigError at the setting (file, line), listing what exists.
 */
export async function boardProblems(
  client: GitHubClient,
  boards: BoardsConfig,
  at: (keyPath: readonly PropertyKey[]) => Position,
): Promise<ConfigError[]> {
  const errors: ConfigError[] = [];
  for (const [name, board] of Object.entries(boards)) {
    if (board.labels || board.org === undefined || board.project === undefined) continue;
    const ref = { org: board.org, project: board.project, field: board.field };
    let shape: BoardShape;
    try {
      shape = await readBoardShape(client, ref);
    } catch (err) {
      if (!(err instanceof BoardError)) throw err;
      const key = err.kind === "project" ? "project" : "field";
      errors.push({ ...at(["boards", name, key]), message: err.message });
      continue;
    }
    board.columns.forEach((column, index) => {
      try {
        resolveColumn(shape, column);
      } catch (err) {
        if (!(err instanceof BoardError)) throw err;
        errors.push({
          ...at(["boards", name, "columns", index]),
          message: err.message,
          found: JSON.stringify(column),
          allowed: quoted(err.columns),
        });
      }
    });
  }
  return errors;
}

/** {@link boardProblems} for the configuration file as written (its positions), for a first run. */
export async function boardProblemsInFile(
  client: GitHubClient,
  file: string,
  boards: BoardsConfig,
): Promise<ConfigError[]> {
  if (Object.keys(boards).length === 0) return [];
  const source = readYaml(await readFile(file, "utf8"), file);
  return boardProblems(client, boards, (keyPath) => source.at(keyPath));
}

function isNotFound(err: unknown): boolean {
  const errors = (err as { errors?: { type?: string }[] }).errors;
  return Array.isArray(errors) && errors.some((e) => e.type === "NOT_FOUND");
}

/**
 * Applies a moveToColumn effect: on a Projects board by option id, on a label board by adding
 * the column's label and removing the other columns' labels. A board, field or column that is
 * not there is refused (not retried) with the setting to fix and what exists.
 */
export async function applyMoveToColumn(
  client: GitHubClient,
  effect: MoveToColumnEffect,
): Promise<unknown> {
  const [owner, repo] = effect.repo.split("/");
  if (!owner || !repo)
    throw new Error(`not a repository full name: ${JSON.stringify(effect.repo)}`);
  const setting = `boards.${effect.board}`;
  if ("labels" in effect.on) return moveByLabels(client, effect, effect.on.labels, setting);
  let shape: BoardShape;
  let column: BoardColumn;
  try {
    shape = await readBoardShape(client, effect.on);
    column = resolveColumn(shape, effect.column);
  } catch (err) {
    if (err instanceof BoardError) throw new EffectRefusedError(`${setting}: ${err.message}`);
    throw err;
  }
  const { data } = await client.rest.issues.get({ owner, repo, issue_number: effect.number });
  return moveToColumn(client, shape, data.node_id, column);
}

async function moveByLabels(
  client: GitHubClient,
  effect: MoveToColumnEffect,
  labels: Record<string, string>,
  setting: string,
): Promise<unknown> {
  const [owner = "", repo = ""] = effect.repo.split("/");
  const wanted = labels[effect.column];
  if (wanted === undefined) {
    throw new EffectRefusedError(
      `${setting}: no column ${JSON.stringify(effect.column)} in its labels; the columns are ${quoted(Object.keys(labels)) || "none"}`,
    );
  }
  const { data } = await client.rest.issues.get({ owner, repo, issue_number: effect.number });
  const has = new Set(
    data.labels.map((l) => (typeof l === "string" ? l : (l.name ?? "")).toLowerCase()),
  );
  const others = Object.values(labels).filter(
    (l) => l.toLowerCase() !== wanted.toLowerCase() && has.has(l.toLowerCase()),
  );
  const add = !has.has(wanted.toLowerCase());
  if (add) {
    await client.rest.issues.addLabels({
      owner,
      repo,
      issue_number: effect.number,
      labels: [wanted],
    });
  }
  for (const name of others) {
    await client.rest.issues.removeLabel({ owner, repo, issue_number: effect.number, name });
  }
  return {
    column: effect.column,
    label: wanted,
    removed: others,
    unchanged: !add && others.length === 0,
  };
}

/** The GraphQL documents this module sends, for the contract tests against GitHub's schema. */
export const BOARD_DOCUMENTS = { SHAPE, ITEMS, ITEMS_OF_CONTENT, ADD, UPDATE } as const;
