// Copies GitHub into the store: a full sync once, then cheap incremental syncs. Every cursor is
// written only after the data it covers is stored, so a sync killed at any point resumes without
// duplicating or missing anything.
import type { Store } from "../store/index.js";
import type { GitHubClient } from "./client.js";
import {
  normalizeBranch,
  normalizeIssue,
  normalizeIssueEvent,
  normalizeLabel,
  normalizeMilestone,
  normalizePull,
  normalizeTag,
  pullBranchFields,
} from "./normalize.js";
import { type Page, pages } from "./pages.js";

/** The cursor whose value `complete` means a repository's first full sync is in the store. */
export const FULL_SYNC = "full-sync";

const CURSOR = {
  issues: "issues", // latest updated_at stored from the issues list (GitHub's `since` is inclusive)
  pullsFull: "pulls-full", // last page of the created-ascending pulls list stored during full sync
  pulls: "pulls", // latest updated_at stored from the pulls list
  eventsFull: "events-full", // last page of the newest-first events feed stored during full sync
  eventsHead: "events-head", // the newest event id when the full events walk began
  events: "events", // newest event id stored
  refresh: "refresh", // incremental runs since labels, milestones and refs were last refreshed
} as const;

export type SyncProgress = (phase: string, done: number, total: number) => void;

export interface SyncDeps {
  client: GitHubClient;
  store: Store;
  onProgress?: SyncProgress;
  log?: { info(obj: object, msg: string): void };
  /** Aborted (shutdown): the sync stops before its next page; the cursors say where to resume. */
  signal?: AbortSignal;
}

export interface SyncReport {
  repo: string;
  kind: "full" | "incremental";
  issues: number;
  pulls: number;
  events: number;
  requests: number;
  notModified: number;
}

/** Brings a repository's store up to date: the full sync if it never finished, else an incremental one. */
export async function syncRepository(
  deps: SyncDeps,
  repo: string,
  options: { refreshAll?: boolean } = {},
): Promise<SyncReport> {
  const done = await deps.store.getCursor(repo, FULL_SYNC);
  return done?.cursor === "complete" ? incrementalSync(deps, repo, options) : fullSync(deps, repo);
}

export async function fullSync(deps: SyncDeps, repo: string): Promise<SyncReport> {
  const run = new Run(deps, repo, "full");
  await run.repository();
  await run.labels();
  await run.milestones();
  await run.issues();
  await run.pullsByCreation();
  await run.eventsFull();
  await run.refs();
  await deps.store.setCursor(repo, FULL_SYNC, { cursor: "complete" });
  return run.report;
}

/**
 * What changed since the last sync: issues and PRs by `since`, PR branches by update time, the
 * events feed down to the newest known event. Labels, milestones and refs are refreshed every
 * tenth run (webhooks keep them current in between), or when asked.
 */
export async function incrementalSync(
  deps: SyncDeps,
  repo: string,
  options: { refreshAll?: boolean; refreshEvery?: number } = {},
): Promise<SyncReport> {
  const run = new Run(deps, repo, "incremental");
  await run.issuesSinceKnown();
  await run.pullsByUpdate();
  await run.eventsSinceKnown();
  const every = options.refreshEvery ?? 10;
  const counter = Number((await deps.store.getCursor(repo, CURSOR.refresh))?.cursor ?? 0) + 1;
  if (options.refreshAll || counter >= every) {
    await run.labels();
    await run.milestones();
    await run.refs();
    await deps.store.setCursor(repo, CURSOR.refresh, { cursor: "0" });
  } else {
    await deps.store.setCursor(repo, CURSOR.refresh, { cursor: String(counter) });
  }
  return run.report;
}

class Run {
  readonly report: SyncReport;
  private readonly owner: string;
  private readonly name: string;

  constructor(
    private readonly deps: SyncDeps,
    private readonly repo: string,
    kind: SyncReport["kind"],
  ) {
    const [owner, name] = repo.split("/");
    if (!owner || !name)
      throw new Error(`not a repository full name: ${JSON.stringify(repo)} (owner/name)`);
    this.owner = owner;
    this.name = name;
    this.report = { repo, kind, issues: 0, pulls: 0, events: 0, requests: 0, notModified: 0 };
  }

  private get store() {
    return this.deps.store;
  }

  private progress(phase: string, page: Page<unknown>) {
    this.deps.onProgress?.(`${phase} ${this.repo}`, page.page, page.lastPage ?? page.page + 1);
  }

  private async *walk<T>(route: string, params: Record<string, string | number | undefined>) {
    for await (const page of pages<T>(
      this.deps.client,
      route,
      { owner: this.owner, repo: this.name, ...params },
      this.deps.signal,
    )) {
      this.report.requests += 1;
      if (page.notModified) this.report.notModified += 1;
      yield page;
    }
  }

  async repository() {
    const response = await this.deps.client.rest.repos.get({ owner: this.owner, repo: this.name });
    this.report.requests += 1;
    if (isNotModified(response)) {
      this.report.notModified += 1;
      return;
    }
    const data = response.data;
    await this.store.upsertRepository({
      fullName: this.repo,
      githubId: data.id,
      defaultBranch: data.default_branch,
      private: data.private,
      archived: data.archived,
      createdAt: data.created_at,
      updatedAt: data.updated_at,
      raw: data,
    });
  }

  async labels() {
    const seen = new Set<string>();
    for await (const page of this.walk<unknown>("GET /repos/{owner}/{repo}/labels", {})) {
      if (page.notModified) return;
      for (const raw of page.items) {
        const label = normalizeLabel(this.repo, raw);
        seen.add(label.name);
        await this.store.upsertLabel(label);
      }
    }
    for (const stored of await this.store.listLabels(this.repo)) {
      if (!seen.has(stored.name)) await this.store.deleteLabel(this.repo, stored.name);
    }
  }

  async milestones() {
    for await (const page of this.walk<unknown>("GET /repos/{owner}/{repo}/milestones", {
      state: "all",
    })) {
      for (const raw of page.items)
        await this.store.upsertMilestone(normalizeMilestone(this.repo, raw));
    }
  }

  /** Issues and PRs in update order from the stored `since`; the cursor follows each stored page. */
  async issues() {
    const since = (await this.store.getCursor(this.repo, CURSOR.issues))?.cursor ?? undefined;
    const params = { state: "all", sort: "updated", direction: "asc", since };
    for await (const page of this.walk<{ updated_at: string }>(
      "GET /repos/{owner}/{repo}/issues",
      params,
    )) {
      if (page.items.length === 0) continue;
      await this.store.upsertIssues(page.items.map((raw) => normalizeIssue(this.repo, raw)));
      this.report.issues += page.items.length;
      await this.store.setCursor(this.repo, CURSOR.issues, {
        cursor: page.items.at(-1)!.updated_at,
      });
      this.progress("issues", page);
    }
  }

  /**
   * Incremental: newest first down to the cursor. Newest first because a change moves an item to
   * the front: page 1 answers 304 only when nothing changed, even when more than a page of items
   * share the cursor's second (a bulk edit), which an oldest-first walk would answer 304 for.
   */
  async issuesSinceKnown() {
    const since = (await this.store.getCursor(this.repo, CURSOR.issues))?.cursor ?? undefined;
    if (since === undefined) return this.issues();
    let newest = since;
    const params = { state: "all", sort: "updated", direction: "desc", since };
    for await (const page of this.walk<{ updated_at: string }>(
      "GET /repos/{owner}/{repo}/issues",
      params,
    )) {
      if (page.items.length === 0) continue;
      await this.store.upsertIssues(page.items.map((raw) => normalizeIssue(this.repo, raw)));
      this.report.issues += page.items.length;
      for (const item of page.items) if (item.updated_at > newest) newest = item.updated_at;
    }
    // Written only once every page down to the old cursor is stored: a crash re-reads, never skips.
    if (newest !== since) await this.store.setCursor(this.repo, CURSOR.issues, { cursor: newest });
  }

  /** Full sync: PR branches in creation order, which new PRs cannot reshuffle, so a page cursor is safe. */
  async pullsByCreation() {
    const done = Number((await this.store.getCursor(this.repo, CURSOR.pullsFull))?.cursor ?? 0);
    const params = { state: "all", sort: "created", direction: "asc", page: done + 1 };
    let latest = (await this.store.getCursor(this.repo, CURSOR.pulls))?.cursor ?? "";
    for await (const page of this.walk<{ updated_at: string }>(
      "GET /repos/{owner}/{repo}/pulls",
      params,
    )) {
      if (page.items.length === 0) continue;
      await this.storePulls(page.items);
      for (const p of page.items) if (p.updated_at > latest) latest = p.updated_at;
      await this.store.setCursor(this.repo, CURSOR.pullsFull, { cursor: String(page.page) });
      this.progress("pulls", page);
    }
    if (latest) await this.store.setCursor(this.repo, CURSOR.pulls, { cursor: latest });
  }

  /** Incremental: the most recently updated PRs first, down to the last one already stored. */
  async pullsByUpdate() {
    const since = (await this.store.getCursor(this.repo, CURSOR.pulls))?.cursor ?? "";
    let latest = since;
    const params = { state: "all", sort: "updated", direction: "desc" };
    for await (const page of this.walk<{ updated_at: string }>(
      "GET /repos/{owner}/{repo}/pulls",
      params,
    )) {
      const fresh = page.items.filter((p) => p.updated_at >= since);
      if (fresh.length > 0) await this.storePulls(fresh);
      for (const p of fresh) if (p.updated_at > latest) latest = p.updated_at;
      if (fresh.length < page.items.length) break;
    }
    if (latest !== since) await this.store.setCursor(this.repo, CURSOR.pulls, { cursor: latest });
  }

  private async storePulls(items: unknown[]) {
    const missing = new Set(
      await this.store.setPullBranches(
        this.repo,
        items.map((raw) => pullBranchFields(this.repo, raw)),
      ),
    );
    // A PR opened after the issues pass has no row yet: store it whole from the pulls API.
    for (const raw of items) {
      const n = (raw as { number: number }).number;
      if (missing.has(n)) await this.store.upsertIssue(normalizePull(this.repo, raw));
    }
    this.report.pulls += items.length;
  }

  /** Full sync: the whole events feed, newest first; new events push old ones to later pages, never earlier. */
  async eventsFull() {
    const done = Number((await this.store.getCursor(this.repo, CURSOR.eventsFull))?.cursor ?? 0);
    let head = (await this.store.getCursor(this.repo, CURSOR.eventsHead))?.cursor ?? undefined;
    for await (const page of this.walk<{ id: number }>("GET /repos/{owner}/{repo}/issues/events", {
      page: done + 1,
    })) {
      if (page.items.length === 0) continue;
      if (head === undefined) {
        head = String(page.items[0]!.id);
        await this.store.setCursor(this.repo, CURSOR.eventsHead, { cursor: head });
      }
      await this.storeEvents(page.items);
      await this.store.setCursor(this.repo, CURSOR.eventsFull, { cursor: String(page.page) });
      this.progress("events", page);
    }
    // Events newer than the walk's first page are fetched by the next incremental sync.
    if (head !== undefined) await this.store.setCursor(this.repo, CURSOR.events, { cursor: head });
  }

  /** Incremental: newest first until an event already stored; unchanged feeds answer 304. */
  async eventsSinceKnown() {
    const known = Number((await this.store.getCursor(this.repo, CURSOR.events))?.cursor ?? 0);
    let newest = known;
    for await (const page of this.walk<{ id: number }>(
      "GET /repos/{owner}/{repo}/issues/events",
      {},
    )) {
      const fresh = page.items.filter((e) => e.id > known);
      if (fresh.length > 0) await this.storeEvents(fresh);
      for (const e of fresh) newest = Math.max(newest, e.id);
      if (fresh.length < page.items.length) break;
    }
    if (newest !== known)
      await this.store.setCursor(this.repo, CURSOR.events, { cursor: String(newest) });
  }

  private async storeEvents(items: unknown[]) {
    this.report.events += await this.store.insertIssueEvents(
      items.map((raw) => normalizeIssueEvent(this.repo, raw)),
    );
  }

  async refs() {
    const heads = await this.matchingRefs("heads");
    if (heads) {
      const names = new Set<string>();
      for (const ref of heads) {
        const row = normalizeBranch(this.repo, ref.ref, ref.object.sha);
        names.add(row.name);
        await this.store.upsertRef(row);
      }
      for (const stored of await this.store.listRefs(this.repo)) {
        if (!names.has(stored.name)) await this.store.deleteRef(this.repo, stored.name);
      }
    }
    const tags = await this.matchingRefs("tags");
    for (const ref of tags ?? [])
      await this.store.upsertTag(normalizeTag(this.repo, ref.ref, ref.object.sha));
  }

  private async matchingRefs(kind: "heads" | "tags") {
    let all: { ref: string; object: { sha: string } }[] | undefined;
    for await (const page of this.walk<{ ref: string; object: { sha: string } }>(
      "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
      { ref: kind },
    )) {
      if (page.notModified) return undefined;
      all = [...(all ?? []), ...page.items];
    }
    return all ?? [];
  }
}

function isNotModified(response: { status: number }): boolean {
  return response.status === 304 || (response as { notModified?: boolean }).notModified === true;
}
