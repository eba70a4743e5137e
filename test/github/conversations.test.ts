import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAnswer, withTypenames } from "../../emulator/contract/graphql-validator.js";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import type { GitHubClient } from "../../src/github/client.js";
import { REVIEWS_QUERY, syncComments } from "../../src/github/conversations.js";
import { syncRepository } from "../../src/github/sync.js";
import { applyDelivery, repositoryMatcher } from "../../src/github/webhooks/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { emulatorClient } from "../support/github.js";

const REPOS = ["fleetdm/fleet", "fleetdm/confidential"];

/** Count and a checksum of ids and update times: what "the store equals GitHub" is checked by. */
function digest(rows: { id: number; v: string | null }[]) {
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  const hash = createHash("sha256");
  for (const r of sorted) hash.update(`${r.id}@${r.v ? Date.parse(r.v) : "-"}\n`);
  return { count: sorted.length, checksum: hash.digest("hex").slice(0, 16) };
}

/** The emulator's own answer, read without any cap (a client of its own, no validators). */
async function githubConversations(emu: RunningEmulator, repo: string) {
  const client = emulatorClient(emu.url);
  const [owner, name] = repo.split("/") as [string, string];
  const comments = (await client.paginate("GET /repos/{owner}/{repo}/issues/comments", {
    owner,
    repo: name,
    per_page: 100,
  })) as { id: number; updated_at: string }[];
  const pulls = (await client.paginate("GET /repos/{owner}/{repo}/pulls", {
    owner,
    repo: name,
    state: "all",
    per_page: 100,
  })) as { number: number }[];
  const reviews: { id: number; submitted_at?: string | null }[] = [];
  for (const p of pulls) {
    reviews.push(
      ...((await client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
        owner,
        repo: name,
        pull_number: p.number,
        per_page: 100,
      })) as { id: number; submitted_at?: string | null }[]),
    );
  }
  return {
    comments: digest(comments.map((c) => ({ id: c.id, v: c.updated_at }))),
    reviews: digest(reviews.map((r) => ({ id: r.id, v: r.submitted_at ?? null }))),
  };
}

async function storedConversations(store: Store, repo: string) {
  return {
    comments: digest(
      (await store.commentVersions(repo)).map((c) => ({ id: c.id, v: c.updatedAt })),
    ),
    reviews: digest(
      (await store.reviewVersions(repo)).map((r) => ({ id: r.id, v: r.submittedAt })),
    ),
  };
}

async function syncAll(store: Store, client: GitHubClient) {
  const reports = [];
  for (const repo of REPOS) reports.push(await syncRepository({ client, store }, repo));
  return reports;
}

/** Feed events by id, in the store and on GitHub (read without any cap). */
async function eventDigests(emu: RunningEmulator, store: Store, repo: string) {
  const client = emulatorClient(emu.url);
  const [owner, name] = repo.split("/") as [string, string];
  const github = (await client.paginate("GET /repos/{owner}/{repo}/issues/events", {
    owner,
    repo: name,
    per_page: 100,
  })) as { id: number; created_at: string }[];
  const stored = (await store.listIssueEvents({ repo, limit: 1_000_000 })).filter((e) => e.id > 0);
  return {
    github: digest(github.map((e) => ({ id: e.id, v: e.created_at }))),
    stored: digest(stored.map((e) => ({ id: e.id, v: e.createdAt }))),
  };
}

describe("comments and reviews in the store", () => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startEmulator({ size: 300, seed: 9 });
  }, 120_000);
  afterAll(async () => {
    await emu?.close();
  });

  it("a full sync stores the emulator's comments and reviews exactly (counts and checksum)", async () => {
    const store = await openStore({ inMemory: true });
    try {
      await syncAll(store, emulatorClient(emu.url, store));
      for (const repo of REPOS) {
        const expected = await githubConversations(emu, repo);
        expect(expected.comments.count).toBeGreaterThan(0);
        expect(await storedConversations(store, repo)).toEqual(expected);
      }
    } finally {
      await store.close();
    }
  }, 120_000);

  it("with GitHub's deep-pagination cap at 5 pages the walk still reads every comment", async () => {
    const capped = await startEmulator({ size: 700, seed: 9, paginationCap: 5 });
    const store = await openStore({ inMemory: true });
    try {
      const client = emulatorClient(capped.url, store);
      // The cap bites: a walk by page number ends at page 5 (or is refused past it).
      const [owner, name] = REPOS[0]!.split("/") as [string, string];
      const naive = await client
        .paginate("GET /repos/{owner}/{repo}/issues/comments", { owner, repo: name, per_page: 100 })
        .catch((error: unknown) => error);
      const reports = await syncAll(store, client);
      // GitHub's truth, read with the cap lifted.
      await fetch(`${capped.url}/_emulator/pagination-cap`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ pages: null }),
      });
      for (const repo of REPOS) {
        expect(await storedConversations(store, repo)).toEqual(
          await githubConversations(capped, repo),
        );
        const events = await eventDigests(capped, store, repo);
        expect(events.stored).toEqual(events.github);
      }
      // The events feed of the big repository is deeper than 5 pages: the sync said it fell back.
      expect(reports[0]!.fellBack).toMatchObject({ issues: expect.any(Number) });
      expect(reports[0]!.fellBack!.issues).toBeGreaterThan(0);
      const total = (await store.commentVersions(REPOS[0]!)).length;
      expect(total).toBeGreaterThan(500);
      if (Array.isArray(naive)) expect(naive.length).toBeLessThanOrEqual(500);
      else expect(naive).toMatchObject({ status: 422 });
      expect(reports[0]!.conversations!.comments).toBeGreaterThan(500);
      expect(reports.every((r) => r.conversations!.paginationLimited === 0)).toBe(true);
    } finally {
      await store.close();
      await capped.close();
    }
  }, 180_000);

  it("comments edited while the walk runs shift nothing out of it", async () => {
    const moving = await startEmulator({ size: 300, seed: 9 });
    const store = await openStore({ inMemory: true });
    try {
      const client = emulatorClient(moving.url, store);
      const writer = emulatorClient(moving.url);
      const [owner, name] = REPOS[0]!.split("/") as [string, string];
      // Comments need no issues stored first: the walk alone, with edits under it.
      let requests = 0;
      const read: { id: number }[] = [];
      client.hook.after("request", async (response, options) => {
        if (!String(options.url).includes("/issues/comments")) return;
        read.push(...((response.data as { id: number }[]) ?? []));
        // After the second page, edit twenty comments already read: each moves to the end.
        if (++requests === 2) {
          for (const c of read.slice(0, 20)) {
            await writer.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
              owner,
              repo: name,
              comment_id: c.id,
              body: `edited ${c.id}`,
            });
          }
        }
      });
      await syncComments({ client, store }, REPOS[0]!);
      expect(requests).toBeGreaterThan(2);
      expect((await storedConversations(store, REPOS[0]!)).comments).toEqual(
        (await githubConversations(moving, REPOS[0]!)).comments,
      );
    } finally {
      await store.close();
      await moving.close();
    }
  }, 180_000);

  it("the next sync reads only what changed, and a sync with nothing new stores nothing in one request", async () => {
    const live = await startEmulator({ size: 120, seed: 4 });
    const store = await openStore({ inMemory: true });
    try {
      const client = emulatorClient(live.url, store);
      const repo = REPOS[0]!;
      const [owner, name] = repo.split("/") as [string, string];
      await syncRepository({ client, store }, repo);
      const quiet = await syncComments({ client, store }, repo);
      expect(quiet).toMatchObject({ comments: 0, commentRequests: 1 });
      const writer = emulatorClient(live.url);
      const [issue] = (await writer.paginate("GET /repos/{owner}/{repo}/issues", {
        owner,
        repo: name,
        per_page: 100,
      })) as { number: number }[];
      const made = await writer.request(
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
        {
          owner,
          repo: name,
          issue_number: issue!.number,
          body: "a new reply",
        },
      );
      const next = await syncComments({ client, store }, repo);
      // The window re-reads the boundary comment (since is inclusive) but stores only the new one.
      expect(next).toMatchObject({ commentRequests: 1, comments: 1 });
      const stored = await store.listComments(repo, issue!.number);
      expect(stored.map((c) => c.id)).toContain(made.data.id);
    } finally {
      await store.close();
      await live.close();
    }
  }, 180_000);

  it("comment edits and deletions arriving as webhooks keep the store equal to GitHub", async () => {
    const live = await startEmulator({ size: 120, seed: 4 });
    const store = await openStore({ inMemory: true });
    const received: { event: string; payload: Record<string, unknown> }[] = [];
    const hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ event: String(req.headers["x-github-event"]), payload: JSON.parse(body) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    try {
      const repo = REPOS[0]!;
      const [owner, name] = repo.split("/") as [string, string];
      const client = emulatorClient(live.url, store);
      await syncRepository({ client, store }, repo);
      const port = (hook.address() as { port: number }).port;
      await fetch(`${live.url}/_emulator/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          url: `http://127.0.0.1:${port}/`,
          secret: "s",
          events: ["issue_comment"],
        }),
      });
      const writer = emulatorClient(live.url);
      const stored = await store.commentVersions(repo);
      const [edited, deleted] = [stored[0]!.id, stored[1]!.id];
      await writer.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner,
        repo: name,
        comment_id: edited,
        body: "edited through the API",
      });
      await writer.request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner,
        repo: name,
        comment_id: deleted,
      });
      for (let i = 0; i < 600 && received.length < 2; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(received.map((r) => `${r.event}.${r.payload.action}`)).toEqual([
        "issue_comment.edited",
        "issue_comment.deleted",
      ]);
      const matcher = repositoryMatcher(REPOS);
      for (const { event, payload } of received) {
        await applyDelivery(
          store,
          {
            deliveryId: randomUUID(),
            event,
            action: String(payload.action),
            repository: repo,
            receivedAt: new Date().toISOString(),
            processedAt: null,
            error: null,
            retries: 0,
            payload,
          },
          matcher,
        );
      }
      expect((await storedConversations(store, repo)).comments).toEqual(
        (await githubConversations(live, repo)).comments,
      );
      // The next sync agrees, and reads the deleted comment back from nowhere.
      await syncComments({ client, store }, repo);
      expect((await store.commentVersions(repo)).some((c) => c.id === deleted)).toBe(false);
    } finally {
      hook.close();
      await store.close();
      await live.close();
    }
  }, 180_000);

  it("reviews come from GraphQL (answers valid against GitHub's schema), newest first, the busy ones through REST", async () => {
    const live = await startEmulator({ size: 120, seed: 4 });
    const store = await openStore({ inMemory: true });
    try {
      const repo = REPOS[0]!;
      const [owner, name] = repo.split("/") as [string, string];
      const query = withTypenames(REVIEWS_QUERY);
      const variables = { owner, name, after: null, pulls: 50, reviews: 20 };
      const body = (await fetch(`${live.url}/graphql`, {
        method: "POST",
        headers: { authorization: "bearer test-token", "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json())) as { data: unknown; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(checkAnswer(query, variables, body.data)).toEqual([]);

      const client = emulatorClient(live.url, store);
      const first = (await syncRepository({ client, store }, repo)).conversations!;
      expect(first.reviewRequests).toBeLessThan(10);
      // One pull request gets 25 reviews, more than a GraphQL page of them.
      const writer = emulatorClient(live.url);
      const [pull] = (
        await writer.request("GET /repos/{owner}/{repo}/pulls", {
          owner,
          repo: name,
          state: "open",
          per_page: 1,
        })
      ).data as { number: number }[];
      for (let i = 0; i < 25; i++) {
        await writer.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
          owner,
          repo: name,
          pull_number: pull!.number,
          event: "COMMENT",
          body: `look ${i}`,
        });
      }
      // The next sync stores the pull request's new update time, then reads its reviews: one
      // GraphQL page reaches back past the last walk, one REST page reads the busy one.
      const next = (await syncRepository({ client, store }, repo)).conversations!;
      expect(next.reviewRequests).toBe(2);
      expect((await storedConversations(store, repo)).reviews).toEqual(
        (await githubConversations(live, repo)).reviews,
      );
    } finally {
      await store.close();
      await live.close();
    }
  }, 180_000);

  it("a deleted comment is tombstoned: a late write never brings it back", async () => {
    const store = await openStore({ inMemory: true });
    try {
      const comment = {
        id: 77,
        repo: "o/r",
        issueNumber: 1,
        body: "hi",
        createdAt: "2026-11-02T10:00:00Z",
        updatedAt: "2026-11-02T10:00:00Z",
      };
      await store.upsertComment(comment);
      await store.deleteComment(77, "o/r");
      await store.upsertComments([
        { ...comment, body: "edited", updatedAt: "2026-11-03T10:00:00Z" },
      ]);
      expect(await store.listComments("o/r", 1)).toEqual([]);
      // A comment that arrives before its issue is kept, and read with the issue later.
      await store.upsertComment({ ...comment, id: 78, issueNumber: 9 });
      expect((await store.listComments("o/r", 9)).map((c) => c.id)).toEqual([78]);
    } finally {
      await store.close();
    }
  });
});
