// GitHub Projects (ProjectV2): an organisation's boards, their fields and items, and the two
// mutations that put an issue on a board and move it to a column, with GitHub's
// projects_v2_item webhooks.
import { GraphQLError } from "graphql";
import { iso } from "../../clock.js";
import type { Core } from "../../core.js";
import { nodeId, parseNodeId } from "../../render/context.js";
import { simpleUser } from "../../render/users.js";
import type { IssueRec, RepoData } from "../../state/model.js";
import {
  type ProjectFieldRec,
  type ProjectItemRec,
  type ProjectRec,
  type ProjectsState,
  projectsOf,
} from "../../state/projects.js";
import { envelope } from "../../webhooks/payloads.js";
import { type ConnectionArgs, connection } from "../connection.js";
import type { GraphQLContext, GraphQLModule } from "../schema.js";
import { notFoundError, repositoryObject } from "./core.js";

// Node-id kinds: GitHub's own prefixes (PVT_, PVTI_, ...), since parseNodeId reads a kind
// as letters only and "ProjectV2" has a digit.
const KIND = {
  project: "PVT",
  item: "PVTI",
  field: "PVTF",
  singleSelect: "PVTSSF",
  textValue: "PVTFTV",
  singleSelectValue: "PVTFSV",
} as const;

const boards = (ctx: GraphQLContext) => projectsOf(ctx.core.state, ctx.core.clock.now());

interface ProjectObject {
  rec: ProjectRec;
}
interface ItemObject {
  rec: ProjectItemRec;
  project: ProjectRec;
}
interface ContentObject {
  data: RepoData;
  issue: IssueRec;
}

function projectObject(rec: ProjectRec) {
  return {
    __typename: "ProjectV2",
    id: nodeId(KIND.project, rec.id),
    number: rec.number,
    title: rec.title,
    closed: rec.closed,
    createdAt: iso(rec.createdAt),
    updatedAt: iso(rec.updatedAt),
    rec,
  };
}

function fieldObject(field: ProjectFieldRec) {
  const typename =
    field.dataType === "SINGLE_SELECT" ? "ProjectV2SingleSelectField" : "ProjectV2Field";
  return {
    __typename: typename,
    id: nodeId(field.dataType === "SINGLE_SELECT" ? KIND.singleSelect : KIND.field, field.id),
    name: field.name,
    dataType: field.dataType,
    rec: field,
  };
}

function itemObject(rec: ProjectItemRec, project: ProjectRec) {
  return {
    __typename: "ProjectV2Item",
    id: nodeId(KIND.item, rec.id),
    type: rec.contentType === "PullRequest" ? "PULL_REQUEST" : "ISSUE",
    isArchived: false,
    createdAt: iso(rec.createdAt),
    updatedAt: iso(rec.updatedAt),
    rec,
    project,
  };
}

function contentObject(data: RepoData, issue: IssueRec) {
  const pull = issue.pull;
  const state = pull?.merged ? "MERGED" : issue.state === "open" ? "OPEN" : "CLOSED";
  return {
    __typename: pull ? "PullRequest" : "Issue",
    id: nodeId(pull ? "PullRequest" : "Issue", issue.id),
    number: issue.number,
    title: issue.title,
    state,
    repository: repositoryObject(data),
    data,
    issue,
  };
}

/** The item's value for one field, as GitHub's union member; null when it has none. */
function fieldValue(projects: ProjectsState, item: ProjectItemRec, field: ProjectFieldRec) {
  const key = `${item.id}_${field.id}`;
  if (field.dataType === "TITLE") {
    const content = projects.content(item);
    if (!content) return null;
    return {
      __typename: "ProjectV2ItemFieldTextValue",
      id: nodeId(KIND.textValue, key),
      field: fieldObject(field),
      updatedAt: iso(item.updatedAt),
      text: content.issue.title,
    };
  }
  const value = item.values[field.id];
  const option = value && field.options.find((o) => o.id === value.optionId);
  if (!value || !option) return null;
  return {
    __typename: "ProjectV2ItemFieldSingleSelectValue",
    id: nodeId(KIND.singleSelectValue, key),
    field: fieldObject(field),
    updatedAt: iso(value.updatedAt),
    name: option.name,
    optionId: option.id,
  };
}

function projectItemsOf(ctx: GraphQLContext, parent: ContentObject, args: ConnectionArgs) {
  const found = boards(ctx).itemsOf(parent.data, parent.issue.number);
  return connection("projectItems", found, args, ({ item, project }) => itemObject(item, project));
}

/** A node id of the given kinds, or GitHub's NOT_FOUND for the argument. */
function idOf(id: string, types: readonly string[]): string {
  const parsed = parseNodeId(id);
  if (!parsed || !types.includes(parsed.type)) {
    throw notFoundError(`Could not resolve to a node with the global id of '${id}'`);
  }
  return parsed.key;
}

function projectById(ctx: GraphQLContext, id: string): ProjectRec {
  const rec = boards(ctx).byId(Number(idOf(id, [KIND.project])));
  if (!rec) throw notFoundError(`Could not resolve to a node with the global id of '${id}'`);
  return rec;
}

/** The issue or pull request a content id names (REST's issue, pull and issue-of-a-pull ids). */
function contentById(ctx: GraphQLContext, id: string): ContentObject {
  const key = Number(idOf(id, ["Issue", "PullRequest", "PullRequestIssue"]));
  for (const data of ctx.core.state.repos.values()) {
    const issue = data.issues.find((i) => i.id === key);
    if (issue) return { data, issue };
  }
  throw notFoundError(`Could not resolve to a node with the global id of '${id}'`);
}

function contentNode(ctx: GraphQLContext, key: string) {
  for (const data of ctx.core.state.repos.values()) {
    const issue = data.issues.find((i) => String(i.id) === key);
    if (issue) return contentObject(data, issue);
  }
  return undefined;
}

/** projects_v2_item, as GitHub sends it: the organisation and sender, no repository. */
function emitItem(
  core: Core,
  project: ProjectRec,
  item: ProjectItemRec,
  sender: string,
  fields: Record<string, unknown>,
): void {
  const projects = projectsOf(core.state, core.clock.now());
  const content = projects.content(item);
  const around = content ? envelope(core, content.data, sender) : {};
  const payload: Record<string, unknown> = {
    ...fields,
    projects_v2_item: {
      id: item.id,
      node_id: nodeId(KIND.item, item.id),
      project_node_id: nodeId(KIND.project, project.id),
      content_node_id: content ? contentObject(content.data, content.issue).id : "",
      content_type: item.contentType,
      creator: simpleUser(core.render, item.creator),
      created_at: iso(item.createdAt),
      updated_at: iso(item.updatedAt),
      archived_at: null,
    },
    sender: simpleUser(core.render, sender),
  };
  if (around.organization && content?.data.repo.owner.toLowerCase() === project.owner.toLowerCase())
    payload.organization = around.organization;
  core.hooks.emit("projects_v2_item", payload);
}

interface AddInput {
  clientMutationId?: string | null;
  projectId: string;
  contentId: string;
}

interface UpdateInput {
  clientMutationId?: string | null;
  projectId: string;
  itemId: string;
  fieldId: string;
  value: { singleSelectOptionId?: string | null; text?: string | null };
}

export const projectsModule: GraphQLModule = {
  resolvers: {
    "Organization.projectV2": (parent: { login: string }, args: { number: number }, ctx) => {
      const rec = boards(ctx).project(parent.login, args.number);
      if (!rec) {
        throw notFoundError(`Could not resolve to a ProjectV2 with the number ${args.number}.`);
      }
      return projectObject(rec);
    },
    "ProjectV2.fields": (parent: ProjectObject, args: ConnectionArgs) =>
      connection("fields", parent.rec.fields, args, fieldObject),
    "ProjectV2.field": (parent: ProjectObject, args: { name: string }) => {
      const field = parent.rec.fields.find((f) => f.name === args.name);
      return field ? fieldObject(field) : null;
    },
    "ProjectV2.items": (parent: ProjectObject, args: ConnectionArgs) =>
      connection("items", parent.rec.items, args, (item) => itemObject(item, parent.rec)),
    "ProjectV2SingleSelectField.options": (
      parent: { rec: ProjectFieldRec },
      args: { names?: string[] | null },
    ) =>
      parent.rec.options
        .filter((o) => !args.names || args.names.includes(o.name))
        .map((o) => ({ ...o })),
    "ProjectV2Item.project": (parent: ItemObject) => projectObject(parent.project),
    "ProjectV2Item.content": (parent: ItemObject, _args, ctx) => {
      const content = boards(ctx).content(parent.rec);
      return content ? contentObject(content.data, content.issue) : null;
    },
    "ProjectV2Item.fieldValues": (parent: ItemObject, args: ConnectionArgs, ctx) => {
      const projects = boards(ctx);
      const values = parent.project.fields
        .map((field) => fieldValue(projects, parent.rec, field))
        .filter((v) => v !== null);
      return connection("fieldValues", values, args, (v) => v);
    },
    "ProjectV2Item.fieldValueByName": (parent: ItemObject, args: { name: string }, ctx) => {
      const field = parent.project.fields.find((f) => f.name === args.name);
      return field ? fieldValue(boards(ctx), parent.rec, field) : null;
    },
    "Issue.projectItems": (parent: ContentObject, args: ConnectionArgs, ctx) =>
      projectItemsOf(ctx, parent, args),
    "PullRequest.projectItems": (parent: ContentObject, args: ConnectionArgs, ctx) =>
      projectItemsOf(ctx, parent, args),

    "Mutation.addProjectV2ItemById": (_root, args: { input: AddInput }, ctx) => {
      const { input } = args;
      const project = projectById(ctx, input.projectId);
      const { data, issue } = contentById(ctx, input.contentId);
      const projects = boards(ctx);
      projects.writes += 1;
      const now = ctx.core.clock.now();
      const { item, created } = projects.addItem(project, data, issue, ctx.viewer, now);
      if (created) {
        ctx.core.state.touch();
        emitItem(ctx.core, project, item, ctx.viewer, { action: "created" });
      }
      return {
        clientMutationId: input.clientMutationId ?? null,
        item: itemObject(item, project),
      };
    },
    "Mutation.updateProjectV2ItemFieldValue": (_root, args: { input: UpdateInput }, ctx) => {
      const { input } = args;
      const project = projectById(ctx, input.projectId);
      const itemKey = Number(idOf(input.itemId, [KIND.item]));
      const item = project.items.find((i) => i.id === itemKey);
      if (!item)
        throw notFoundError(`Could not resolve to a node with the global id of '${input.itemId}'`);
      const fieldKey = Number(idOf(input.fieldId, [KIND.singleSelect, KIND.field]));
      const field = project.fields.find((f) => f.id === fieldKey);
      if (!field)
        throw notFoundError(`Could not resolve to a node with the global id of '${input.fieldId}'`);
      const optionId = input.value.singleSelectOptionId;
      if (field.dataType !== "SINGLE_SELECT" || optionId == null) {
        // The emulator's boards change only single-select fields, as Bosun moves cards.
        throw new GraphQLError(`The field ${field.name} cannot be updated with this value`, {
          extensions: { type: "UNPROCESSABLE" },
        });
      }
      if (!field.options.some((o) => o.id === optionId)) {
        throw new GraphQLError("The single select option Id does not belong to the field", {
          extensions: { type: "UNPROCESSABLE" },
        });
      }
      const projects = boards(ctx);
      projects.writes += 1;
      const now = ctx.core.clock.now();
      item.values[field.id] = { optionId, updatedAt: now, creator: ctx.viewer };
      item.updatedAt = now;
      project.updatedAt = now;
      ctx.core.state.touch();
      emitItem(ctx.core, project, item, ctx.viewer, {
        action: "edited",
        changes: {
          field_value: { field_type: "single_select", field_node_id: fieldObject(field).id },
        },
      });
      return {
        clientMutationId: input.clientMutationId ?? null,
        projectV2Item: itemObject(item, project),
      };
    },
  },
  nodes: {
    // Content ids as REST hands them out (an issue, a pull request, a pull request's issue).
    Issue: (key, ctx) => contentNode(ctx, key),
    PullRequest: (key, ctx) => contentNode(ctx, key),
    PullRequestIssue: (key, ctx) => contentNode(ctx, key),
    [KIND.project]: (key, ctx) => {
      const rec = boards(ctx).byId(Number(key));
      return rec ? projectObject(rec) : undefined;
    },
    [KIND.item]: (key, ctx) => {
      for (const project of boards(ctx).projects) {
        const item = project.items.find((i) => String(i.id) === key);
        if (item) return itemObject(item, project);
      }
      return undefined;
    },
  },
};
