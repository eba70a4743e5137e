// Copies GitHub into the store: a full sync once, then cheap incremental syncs. Every cursor and
// every conditional-request validator is written only after the data it covers is stored, so a
// sync killed at any point resumes without duplicating or missing anything; each sync ends by
// comparing the store with the counts GitHub reports (docs/sync.md).
import type { Store } from "../store/index.js";
import { type GitHubClient, type PendingValidator, validatorOf } from "./client.js";
import {
  type ConversationReport,
  isPaginationLimited,
  syncConversations,
} from "./conversations.js";
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
import { type Page, pageOf, pages, parseLink } from "./pages.js";

/** The cursor whose value `complete` means a repository's first full sync is in the store. */
export const FULL_SYNC = "full-sync";

const CURSOR = {
  issues: "issues", // latest updated_at stored from the issues list (GitHub's `since` is inclusive)
  pullsFull: "pulls-full", // last page of the created-ascending pulls list stored during full sync
  pullsFrom: "pulls-from", // the issues cursor when the full pulls walk began: PR changes after it are at or after it
  pulls: "pulls", // incremental: PRs updated at or after this are read again
  eventsFull: "events-full", // last page of the newest-first events feed stored during full sync
  eventsHead: "events-head", // the newest event id when the full events walk began
  events: "events", // newest event id stored
  pullsGraphql: "pulls-graphql", // past the pulls list's limit: the GraphQL cursor reached
  eventsOldest: "events-oldest", // created_at of the oldest event the full feed walk reached
  eventsByIssue: "events-by-issue", // past the feed's limit: "<bound>|<last issue read>"
  refresh: "refresh", // incremental runs since labels, milestones and refs were last refreshed
  consistency: "consistency", // the last check against GitHub's counts (JSON of a Consistency)
} as const;

/** How many repairs (re-walks of a list found short) before a full sync reports the hole and stops retrying. */
const MAX_REPAIRS = 2;

/** The store compared with the counts GitHub reported after a sync. */
export interface Consistency {
  /** False when the store holds fewer issues or events than GitHub reported. */
  ok: boolean;
  /** GitHub's figure (undefined: GitHub gave none) beside the store's. */
  issues: { github?: number; stored: number };
  events: { github?: number; stored: number };
  /** Human-readable mismatches, empty when ok. */
  mismatches: string[];
  /** Re-walks already done for this hole, before this check. */
  repairs: number;
  /** The short list's cursors were reset: the next (full) sync walks it again. */
  repairing: boolean;
}

export type SyncProgress = (phase: string, done: number, total: number) => void;

export interface SyncDeps {
  client: GitHubClient;
  store: Store;
  onProgress?: SyncProgress;
  log?: { info(obj: object, msg: string): void; warn?(obj: object, msg: string): void };
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
  /** Comments and reviews read in this sync. */
  conversations?: ConversationReport;
  /**
   * A full-sync list stopped at GitHub's pagination limit: the events feed's issues read one by
   * one (`issues` of them), the pulls list through GraphQL.
   */
  fellBack?: { reason: string; issues: number };
  /** The check against GitHub's counts; absent when nothing changed since the last one. */
  consistency?: Consistency;
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
  await run.conversations();
  await run.refs();
  const check = await run.check();
  // A hole GitHub's counts reveal keeps the sync incomplete (its list is walked again next run),
  // unless walking again has not closed it: then it is reported, not retried for ever.
  if (!check.repairing) {
    await deps.store.setCursor(repo, FULL_SYNC, { cursor: "complete" });
  }
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
  await run.conversations();
  // No cursor moved (nothing new, at most the cursor's own instant read again): whatever the
  // last check found still holds, and an idle run stays three requests.
  if (run.moved) {
    const check = await run.check();
    if (check.repairing) {
      // Not complete any more: the next run is a full sync, which walks the short list again.
      await deps.store.setCursor(repo, FULL_SYNC, { cursor: "repairing" });
    }
  }
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

const PULLS_QUERY = `
  query ($owner: String!, $name: String!, $after: String) {
    repository(owner: $owner, name: $name) {
      pullRequests(first: 100, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
        pageInfo { hasNextPage endCursor }
        nodes { number isDraft mergedAt headRefName headRefOid baseRefName }
      }
    }
  }
`;

interface PullsAnswer {
  repository: {
    pullRequests: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: {
        number: number;
        isDraft: boolean;
        mergedAt: string | null;
        headRefName: string;
        headRefOid: string;
        baseRefName: string;
      }[];
    };
  } | null;
}

type IssueItem = { number: number; updated_at: string };

class Run {
  readonly report: SyncReport;
  /** An incremental walk found something newer than its cursor. */
  moved = false;
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

  private async *walk<T>(
    route: string,
    params: Record<string, string | number | undefined>,
    options: { conditional?: boolean } = {},
  ) {
    for await (const page of pages<T>(
      this.deps.client,
      route,
      { owner: this.owner, repo: this.name, ...params },
      this.deps.signal,
      options,
    )) {
      this.report.requests += 1;
      if (page.notModified) this.report.notModified += 1;
      yield page;
    }
  }

  /** One page, never answered 304: the caller needs its items to know where to go next. */
  private async onePage<T>(route: string, params: Record<string, string | number | undefined>) {
    for await (const page of this.walk<T>(route, params, { conditional: false })) return page;
    throw new Error(`GitHub answered no page for ${route} in ${this.repo}`);
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
    await validatorOf(response)?.store();
  }

  async labels() {
    const seen = new Set<string>();
    const validators: PendingValidator[] = [];
    for await (const page of this.walk<unknown>("GET /repos/{owner}/{repo}/labels", {})) {
      if (page.notModified) return;
      for (const raw of page.items) {
        const label = normalizeLabel(this.repo, raw);
        seen.add(label.name);
        await this.store.upsertLabel(label);
      }
      if (page.validator) validators.push(page.validator);
    }
    for (const stored of await this.store.listLabels(this.repo)) {
      if (!seen.has(stored.name)) await this.store.deleteLabel(this.repo, stored.name);
    }
    await storeAll(validators);
  }

  async milestones() {
    const validators: PendingValidator[] = [];
    for await (const page of this.walk<unknown>("GET /repos/{owner}/{repo}/milestones", {
      state: "all",
    })) {
      for (const raw of page.items)
        await this.store.upsertMilestone(normalizeMilestone(this.repo, raw));
      if (page.validator) validators.push(page.validator);
    }
    await storeAll(validators);
  }

  /**
   * Issues and PRs oldest update first, each request from the last stored update time (`since`,
   * which GitHub treats as inclusive) rather than by page number: an item edited meanwhile moves
   * to the end of the list, which shifts every later item one place towards the front, onto a
   * page already read; a `since` walk has no pages behind it to shift onto. Only when more than
   * a page of items share one instant does it page through that instant ({@link issuesAtInstant}).
   */
  async issues() {
    let since = (await this.store.getCursor(this.repo, CURSOR.issues))?.cursor ?? undefined;
    for (;;) {
      const page = await this.issuesPage(since, 1, true);
      if (!hasNext(page)) return;
      const last = page.items.at(-1)!.updated_at;
      if (last !== since) {
        since = last;
        continue;
      }
      const after = await this.issuesAtInstant(last);
      if (after === undefined) return;
      since = after;
    }
  }

  /**
   * Reads every item updated at `instant` by page number, pass after pass until two passes in a
   * row see the same items: an edit to one of them moves it to the end and shifts the rest one
   * place earlier, so the pass it happened in misses one, and differs from the next. Items still
   * at `instant` have not changed since, so whichever pass read them read them right. The cursor
   * stays at `instant` until then. Returns the update time the walk goes on from, or undefined
   * when the list ended.
   */
  private async issuesAtInstant(instant: string): Promise<string | undefined> {
    let previous: Set<number> | undefined;
    for (;;) {
      const seen = new Set<number>();
      let end: Page<IssueItem>;
      for (let n = 1; ; n++) {
        const page = await this.issuesPage(instant, n, false);
        for (const item of page.items) if (item.updated_at === instant) seen.add(item.number);
        if (!hasNext(page) || page.items.at(-1)!.updated_at !== instant) {
          end = page;
          break;
        }
      }
      const same = previous?.size === seen.size && [...seen].every((n) => previous!.has(n));
      previous = seen;
      if (!same) continue;
      const last = end.items.at(-1)?.updated_at;
      if (last !== undefined && last !== instant)
        await this.store.setCursor(this.repo, CURSOR.issues, { cursor: last });
      return hasNext(end) ? last : undefined;
    }
  }

  private async issuesPage(since: string | undefined, page: number, moveCursor: boolean) {
    const got = await this.onePage<IssueItem>("GET /repos/{owner}/{repo}/issues", {
      state: "all",
      sort: "updated",
      direction: "asc",
      since,
      page,
    });
    if (got.items.length === 0) return got;
    await this.store.upsertIssues(got.items.map((raw) => normalizeIssue(this.repo, raw)));
    this.report.issues += got.items.length;
    if (moveCursor) {
      await this.store.setCursor(this.repo, CURSOR.issues, {
        cursor: got.items.at(-1)!.updated_at,
      });
    }
    this.progress("issues", got);
    return got;
  }

  /**
   * Incremental: newest first down to the cursor. Newest first because a change moves an item to
   * the front: page 1 answers 304 only when nothing changed, even when more than a page of items
   * share the cursor's second (a bulk edit), which an oldest-first walk would answer 304 for.
   */
  async issuesSinceKnown() {
    const since = (await this.store.getCursor(this.repo, CURSOR.issues))?.cursor ?? undefined;
    if (since === undefined) {
      this.moved = true;
      return this.issues();
    }
    let newest = since;
    const validators: PendingValidator[] = [];
    const params = { state: "all", sort: "updated", direction: "desc", since };
    for await (const page of this.walk<{ updated_at: string }>(
      "GET /repos/{owner}/{repo}/issues",
      params,
    )) {
      if (page.validator) validators.push(page.validator);
      if (page.items.length === 0) continue;
      await this.store.upsertIssues(page.items.map((raw) => normalizeIssue(this.repo, raw)));
      this.report.issues += page.items.length;
      for (const item of page.items) if (item.updated_at > newest) newest = item.updated_at;
    }
    // Written only once every page down to the old cursor is stored: a crash re-reads, never
    // skips. The validators last: page 1's 304 stands for every page below it.
    if (newest !== since) {
      await this.store.setCursor(this.repo, CURSOR.issues, { cursor: newest });
      this.moved = true;
    }
    await storeAll(validators);
  }

  /**
   * Full sync: PR branches in creation order, which new PRs cannot reshuffle, so a page cursor is
   * safe. A PR changed after the walk read it is updated at or after the newest update stored
   * when the walk began, which is where the incremental `pulls` cursor starts.
   */
  async pullsByCreation() {
    const done = Number((await this.store.getCursor(this.repo, CURSOR.pullsFull))?.cursor ?? 0);
    let from = (await this.store.getCursor(this.repo, CURSOR.pullsFrom))?.cursor ?? undefined;
    if (done === 0 || from === undefined) {
      from = (await this.store.getCursor(this.repo, CURSOR.issues))?.cursor ?? "";
      await this.store.setCursor(this.repo, CURSOR.pullsFrom, { cursor: from });
    }
    const params = { state: "all", sort: "created", direction: "asc", page: done + 1 };
    let last = { page: done, full: done > 0 };
    let limited = false;
    try {
      for await (const page of this.walk<{ updated_at: string }>(
        "GET /repos/{owner}/{repo}/pulls",
        params,
        { conditional: false },
      )) {
        last = { page: page.page, full: page.items.length >= 100 };
        if (page.items.length === 0) continue;
        await this.storePulls(page.items);
        await this.store.setCursor(this.repo, CURSOR.pullsFull, { cursor: String(page.page) });
        this.progress("pulls", page);
      }
    } catch (error) {
      if (!isPaginationLimited(error)) throw error;
      limited = true;
    }
    if (!limited && last.full)
      limited = await this.refused("GET /repos/{owner}/{repo}/pulls", {
        state: "all",
        sort: "created",
        direction: "asc",
        page: last.page + 1,
      });
    if (limited) await this.pullsByGraphQL();
    if (from) await this.store.setCursor(this.repo, CURSOR.pulls, { cursor: from });
  }

  /**
   * Past GitHub's pagination limit on the pulls list: the branch fields of every pull request
   * from GraphQL, whose cursors have no depth limit, oldest first, resumably.
   */
  private async pullsByGraphQL() {
    let after = (await this.store.getCursor(this.repo, CURSOR.pullsGraphql))?.cursor || null;
    this.report.fellBack = {
      reason: `${this.report.fellBack ? `${this.report.fellBack.reason}; ` : ""}pulls list past GitHub's pagination limit`,
      issues: this.report.fellBack?.issues ?? 0,
    };
    for (;;) {
      this.deps.signal?.throwIfAborted();
      const answer: PullsAnswer = await this.deps.client.graphql<PullsAnswer>(PULLS_QUERY, {
        owner: this.owner,
        name: this.name,
        after,
      });
      this.report.requests += 1;
      const list = answer.repository?.pullRequests;
      if (!list) throw new Error(`${this.repo}: GitHub answered no repository to the pulls query`);
      const missing = await this.store.setPullBranches(
        this.repo,
        list.nodes.map((p) => ({
          number: p.number,
          draft: p.isDraft,
          mergedAt: p.mergedAt,
          headRef: p.headRefName,
          headSha: p.headRefOid,
          baseRef: p.baseRefName,
        })),
      );
      // Opened after the issues pass: the whole pull request, from REST.
      for (const number of missing) {
        const response = await this.deps.client.request(
          "GET /repos/{owner}/{repo}/pulls/{pull_number}",
          {
            owner: this.owner,
            repo: this.name,
            pull_number: number,
            request: { conditional: false },
          },
        );
        this.report.requests += 1;
        await this.store.upsertIssue(normalizePull(this.repo, response.data));
      }
      this.report.pulls += list.nodes.length;
      if (!list.pageInfo.hasNextPage) return;
      after = list.pageInfo.endCursor;
      await this.store.setCursor(this.repo, CURSOR.pullsGraphql, { cursor: after ?? "" });
    }
  }

  /** Incremental: the most recently updated PRs first, down to the last one already stored. */
  async pullsByUpdate() {
    const since = (await this.store.getCursor(this.repo, CURSOR.pulls))?.cursor ?? "";
    let latest = since;
    const validators: PendingValidator[] = [];
    const params = { state: "all", sort: "updated", direction: "desc" };
    for await (const page of this.walk<{ updated_at: string }>(
      "GET /repos/{owner}/{repo}/pulls",
      params,
    )) {
      if (page.validator) validators.push(page.validator);
      const fresh = page.items.filter((p) => p.updated_at >= since);
      if (fresh.length > 0) await this.storePulls(fresh);
      for (const p of fresh) if (p.updated_at > latest) latest = p.updated_at;
      if (fresh.length < page.items.length) break;
    }
    if (latest !== since) {
      await this.store.setCursor(this.repo, CURSOR.pulls, { cursor: latest });
      this.moved = true;
    }
    await storeAll(validators);
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

  /**
   * Full sync: the whole events feed, newest first; new events push old ones to later pages,
   * never earlier. Asked without validators: a 304 would end the walk at a page whose items it
   * needs, whatever a validator from an earlier attempt covered.
   */
  async eventsFull() {
    const done = Number((await this.store.getCursor(this.repo, CURSOR.eventsFull))?.cursor ?? 0);
    let head = (await this.store.getCursor(this.repo, CURSOR.eventsHead))?.cursor ?? undefined;
    let last = { page: done, full: done > 0 };
    let limited = false;
    try {
      for await (const page of this.walk<{ id: number }>(
        "GET /repos/{owner}/{repo}/issues/events",
        { page: done + 1 },
        { conditional: false },
      )) {
        last = { page: page.page, full: page.items.length >= 100 };
        if (page.items.length === 0) continue;
        if (head === undefined) {
          head = String(page.items[0]!.id);
          await this.store.setCursor(this.repo, CURSOR.eventsHead, { cursor: head });
        }
        await this.storeEvents(page.items);
        // The feed's reach so far: what the fallback past its limit starts from.
        await this.store.setCursor(this.repo, CURSOR.eventsOldest, {
          cursor: (page.items.at(-1) as unknown as { created_at: string }).created_at,
        });
        await this.store.setCursor(this.repo, CURSOR.eventsFull, { cursor: String(page.page) });
        this.progress("events", page);
      }
    } catch (error) {
      if (!isPaginationLimited(error)) throw error;
      limited = true;
    }
    // A full last page without a next one may be GitHub's deep-pagination limit, which ends the
    // feed silently: one request past it tells.
    if (!limited && last.full)
      limited = await this.refused("GET /repos/{owner}/{repo}/issues/events", {
        page: last.page + 1,
      });
    if (limited) await this.eventsByIssue();
    // Events newer than the walk's first page are fetched by the closing check and incremental syncs.
    if (head !== undefined) await this.store.setCursor(this.repo, CURSOR.events, { cursor: head });
  }

  /** Comments and reviews (src/github/conversations.ts): their own cursors, windows and report. */
  async conversations() {
    const report = await syncConversations(
      { client: this.deps.client, store: this.store, signal: this.deps.signal },
      this.repo,
    );
    this.report.conversations = report;
    this.report.requests += report.commentRequests + report.reviewRequests;
    this.report.notModified += report.notModified;
  }

  /** GitHub refuses this page of a list as past its pagination limit. */
  private async refused(
    route: string,
    params: Record<string, string | number | undefined>,
  ): Promise<boolean> {
    try {
      await this.onePage(route, params);
      return false;
    } catch (error) {
      if (isPaginationLimited(error)) return true;
      throw error;
    }
  }

  /**
   * The feed's fallback past GitHub's pagination limit: the history of each issue the feed may
   * not reach, read from the issue's own events. Only issues created before the oldest event
   * the feed gave can have older events; they are read in number order, resumably.
   */
  private async eventsByIssue() {
    // "<oldest feed event>|<last issue read>": the bound is fixed when the fallback starts, as
    // the events it reads are older than the feed's.
    const saved = (await this.store.getCursor(this.repo, CURSOR.eventsByIssue))?.cursor;
    const [bound, last] = saved
      ? (saved.split("|") as [string, string])
      : [(await this.store.getCursor(this.repo, CURSOR.eventsOldest))?.cursor ?? "", "0"];
    const from = Number(last);
    const due = (await this.store.listIssues({ repo: this.repo }))
      .filter((i) => (!bound || Date.parse(i.createdAt) <= Date.parse(bound)) && i.number > from)
      .sort((a, b) => a.number - b.number);
    this.report.fellBack = {
      reason: `${this.report.fellBack ? `${this.report.fellBack.reason}; ` : ""}events feed past GitHub's pagination limit`,
      issues: this.report.fellBack?.issues ?? 0,
    };
    for (const issue of due) {
      for await (const page of this.walk<unknown>(
        "GET /repos/{owner}/{repo}/issues/{issue_number}/events",
        { issue_number: issue.number },
        { conditional: false },
      )) {
        this.report.events += await this.store.insertIssueEvents(
          page.items.map((raw) => normalizeIssueEvent(this.repo, raw, issue.number)),
        );
      }
      this.report.fellBack.issues += 1;
      await this.store.setCursor(this.repo, CURSOR.eventsByIssue, {
        cursor: `${bound}|${issue.number}`,
      });
    }
  }

  /** Incremental: newest first until an event already stored; unchanged feeds answer 304. */
  async eventsSinceKnown() {
    const known = Number((await this.store.getCursor(this.repo, CURSOR.events))?.cursor ?? 0);
    let newest = known;
    const validators: PendingValidator[] = [];
    for await (const page of this.walk<{ id: number }>(
      "GET /repos/{owner}/{repo}/issues/events",
      {},
    )) {
      if (page.validator) validators.push(page.validator);
      const fresh = page.items.filter((e) => e.id > known);
      if (fresh.length > 0) await this.storeEvents(fresh);
      for (const e of fresh) newest = Math.max(newest, e.id);
      if (fresh.length < page.items.length) break;
    }
    if (newest !== known) {
      await this.store.setCursor(this.repo, CURSOR.events, { cursor: String(newest) });
      this.moved = true;
    }
    await storeAll(validators);
  }

  private async storeEvents(items: unknown[]) {
    this.report.events += await this.store.insertIssueEvents(
      items.map((raw) => normalizeIssueEvent(this.repo, raw)),
    );
  }

  async refs() {
    const validators: PendingValidator[] = [];
    const heads = await this.matchingRefs("heads", validators);
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
    const tags = await this.matchingRefs("tags", validators);
    for (const ref of tags ?? [])
      await this.store.upsertTag(normalizeTag(this.repo, ref.ref, ref.object.sha));
    await storeAll(validators);
  }

  private async matchingRefs(kind: "heads" | "tags", validators: PendingValidator[]) {
    let all: { ref: string; object: { sha: string } }[] | undefined;
    for await (const page of this.walk<{ ref: string; object: { sha: string } }>(
      "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
      { ref: kind },
    )) {
      if (page.notModified) return undefined;
      if (page.validator) validators.push(page.validator);
      all = [...(all ?? []), ...page.items];
    }
    return all ?? [];
  }

  /**
   * The closing check: asks GitHub how many issues (PRs included) and feed events the repository
   * has, reads what changed while the sync ran (issues from the stored update time, events down
   * to the newest stored), and compares. Fewer stored than GitHub reported is a hole: after up to
   * three tries (an item created between the count and the reread is not one) the short list's
   * cursors are reset so the next sync walks it again, at most MAX_REPAIRS times in a row.
   * More stored than reported is not a hole (GitHub's deep-pagination cap shortens the count).
   */
  async check(): Promise<Consistency> {
    const previous = parseConsistency(
      (await this.store.getCursor(this.repo, CURSOR.consistency))?.cursor,
    );
    let result: Consistency | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const issues = await this.reportedTotal("GET /repos/{owner}/{repo}/issues", {
        state: "all",
      });
      const events = await this.reportedTotal("GET /repos/{owner}/{repo}/issues/events", {});
      // A full sync took a while: what changed meanwhile is read before comparing.
      if (this.report.kind === "full" || attempt > 1) {
        await this.issues();
        await this.eventsSinceKnown();
      }
      const stored = {
        issues: await this.store.countIssues({ repo: this.repo }),
        events: await this.store.countFeedEvents(this.repo),
      };
      const mismatches: string[] = [];
      if (issues !== undefined && stored.issues < issues)
        mismatches.push(
          `${this.repo}: GitHub reports ${issues} issues and pull requests, the store has ${stored.issues}`,
        );
      if (events !== undefined && stored.events < events)
        mismatches.push(
          `${this.repo}: GitHub reports ${events} issue events, the store has ${stored.events}`,
        );
      result = {
        ok: mismatches.length === 0,
        issues: { github: issues, stored: stored.issues },
        events: { github: events, stored: stored.events },
        mismatches,
        repairs: previous && !previous.ok ? previous.repairs : 0,
        repairing: false,
      };
      if (result.ok) break;
    }
    const checked = result!;
    if (!checked.ok) {
      checked.repairing = checked.repairs < MAX_REPAIRS;
      if (checked.repairing) {
        if (checked.issues.github !== undefined && checked.issues.stored < checked.issues.github)
          await this.store.setCursor(this.repo, CURSOR.issues, { cursor: null });
        if (checked.events.github !== undefined && checked.events.stored < checked.events.github) {
          await this.store.setCursor(this.repo, CURSOR.eventsFull, { cursor: null });
          await this.store.setCursor(this.repo, CURSOR.eventsHead, { cursor: null });
        }
      }
      const log = this.deps.log;
      (log?.warn ?? log?.info)?.call(
        log,
        { repo: this.repo, ...checked },
        checked.repairing
          ? "the store is short of GitHub's counts; the next sync walks the short lists again"
          : "the store is still short of GitHub's counts after walking again; reported, not retried",
      );
    }
    const saved = { ...checked, repairs: checked.repairs + (checked.repairing ? 1 : 0) };
    await this.store.setCursor(this.repo, CURSOR.consistency, { cursor: JSON.stringify(saved) });
    this.report.consistency = checked;
    return checked;
  }

  /**
   * How many items a list has, from `rel="last"` at one item a page; undefined when GitHub
   * refuses (a deep-pagination cap, a 5xx after retries): the check then says nothing.
   */
  private async reportedTotal(
    route: string,
    params: Record<string, string>,
  ): Promise<number | undefined> {
    this.deps.signal?.throwIfAborted();
    try {
      const response = await this.deps.client.request(route, {
        owner: this.owner,
        repo: this.name,
        ...params,
        per_page: 1,
        request: { conditional: false },
      });
      this.report.requests += 1;
      const last = parseLink(response.headers.link).last;
      if (last) return pageOf(last);
      return Array.isArray(response.data) ? response.data.length : undefined;
    } catch (err) {
      this.report.requests += 1;
      if (this.deps.signal?.aborted) throw err;
      this.deps.log?.info(
        { repo: this.repo, route, error: String(err) },
        "GitHub gave no count to check the store against",
      );
      return undefined;
    }
  }
}

/**
 * More may follow: GitHub's links say so, or the page is full (past its pagination limit GitHub
 * shortens `rel="last"` and drops `rel="next"`, so a full last page proves nothing).
 */
function hasNext(page: Page<unknown>): boolean {
  return page.items.length >= 100 || page.lastPage === undefined || page.lastPage > page.page;
}

async function storeAll(validators: PendingValidator[]) {
  for (const v of validators) await v.store();
}

function parseConsistency(text: string | null | undefined): Consistency | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Consistency;
  } catch {
    return undefined;
  }
}

function isNotModified(response: { status: number }): boolean {
  return response.status === 304 || (response as { notModified?: boolean }).notModified === true;
}
