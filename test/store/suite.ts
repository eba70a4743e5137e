// One behavioural suite for the store, run against every backend (PGlite, PostgreSQL).
import { afterEach, describe, expect, test } from "vitest";
import type { Db } from "../../src/store/db.js";
import {
  type IssueInput,
  LATEST_VERSION,
  STORE_TABLES,
  Store,
  StoreTooNewError,
} from "../../src/store/index.js";
import { MIGRATIONS } from "../../src/store/migrations.js";

/** A place a store lives (a directory, a PostgreSQL schema) that can be opened repeatedly. */
export interface StoreLocation {
  open(): Promise<Store>;
  /** A connection that neither migrates nor locks, to inspect or tamper with the store. */
  raw(): Promise<Db>;
  dispose(): Promise<void>;
}

export interface StoreHarness {
  /** A new, empty, migrated store. */
  fresh(): Promise<{ store: Store; dispose(): Promise<void> }>;
  /** A new, empty location. */
  location(): Promise<StoreLocation>;
  /** Whether several stores may be open on one location at once, as separate processes. */
  concurrentOpens: boolean;
  skip?: boolean;
}

const REPO = "fleetdm/fleet";
const T0 = "2024-05-01T09:00:00.000Z";
const T1 = "2024-05-02T09:00:00.000Z";
const T2 = "2024-05-03T09:00:00.000Z";

function issue(number: number, overrides: Partial<IssueInput> = {}): IssueInput {
  return {
    repo: REPO,
    number,
    isPullRequest: false,
    title: `Issue ${number}`,
    state: "open",
    createdAt: T0,
    updatedAt: T0,
    labels: [],
    raw: { number },
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function defineStoreSuite(name: string, harness: StoreHarness): void {
  describe.skipIf(harness.skip ?? false)(name, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function fresh(): Promise<Store> {
      const { store, dispose } = await harness.fresh();
      cleanups.push(dispose);
      return store;
    }

    async function location(): Promise<StoreLocation> {
      const loc = await harness.location();
      cleanups.push(() => loc.dispose());
      return loc;
    }

    /** Two handles on one store: two processes where the backend allows it. */
    async function twoSides(): Promise<[Store, Store]> {
      if (!harness.concurrentOpens) {
        const store = await fresh();
        return [store, store];
      }
      const loc = await location();
      const a = await loc.open();
      const b = await loc.open();
      cleanups.push(async () => {
        await a.close();
        await b.close();
      });
      return [a, b];
    }

    describe("migrations", () => {
      test("a new store is migrated to the latest version, one row per migration", async () => {
        const store = await fresh();
        expect(await store.schemaVersion()).toBe(LATEST_VERSION);
        expect((await store.stats()).schema_migrations).toBe(MIGRATIONS.length);
      });

      test("reopening an up-to-date store applies nothing and keeps its data", async () => {
        const loc = await location();
        const first = await loc.open();
        await first.upsertRepository({ fullName: REPO, defaultBranch: "main" });
        await first.close();

        const second = await loc.open();
        try {
          expect(await second.schemaVersion()).toBe(LATEST_VERSION);
          expect((await second.stats()).schema_migrations).toBe(MIGRATIONS.length);
          expect((await second.getRepository(REPO))?.defaultBranch).toBe("main");
        } finally {
          await second.close();
        }
      });

      test.runIf(harness.concurrentOpens)(
        "processes starting together on a new store migrate it once",
        async () => {
          const loc = await location();
          const stores = await Promise.all([loc.open(), loc.open(), loc.open()]);
          try {
            for (const store of stores) expect(await store.schemaVersion()).toBe(LATEST_VERSION);
            expect((await stores[0]!.stats()).schema_migrations).toBe(MIGRATIONS.length);
          } finally {
            await Promise.all(stores.map((s) => s.close()));
          }
        },
      );

      test("a store written by a newer Bosun is refused and nothing is changed", async () => {
        const loc = await location();
        const store = await loc.open();
        await store.upsertRepository({ fullName: REPO });
        await store.upsertIssue(issue(1, { labels: ["bug"] }));
        await store.close();

        const future = LATEST_VERSION + 4;
        let raw = await loc.raw();
        await raw.query("INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')", [
          future,
        ]);
        const before = await new Store(raw).stats();
        await raw.close();

        const error = await loc.open().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(StoreTooNewError);
        expect((error as Error).message).toContain(
          `schema v${future}, this Bosun knows up to v${LATEST_VERSION}`,
        );
        expect((error as Error).message).toContain("nothing was changed");

        raw = await loc.raw();
        try {
          expect(await new Store(raw).stats()).toEqual(before);
          const { rows } = await raw.query<{ version: number }>(
            "SELECT max(version) AS version FROM schema_migrations",
          );
          expect(Number(rows[0]?.version)).toBe(future);
        } finally {
          await raw.close();
        }
      });
    });

    describe("issues and pull requests", () => {
      test("upserting the same issue twice leaves one row with its current labels", async () => {
        const store = await fresh();
        expect(await store.upsertIssue(issue(7, { labels: ["bug", "#g-mdm"] }))).toBe(true);
        expect(
          await store.upsertIssue(issue(7, { labels: ["bug", "#g-mdm"], updatedAt: T0 })),
        ).toBe(true);
        await store.upsertIssue(issue(7, { labels: ["bug", "~released bug"], updatedAt: T1 }));

        const stats = await store.stats();
        expect(stats.issues).toBe(1);
        expect(stats.issue_labels).toBe(2);
        const row = await store.getIssue(REPO, 7);
        expect(row?.labels).toEqual(["bug", "~released bug"]);
        expect(row?.updatedAt).toBe(T1);
        expect(row?.raw).toEqual({ number: 7 });
      });

      test("a write older than the stored row is ignored", async () => {
        const store = await fresh();
        await store.upsertIssue(issue(3, { state: "closed", closedAt: T1, updatedAt: T1 }));
        const written = await store.upsertIssue(issue(3, { state: "open", updatedAt: T0 }));
        expect(written).toBe(false);
        expect((await store.getIssue(REPO, 3))?.state).toBe("closed");
      });

      test("pull requests share the number sequence and keep their own fields", async () => {
        const store = await fresh();
        await store.upsertIssues([
          issue(1),
          issue(2, {
            isPullRequest: true,
            draft: true,
            headRef: "feature",
            baseRef: "main",
            headSha: "abc",
            author: "dependabot[bot]",
            authorType: "Bot",
            assignees: ["alice", "bob"],
          }),
        ]);
        const pr = await store.getIssue(REPO, 2);
        expect(pr).toMatchObject({
          isPullRequest: true,
          draft: true,
          headRef: "feature",
          baseRef: "main",
          authorType: "Bot",
          assignees: ["alice", "bob"],
          mergedAt: null,
        });
        expect((await store.getIssue(REPO, 1))?.draft).toBeNull();
        expect(await store.getIssue(REPO, 99)).toBeNull();
      });

      test("issues can be listed by repository, state, kind, label and update time", async () => {
        const store = await fresh();
        await store.upsertIssues([
          issue(1, { labels: ["bug"] }),
          issue(2, { labels: ["bug"], state: "closed", updatedAt: T1 }),
          issue(3, { isPullRequest: true, updatedAt: T2 }),
          issue(4, { repo: "fleetdm/other", labels: ["bug"] }),
        ]);
        const numbers = (rows: { number: number }[]) => rows.map((r) => r.number);
        expect(numbers(await store.listIssues({ repo: REPO }))).toEqual([1, 2, 3]);
        expect(numbers(await store.listIssues({ repo: REPO, state: "open" }))).toEqual([1, 3]);
        expect(numbers(await store.listIssues({ kind: "pull" }))).toEqual([3]);
        expect(numbers(await store.listIssues({ repo: REPO, kind: "issue" }))).toEqual([1, 2]);
        expect(numbers(await store.listIssues({ label: "bug" }))).toEqual([1, 2, 4]);
        expect(numbers(await store.listIssues({ updatedSince: T1 }))).toEqual([2, 3]);
        expect(numbers(await store.listIssues({ repo: REPO, limit: 2 }))).toEqual([1, 2]);
      });

      test("a write older than the issue's deletion does not bring it back", async () => {
        const store = await fresh();
        await store.upsertIssues([issue(8, { labels: ["bug"] }), issue(9)]);
        expect(await store.deleteIssue(REPO, 8)).toBe(true);
        expect(await store.deleteIssue(REPO, 8)).toBe(false);
        // An edit delivered before the deletion but processed after it.
        expect(await store.upsertIssue(issue(8, { labels: ["bug"], updatedAt: T1 }))).toBe(false);
        expect(
          await store.upsertIssues([issue(8, { updatedAt: T2 }), issue(9, { updatedAt: T2 })]),
        ).toBe(1);
        expect(await store.getIssue(REPO, 8)).toBeNull();
        expect((await store.getIssue(REPO, 9))?.updatedAt).toBe(T2);
      });

      test("labels can be added and removed between full syncs", async () => {
        const store = await fresh();
        await store.upsertIssue(issue(5, { labels: ["bug"] }));
        await store.addIssueLabel(REPO, 5, "P1");
        await store.addIssueLabel(REPO, 5, "P1");
        await store.removeIssueLabel(REPO, 5, "bug");
        expect((await store.getIssue(REPO, 5))?.labels).toEqual(["P1"]);
      });
    });

    describe("change tracking for readers that keep the store in memory (KPI report)", () => {
      const FILTER = {
        events: ["labeled", "closed"],
        labels: ["bug"],
        labelPrefixes: ["customer-"],
      };
      const event = (id: number, number: number, event: string, labelName?: string) => ({
        id,
        repo: REPO,
        issueNumber: number,
        event,
        ...(labelName ? { labelName } : {}),
        createdAt: T1,
      });
      const changedSince = async (store: Store, horizon: string) =>
        (await store.kpiChanges([REPO], horizon)).changed.map(([, n]) => n).sort((a, b) => a - b);

      test("R2: names each issue whose row, labels or events changed, or that was deleted, since a horizon", async () => {
        const store = await fresh();
        await store.upsertIssues([
          issue(1, { labels: ["bug"] }),
          issue(2, { labels: ["bug"] }),
          issue(3, { isPullRequest: true }),
          issue(4, { repo: "fleetdm/other" }),
        ]);
        const start = await store.kpiChanges([REPO], null);
        expect(start.changed).toEqual([]);
        let h = start.horizon;
        const step = async (write: () => Promise<unknown>, expected: number[]) => {
          await write();
          expect(await changedSince(store, h)).toEqual(expected);
          h = (await store.kpiChanges([REPO], h)).horizon;
          expect(await changedSince(store, h)).toEqual([]);
        };
        await step(() => store.upsertIssue(issue(2, { updatedAt: T1, labels: [] })), [2]);
        // A stale write changes nothing, so it names nothing.
        await step(() => store.upsertIssue(issue(2, { updatedAt: T0 })), []);
        await step(() => store.addIssueLabel(REPO, 1, "customer-acme"), [1]);
        await step(() => store.removeIssueLabel(REPO, 1, "customer-acme"), [1]);
        await step(() => store.insertIssueEvents([event(900, 3, "closed")]), [3]);
        await step(() => store.insertIssueEvents([event(900, 3, "closed")]), []);
        await step(
          () =>
            store.setPullBranches(REPO, [
              {
                number: 3,
                draft: true,
                mergedAt: null,
                headRef: "f",
                headSha: "a",
                baseRef: "main",
              },
            ]),
          [3],
        );
        await step(() => store.renameLabel(REPO, "bug", "kind: bug"), [1]);
        await step(() => store.removeLabelEverywhere(REPO, "kind: bug"), [1]);
        await step(() => store.deleteIssue(REPO, 2), [2]);
        // Another repository's writes are not this reader's changes.
        await step(() => store.upsertIssue(issue(4, { repo: "fleetdm/other", updatedAt: T2 })), []);
      });

      test("R2: the KPI reads return the whole repository, or only the issues named", async () => {
        const store = await fresh();
        await store.upsertIssues([
          issue(1, { labels: ["bug", "customer-acme", "P2"] }),
          issue(2, { labels: ["bug"], state: "closed", closedAt: T1, updatedAt: T1 }),
          issue(3, { isPullRequest: true, draft: true }),
        ]);
        await store.insertIssueEvents([
          event(11, 1, "labeled", "bug"),
          event(12, 1, "labeled", "P2"),
          event(13, 1, "labeled", "customer-acme"),
          event(21, 2, "closed"),
          event(22, 2, "assigned"),
        ]);
        const items = await store.kpiItems([REPO]);
        expect(items.map((i) => i.number).sort()).toEqual([1, 2, 3]);
        expect(items.find((i) => i.number === 2)).toMatchObject({
          state: "closed",
          closedAt: Date.parse(T1),
          createdAt: Date.parse(T0),
          isPullRequest: false,
        });
        const only = [[REPO, 2] as const, [REPO, 1] as const];
        expect((await store.kpiItems([REPO], only)).map((i) => i.number).sort()).toEqual([1, 2]);
        expect((await store.kpiLabels([REPO], [[REPO, 1]])).map((l) => l[2]).sort()).toEqual([
          "P2",
          "bug",
          "customer-acme",
        ]);
        const events = await store.kpiEvents([REPO], FILTER);
        expect(events.map((e) => e.id).sort()).toEqual([11, 13, 21]);
        expect((await store.kpiEvents([REPO], FILTER, [[REPO, 2]])).map((e) => e.id)).toEqual([21]);
        expect(await store.kpiItems([REPO], [])).toEqual([]);
      });

      test("planner statistics are gathered once a table has grown, then not again", async () => {
        const store = await fresh();
        await store.upsertIssues(
          Array.from({ length: 1500 }, (_, i) =>
            issue(i + 1, { title: `Issue ${i + 1} `.repeat(8) }),
          ),
        );
        const first = await store.refreshStatistics();
        // PostgreSQL's autovacuum may have been there first.
        if (store.backend === "pglite") expect(first).toContain("issues");
        expect(await store.refreshStatistics()).toEqual([]);
      });
    });

    describe("the rest of the GitHub mirror", () => {
      test("repositories, labels and milestones upsert idempotently", async () => {
        const store = await fresh();
        for (let i = 0; i < 2; i++) {
          await store.upsertRepository({ fullName: REPO, githubId: 1, defaultBranch: "main" });
          await store.upsertLabel({ repo: REPO, name: "bug", color: "ff0000" });
          await store.upsertMilestone({
            repo: REPO,
            number: 12,
            title: "4.62.0",
            state: "open",
            dueOn: "2024-06-01T00:00:00Z",
          });
        }
        await store.upsertLabel({ repo: REPO, name: "bug", color: "00ff00" });
        await store.upsertMilestone({ repo: REPO, number: 12, title: "4.62.0-rc", state: "open" });

        expect(await store.listRepositories()).toHaveLength(1);
        expect(await store.listLabels(REPO)).toEqual([
          { repo: REPO, name: "bug", color: "00ff00", description: null, githubId: null },
        ]);
        const milestone = await store.getMilestone(REPO, 12);
        expect(milestone?.title).toBe("4.62.0-rc");
        expect(milestone?.dueOn).toBeNull();
        expect(await store.listMilestones(REPO, { state: "closed" })).toEqual([]);

        await store.deleteLabel(REPO, "bug");
        expect(await store.listLabels(REPO)).toEqual([]);
      });

      test("comments and reviews are keyed by GitHub id", async () => {
        const store = await fresh();
        const comment = {
          id: 3_000_000_001,
          repo: REPO,
          issueNumber: 7,
          body: "first",
          createdAt: T0,
          updatedAt: T0,
          raw: { id: 3_000_000_001 },
        };
        await store.upsertComment(comment);
        await store.upsertComment({ ...comment, body: "edited", updatedAt: T1 });
        await store.upsertComment({ ...comment, body: "stale", updatedAt: T0 });
        const comments = await store.listComments(REPO, 7);
        expect(comments).toHaveLength(1);
        expect(comments[0]).toMatchObject({ id: 3_000_000_001, body: "edited" });

        const review = { id: 42, repo: REPO, pullNumber: 8, state: "COMMENTED", author: "alice" };
        await store.upsertReview(review);
        await store.upsertReview({ ...review, state: "APPROVED", submittedAt: T1 });
        expect(await store.listReviews(REPO, 8)).toEqual([
          expect.objectContaining({ id: 42, state: "APPROVED", submittedAt: T1 }),
        ]);
      });

      test("issue events are inserted once and listed in time order", async () => {
        const store = await fresh();
        const labeled = {
          id: 11,
          repo: REPO,
          issueNumber: 7,
          event: "labeled",
          actor: "alice",
          labelName: "bug",
          createdAt: T1,
          raw: { id: 11 },
        };
        expect(await store.insertIssueEvent(labeled)).toBe(true);
        expect(await store.insertIssueEvent({ ...labeled, labelName: "changed" })).toBe(false);
        await store.insertIssueEvent({
          id: 10,
          repo: REPO,
          issueNumber: 8,
          event: "closed",
          createdAt: T0,
        });

        const all = await store.listIssueEvents({ repo: REPO });
        expect(all.map((e) => e.id)).toEqual([10, 11]);
        expect(all[1]?.labelName).toBe("bug");
        expect(await store.listIssueEvents({ repo: REPO, issueNumber: 7 })).toHaveLength(1);
        expect(await store.listIssueEvents({ repo: REPO, since: T1 })).toHaveLength(1);
        expect(await store.listIssueEvents({ repo: REPO, event: "closed" })).toHaveLength(1);
      });

      test("refs and tags upsert, list and delete", async () => {
        const store = await fresh();
        await store.upsertRef({ repo: REPO, name: "main", sha: "a1" });
        await store.upsertRef({ repo: REPO, name: "main", sha: "b2", protected: true });
        await store.upsertRef({ repo: REPO, name: "rc-minor-fleet-v4.62.0", sha: "c3" });
        expect(await store.getRef(REPO, "main")).toMatchObject({ sha: "b2", protected: true });
        await store.deleteRef(REPO, "rc-minor-fleet-v4.62.0");
        expect((await store.listRefs(REPO)).map((r) => r.name)).toEqual(["main"]);

        await store.upsertTag({ repo: REPO, name: "fleet-v4.61.0", sha: "d4", createdAt: T0 });
        await store.upsertTag({ repo: REPO, name: "fleet-v4.61.0", sha: "d4" });
        const tags = await store.listTags(REPO);
        expect(tags).toHaveLength(1);
        expect(tags[0]?.createdAt).toBe(T0);
        await store.deleteTag(REPO, "fleet-v4.61.0");
        expect(await store.listTags(REPO)).toEqual([]);
      });
    });

    describe("ingest bookkeeping", () => {
      test("a webhook delivery is stored once, then leaves the pending list when processed", async () => {
        const store = await fresh();
        const delivery = {
          deliveryId: "d-1",
          event: "issues",
          action: "labeled",
          repository: REPO,
          receivedAt: T0,
          payload: { action: "labeled", labels: [{ name: "bug" }] },
        };
        expect(await store.insertDelivery(delivery)).toBe(true);
        expect(await store.insertDelivery(delivery)).toBe(false);
        expect(await store.insertDelivery({ deliveryId: "d-2", event: "ping", payload: {} })).toBe(
          true,
        );

        const pending = await store.pendingDeliveries();
        expect(pending.map((d) => d.deliveryId)).toEqual(["d-1", "d-2"]);
        expect(pending[0]?.payload).toEqual(delivery.payload);

        await store.markDeliveryProcessed("d-1");
        await store.markDeliveryProcessed("d-2", { error: "no handler for ping" });
        expect(await store.pendingDeliveries()).toEqual([]);
        expect((await store.getDelivery("d-2"))?.error).toBe("no handler for ping");
        expect((await store.getDelivery("d-1"))?.processedAt).not.toBeNull();
      });

      test("sync cursors and etags are read back as written", async () => {
        const store = await fresh();
        expect(await store.getCursor(REPO, "issues")).toBeNull();
        await store.setCursor(REPO, "issues", { cursor: T0, etag: 'W/"1"' });
        await store.setCursor(REPO, "issues", { cursor: T1 });
        expect(await store.getCursor(REPO, "issues")).toMatchObject({ cursor: T1, etag: null });

        const url = "/repos/fleetdm/fleet/labels?per_page=100";
        expect(await store.getEtag(url)).toBeNull();
        await store.setEtag(url, { etag: '"abc"', lastModified: "Wed, 01 May 2024 09:00:00 GMT" });
        expect(await store.getEtag(url)).toMatchObject({
          etag: '"abc"',
          lastModified: "Wed, 01 May 2024 09:00:00 GMT",
        });
      });

      test("KPI snapshots: one per instant and config, found by the latest at or before", async () => {
        const store = await fresh();
        await store.putKpiSnapshot({ asOf: T0, configHash: "h1", payload: { row: [1] } });
        await store.putKpiSnapshot({ asOf: T0, configHash: "h1", payload: { row: [2] } });
        await store.putKpiSnapshot({ asOf: T2, configHash: "h1", payload: { row: [3] } });
        await store.putKpiSnapshot({ asOf: T1, configHash: "h2", payload: { row: [4] } });

        expect(await store.listKpiSnapshots({ configHash: "h1" })).toHaveLength(2);
        expect((await store.kpiSnapshotAt(T1, "h1"))?.payload).toEqual({ row: [2] });
        expect((await store.kpiSnapshotAt(T1))?.payload).toEqual({ row: [4] });
        expect(await store.kpiSnapshotAt("2024-04-01T00:00:00Z")).toBeNull();
        expect((await store.listKpiSnapshots()).map((s) => s.asOf)).toEqual([T2, T1, T0]);
      });

      test("stats counts the rows of every table", async () => {
        const store = await fresh();
        await store.upsertIssue(issue(1, { labels: ["a", "b"] }));
        await store.insertDelivery({ deliveryId: "x", event: "ping", payload: {} });
        const stats = await store.stats();
        expect(Object.keys(stats).sort()).toEqual([...STORE_TABLES].sort());
        expect(stats).toMatchObject({ issues: 1, issue_labels: 2, webhook_deliveries: 1, refs: 0 });
      });

      test("a failing transaction leaves nothing behind", async () => {
        const store = await fresh();
        await expect(
          store.transaction(async (tx) => {
            await tx.upsertRepository({ fullName: REPO });
            throw new Error("boom");
          }),
        ).rejects.toThrow("boom");
        expect(await store.listRepositories()).toEqual([]);
      });
    });

    describe("audit log and effect claims", () => {
      const effect = (key: string, owner: string, leaseMs = 60_000) => ({
        key,
        planId: "plan-1",
        rule: "R14",
        effectType: "addLabels",
        target: `${REPO}#123`,
        effect: { labels: ["bug"] },
        reason: "R14: bugs get the bug label",
        owner,
        leaseMs,
      });

      test("a key is claimed once; a second owner sees who holds it", async () => {
        const store = await fresh();
        const first = await store.claimEffect(effect("k1", "proc-a"));
        expect(first.claimed).toBe(true);
        const second = await store.claimEffect(effect("k1", "proc-b"));
        expect(second).toMatchObject({
          claimed: false,
          existing: { key: "k1", status: "claimed", claimedBy: "proc-a", rule: "R14" },
        });
      });

      test("an applied effect is never claimed again", async () => {
        const store = await fresh();
        await store.claimEffect(effect("k1", "proc-a"));
        const finished = await store.finishEffect("k1", "proc-a", {
          status: "applied",
          outcome: { labelsAdded: ["bug"] },
        });
        expect(finished).toMatchObject({ status: "applied", outcome: { labelsAdded: ["bug"] } });
        expect(finished?.finishedAt).not.toBeNull();
        const again = await store.claimEffect(effect("k1", "proc-b", 0));
        expect(again).toMatchObject({ claimed: false, existing: { status: "applied" } });
      });

      test("a failed effect can be claimed again, and the failure stays in the log", async () => {
        const store = await fresh();
        await store.claimEffect(effect("k1", "proc-a"));
        await store.finishEffect("k1", "proc-a", { status: "failed", error: "HTTP 502" });
        const retry = await store.claimEffect(effect("k1", "proc-b"));
        expect(retry).toMatchObject({ claimed: true, entry: { attempts: 2, claimedBy: "proc-b" } });

        const history = await store.listAudit({ target: `${REPO}#123` });
        expect(history.map((e) => [e.status, e.holdsKey, e.error])).toEqual([
          ["claimed", true, null],
          ["failed", false, "HTTP 502"],
        ]);
      });

      test("a claim whose lease expired can be taken over by another owner", async () => {
        const store = await fresh();
        await store.claimEffect(effect("k1", "proc-a", 50));
        expect((await store.claimEffect(effect("k1", "proc-b"))).claimed).toBe(false);
        await sleep(120);
        expect((await store.claimEffect(effect("k1", "proc-b"))).claimed).toBe(true);

        // The first owner comes back too late: its finish is refused.
        expect(await store.finishEffect("k1", "proc-a", { status: "applied" })).toBeNull();
        expect(await store.finishEffect("k1", "proc-b", { status: "applied" })).not.toBeNull();
        const [, old] = await store.listAudit();
        expect(old).toMatchObject({ status: "failed", holdsKey: false, claimedBy: "proc-a" });
        expect(old?.error).toContain("lease expired; taken over by proc-b");
      });

      test("dry-run rows do not block a later real claim", async () => {
        const store = await fresh();
        const dry = await store.recordAudit({
          key: "k1",
          rule: "R14",
          effectType: "addLabels",
          target: `${REPO}#123`,
          effect: { labels: ["bug"] },
          reason: "R14: bugs get the bug label",
          status: "dry-run",
        });
        expect(dry).toMatchObject({ key: "k1", holdsKey: false, status: "dry-run" });
        expect(await store.auditByKey("k1")).toBeNull();
        expect((await store.claimEffect(effect("k1", "proc-a"))).claimed).toBe(true);
        expect((await store.auditByKey("k1"))?.status).toBe("claimed");
      });

      test("two processes claiming the same keys at once: each key is won exactly once", async () => {
        const [a, b] = await twoSides();
        const keys = Array.from({ length: 20 }, (_, i) => `race-${i}`);
        const attempts = keys.flatMap((key) => [
          a.claimEffect(effect(key, "proc-a")).then((r) => ({ key, won: r.claimed })),
          b.claimEffect(effect(key, "proc-b")).then((r) => ({ key, won: r.claimed })),
        ]);
        const results = await Promise.all(attempts);
        for (const key of keys) {
          expect(results.filter((r) => r.key === key && r.won)).toHaveLength(1);
        }
        expect((await a.stats()).audit_log).toBe(keys.length);
      });

      test("two processes retrying the same failed keys at once: each retry is won exactly once", async () => {
        const [a, b] = await twoSides();
        const keys = Array.from({ length: 20 }, (_, i) => `retry-${i}`);
        for (const key of keys) {
          await a.claimEffect(effect(key, "proc-a"));
          await a.finishEffect(key, "proc-a", { status: "failed", error: "HTTP 502" });
        }
        const results = await Promise.all(
          keys.flatMap((key) => [
            a.claimEffect(effect(key, "proc-a2")).then((r) => ({ key, won: r.claimed })),
            b.claimEffect(effect(key, "proc-b")).then((r) => ({ key, won: r.claimed })),
          ]),
        );
        for (const key of keys) {
          expect(results.filter((r) => r.key === key && r.won)).toHaveLength(1);
          expect((await a.auditByKey(key))?.attempts).toBe(2);
        }
        expect((await a.stats()).audit_log).toBe(keys.length * 2);
      });

      test("the log lists newest first, filters by target and rule, and pages by id", async () => {
        const store = await fresh();
        for (let i = 0; i < 5; i++) {
          await store.recordAudit({
            key: `k${i}`,
            rule: i % 2 === 0 ? "R1" : "R2",
            effectType: "comment",
            target: i < 3 ? `${REPO}#1` : REPO,
            effect: {},
            status: "dry-run",
          });
        }
        const all = await store.listAudit();
        expect(all.map((e) => e.key)).toEqual(["k4", "k3", "k2", "k1", "k0"]);
        expect((await store.listAudit({ rule: "R1" })).map((e) => e.key)).toEqual([
          "k4",
          "k2",
          "k0",
        ]);
        expect((await store.listAudit({ target: REPO })).map((e) => e.key)).toEqual(["k4", "k3"]);
        const page = await store.listAudit({ limit: 2, before: all[1]!.id });
        expect(page.map((e) => e.key)).toEqual(["k2", "k1"]);
      });

      test("entries for a target are found by its full or short forms, never by a longer number", async () => {
        const store = await fresh();
        const targets = [
          `${REPO}#123`,
          `${REPO}#123/comment`,
          `${REPO}#1234`,
          "acme/fleet#123",
          "fleetdm/other#123",
          `${REPO}@main`,
          REPO,
        ];
        for (const [i, target] of targets.entries()) {
          await store.recordAudit({
            key: `k${i}`,
            effectType: "x",
            target,
            effect: {},
            status: "dry-run",
          });
        }
        const found = async (query: string) =>
          (await store.auditForTarget(query)).map((e) => e.target).sort();

        expect(await found(`${REPO}#123`)).toEqual([`${REPO}#123`, `${REPO}#123/comment`]);
        expect(await found("fleet#123")).toEqual(["acme/fleet#123", `${REPO}#123`]);
        expect(await found("PR#123")).toEqual(
          ["acme/fleet#123", "fleetdm/other#123", `${REPO}#123`].sort(),
        );
        expect(await found("#1234")).toEqual([`${REPO}#1234`]);
        expect(await found(`${REPO}@main`)).toEqual([`${REPO}@main`]);
        expect(await found(REPO)).toEqual([REPO]);
      });
    });
  });
}
