// GitHub Projects (ProjectV2) boards of the emulated organisations: projects with fields (a
// single-select "Status" whose options are the board's columns) and items that link issues and
// pull requests. Kept beside EmulatorState (one per state), seeded on first use from the
// organisation's stories, so every generated organisation has the handbook's boards.
import { createHash } from "node:crypto";
import type { IssueRec, Millis, RepoData } from "./model.js";
import type { EmulatorState } from "./state.js";

/** GitHub's ProjectV2SingleSelectFieldOptionColor. */
export type OptionColor =
  | "BLUE"
  | "GRAY"
  | "GREEN"
  | "ORANGE"
  | "PINK"
  | "PURPLE"
  | "RED"
  | "YELLOW";

export interface ProjectOptionRec {
  /** GitHub's option ids are 8 hex digits, unique within the field. */
  id: string;
  name: string;
  color: OptionColor;
  description: string;
}

export interface ProjectFieldRec {
  id: number;
  name: string;
  /** ProjectV2FieldType: the emulator serves the title and single-select fields. */
  dataType: "TITLE" | "SINGLE_SELECT";
  options: ProjectOptionRec[];
  createdAt: Millis;
  updatedAt: Millis;
}

export interface ProjectItemRec {
  id: number;
  /** `owner/name` of the content's repository, as the repository spells it. */
  repo: string;
  issueNumber: number;
  contentType: "Issue" | "PullRequest";
  creator: string;
  createdAt: Millis;
  updatedAt: Millis;
  /** Single-select values: field id → option id. */
  values: Record<number, { optionId: string; updatedAt: Millis; creator: string }>;
}

export interface ProjectRec {
  id: number;
  /** The organisation's login. */
  owner: string;
  number: number;
  title: string;
  creator: string;
  closed: boolean;
  createdAt: Millis;
  updatedAt: Millis;
  fields: ProjectFieldRec[];
  items: ProjectItemRec[];
}

/** The boards every generated organisation gets: the newer handbook's, with its columns. */
export const DEFAULT_BOARDS: readonly { title: string; columns: readonly string[] }[] = [
  {
    title: "Engineering board",
    columns: ["Ready", "In progress", "Awaiting QA", "Ready for release", "Confirm and celebrate"],
  },
  {
    title: "Drafting",
    columns: ["New requests", "Prioritized", "User story review", "Ready"],
  },
];

const COLORS: readonly OptionColor[] = ["GRAY", "BLUE", "YELLOW", "ORANGE", "PURPLE", "GREEN"];
/** Seeded stories per board, so a 40,000-item organisation keeps small boards. */
const SEEDED_ITEMS = 60;

export class ProjectsState {
  readonly projects: ProjectRec[] = [];
  /** GraphQL mutations that changed a board: tests read it to see that a rerun writes nothing. */
  writes = 0;
  private nextIds = { project: 18_000_000, field: 120_000_000, item: 90_000_000 };

  constructor(private readonly state: EmulatorState) {}

  nextId(kind: "project" | "field" | "item"): number {
    this.nextIds[kind] += 1;
    return this.nextIds[kind];
  }

  project(owner: string, number: number): ProjectRec | undefined {
    const key = owner.toLowerCase();
    return this.projects.find((p) => p.owner.toLowerCase() === key && p.number === number);
  }

  byId(id: number): ProjectRec | undefined {
    return this.projects.find((p) => p.id === id);
  }

  /** A new project with a Title field and a single-select Status field of these columns. */
  addProject(
    owner: string,
    title: string,
    columns: readonly string[],
    at: Millis,
    creator = owner,
  ): ProjectRec {
    const id = this.nextId("project");
    const number =
      1 + this.projects.filter((p) => p.owner.toLowerCase() === owner.toLowerCase()).length;
    const field = (name: string, dataType: ProjectFieldRec["dataType"]): ProjectFieldRec => ({
      id: this.nextId("field"),
      name,
      dataType,
      options: [],
      createdAt: at,
      updatedAt: at,
    });
    const status = field("Status", "SINGLE_SELECT");
    status.options = columns.map((name, i) => ({
      id: optionId(id, name),
      name,
      color: COLORS[i % COLORS.length]!,
      description: "",
    }));
    const project: ProjectRec = {
      id,
      owner,
      number,
      title,
      creator,
      closed: false,
      createdAt: at,
      updatedAt: at,
      fields: [field("Title", "TITLE"), status],
      items: [],
    };
    this.projects.push(project);
    return project;
  }

  /** Adds the content as an item, or returns the item it already is (GitHub's rule too). */
  addItem(
    project: ProjectRec,
    data: RepoData,
    issue: IssueRec,
    creator: string,
    at: Millis,
  ): { item: ProjectItemRec; created: boolean } {
    const repo = `${data.repo.owner}/${data.repo.name}`;
    const existing = project.items.find(
      (i) => i.repo.toLowerCase() === repo.toLowerCase() && i.issueNumber === issue.number,
    );
    if (existing) return { item: existing, created: false };
    const item: ProjectItemRec = {
      id: this.nextId("item"),
      repo,
      issueNumber: issue.number,
      contentType: issue.pull ? "PullRequest" : "Issue",
      creator,
      createdAt: at,
      updatedAt: at,
      values: {},
    };
    project.items.push(item);
    project.updatedAt = at;
    return { item, created: true };
  }

  /** The items, over every project, that link this issue or pull request. */
  itemsOf(data: RepoData, issueNumber: number): { project: ProjectRec; item: ProjectItemRec }[] {
    const repo = `${data.repo.owner}/${data.repo.name}`.toLowerCase();
    const out: { project: ProjectRec; item: ProjectItemRec }[] = [];
    for (const project of this.projects)
      for (const item of project.items)
        if (item.repo.toLowerCase() === repo && item.issueNumber === issueNumber)
          out.push({ project, item });
    return out;
  }

  /** The item's repository and issue record, when the content still exists. */
  content(item: ProjectItemRec): { data: RepoData; issue: IssueRec } | undefined {
    const [owner, name] = item.repo.split("/");
    const data = owner && name ? this.state.repo(owner, name) : undefined;
    const issue = data && this.state.issue(data, item.issueNumber);
    return data && issue ? { data, issue } : undefined;
  }

  /** Seeds the handbook's boards for every organisation that has none yet. */
  seed(at: Millis): void {
    for (const org of this.state.orgs) {
      if (this.projects.some((p) => p.owner.toLowerCase() === org)) continue;
      const login = this.state.user(org)?.login ?? org;
      const repos = [...this.state.repos.values()].filter(
        (d) => d.repo.owner.toLowerCase() === org,
      );
      const stories = repos.flatMap((data) =>
        data.issues
          .filter((i) => i.state === "open" && !i.pull && i.labels.includes("story"))
          .slice(0, SEEDED_ITEMS)
          .map((issue) => ({ data, issue })),
      );
      for (const [index, board] of DEFAULT_BOARDS.entries()) {
        const project = this.addProject(login, board.title, board.columns, at);
        const status = project.fields.find((f) => f.dataType === "SINGLE_SELECT")!;
        // Stories alternate between the boards, each placed in a column by its number.
        for (const { data, issue } of stories.filter(
          (_, i) => i % DEFAULT_BOARDS.length === index,
        )) {
          const { item } = this.addItem(project, data, issue, login, issue.createdAt);
          const option = status.options[issue.number % status.options.length]!;
          item.values[status.id] = {
            optionId: option.id,
            updatedAt: issue.createdAt,
            creator: login,
          };
        }
      }
    }
  }
}

function optionId(projectId: number, name: string): string {
  return createHash("sha256").update(`${projectId}:${name}`).digest("hex").slice(0, 8);
}

const all = new WeakMap<EmulatorState, ProjectsState>();

/**
 * The state's boards. The generator seeds them; an organisation without any (a state restored
 * from a snapshot, which does not hold boards) gets them here on first use.
 */
export function projectsOf(state: EmulatorState, now: Millis): ProjectsState {
  let projects = all.get(state);
  if (!projects) {
    projects = new ProjectsState(state);
    all.set(state, projects);
  }
  projects.seed(now);
  return projects;
}
