import type {
  CommentRec,
  IssueEventRec,
  IssueRec,
  LabelRec,
  MilestoneRec,
  RepoData,
  RepoRec,
  UserRec,
} from "./model.js";
import type { OrgPeople } from "./people-model.js";

/** Id sequences start at realistic magnitudes so ids look like GitHub's. */
const ID_STARTS = {
  user: 1_000_000,
  repo: 200_000_000,
  label: 1_500_000_000,
  milestone: 9_000_000,
  issue: 1_800_000_000,
  comment: 1_900_000_000,
  event: 12_000_000_000,
  review: 2_100_000_000,
  status: 30_000_000_000,
  checkRun: 20_000_000_000,
  release: 150_000_000,
  delivery: 50_000_000_000,
} as const;

export type IdKind = keyof typeof ID_STARTS;

/** Per-repository lookups rebuilt from the arrays, never persisted. */
interface RepoIndex {
  commentsByIssue: Map<number, CommentRec[]>;
  eventsByIssue: Map<number, IssueEventRec[]>;
}

/**
 * The emulator's whole state, in memory. Mutations go through ../domain/ (which also
 * records issue events and webhooks) or through the generator; both call touch() so the
 * persistence layer knows to write a snapshot.
 */
export class EmulatorState {
  readonly users = new Map<string, UserRec>();
  readonly repos = new Map<string, RepoData>();
  /** Organisation logins: owners of repositories that are orgs. */
  readonly orgs = new Set<string>();
  /** Members and teams per organisation, by lower-cased login (./people.ts). */
  readonly people = new Map<string, OrgPeople>();
  ids: Record<IdKind, number> = { ...ID_STARTS };
  installationId = 40_000_000;
  /** Bumped on every change; persistence and caches compare it. */
  version = 0;
  private readonly indexes = new Map<string, RepoIndex>();
  private readonly listeners = new Set<() => void>();

  nextId(kind: IdKind): number {
    this.ids[kind] += 1;
    return this.ids[kind];
  }

  touch(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  ensureUser(login: string, createdAt = 1_300_000_000_000): UserRec {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      const type = login.endsWith("[bot]") ? "Bot" : this.orgs.has(key) ? "Organization" : "User";
      user = { id: this.nextId("user"), login, type, name: null, createdAt };
      this.users.set(key, user);
    }
    return user;
  }

  user(login: string): UserRec | undefined {
    return this.users.get(login.toLowerCase());
  }

  addRepo(repo: RepoRec): RepoData {
    const data: RepoData = {
      repo,
      labels: [],
      milestones: [],
      issues: [],
      comments: [],
      events: [],
      reviews: [],
      statuses: [],
      checkRuns: [],
      releases: [],
      variables: [],
    };
    this.repos.set(repoKey(repo.owner, repo.name), data);
    return data;
  }

  repo(owner: string, name: string): RepoData | undefined {
    return this.repos.get(repoKey(owner, name));
  }

  issue(data: RepoData, number: number): IssueRec | undefined {
    return Number.isInteger(number) && number > 0 ? data.issues[number - 1] : undefined;
  }

  label(data: RepoData, name: string): LabelRec | undefined {
    const wanted = name.toLowerCase();
    return data.labels.find((l) => l.name.toLowerCase() === wanted);
  }

  milestone(data: RepoData, number: number): MilestoneRec | undefined {
    return data.milestones.find((m) => m.number === number);
  }

  addIssue(data: RepoData, issue: IssueRec): void {
    if (issue.number !== data.issues.length + 1) {
      throw new Error(
        `issue numbers are dense: expected ${data.issues.length + 1}, got ${issue.number}`,
      );
    }
    data.issues.push(issue);
    data.repo.nextNumber = issue.number + 1;
  }

  // The index is fetched before the push: building it reads the arrays, and must not see
  // the new record twice.
  addComment(data: RepoData, comment: CommentRec): void {
    const index = this.index(data);
    data.comments.push(comment);
    pushTo(index.commentsByIssue, comment.issueNumber, comment);
  }

  addEvent(data: RepoData, event: IssueEventRec): void {
    const index = this.index(data);
    data.events.push(event);
    pushTo(index.eventsByIssue, event.issueNumber, event);
  }

  /** Removes a comment from the repository and its issue's index. */
  removeComment(data: RepoData, comment: CommentRec): void {
    const index = this.index(data);
    data.comments.splice(data.comments.indexOf(comment), 1);
    const ofIssue = index.commentsByIssue.get(comment.issueNumber);
    if (ofIssue) ofIssue.splice(ofIssue.indexOf(comment), 1);
  }

  commentsOf(data: RepoData, issueNumber: number): CommentRec[] {
    return this.index(data).commentsByIssue.get(issueNumber) ?? [];
  }

  eventsOf(data: RepoData, issueNumber: number): IssueEventRec[] {
    return this.index(data).eventsByIssue.get(issueNumber) ?? [];
  }

  /** Generators append out of time order; this restores the documented ordering. */
  sortHistory(data: RepoData): void {
    const byTime = (a: { createdAt: number; id: number }, b: { createdAt: number; id: number }) =>
      a.createdAt - b.createdAt || a.id - b.id;
    data.comments.sort(byTime);
    data.events.sort(byTime);
    this.indexes.delete(repoKey(data.repo.owner, data.repo.name));
  }

  private index(data: RepoData): RepoIndex {
    const key = repoKey(data.repo.owner, data.repo.name);
    let index = this.indexes.get(key);
    if (!index) {
      index = { commentsByIssue: new Map(), eventsByIssue: new Map() };
      for (const c of data.comments) pushTo(index.commentsByIssue, c.issueNumber, c);
      for (const e of data.events) pushTo(index.eventsByIssue, e.issueNumber, e);
      this.indexes.set(key, index);
    }
    return index;
  }
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

function pushTo<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
