// The webhook suite, run on the embedded store (webhooks.test.ts) and on PostgreSQL
// (webhooks.pg.test.ts).
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { repositoryMatcher, signBody } from "../../src/github/webhooks/index.js";
import type { Store } from "../../src/store/index.js";
import {
  deliver,
  EVENTS,
  exampleRepositories,
  examplesOf,
  expectProcessedWithoutError,
  type Payload,
  processed,
  SECRET,
  startPipeline,
} from "./helpers.js";
import { expectReflected, seedFor } from "./reflected.js";

export interface FreshStore {
  store: Store;
  /** Empties every table, keeping the schema (and the queue's). */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

/** A store that can be closed and opened again, as across a crash and restart. */
export interface StoreLocation {
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

export interface WebhookSuiteOptions {
  skip?: boolean;
  fresh(): Promise<FreshStore>;
  location(): Promise<StoreLocation>;
}

const HELLO = "Codertocat/Hello-World";

function example(event: string, action?: string): Payload {
  const found = examplesOf(event).find((p) => action === undefined || p.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  return structuredClone(found);
}

async function withPipeline(
  fresh: FreshStore,
  fn: (p: Awaited<ReturnType<typeof startPipeline>>, store: Store) => Promise<void>,
  options: Parameters<typeof startPipeline>[1] = {},
) {
  const pipeline = await startPipeline(fresh.store, options);
  try {
    await fn(pipeline, fresh.store);
  } finally {
    await pipeline.close();
    await fresh.dispose();
  }
}

export function defineWebhookSuite(name: string, options: WebhookSuiteOptions) {
  describe.skipIf(options.skip)(name, () => {
    test("every published example of the handled events is accepted when signed and reflected in the store", {
      timeout: 120_000,
    }, async () => {
      const fresh = await options.fresh();
      const repositories = repositoryMatcher(exampleRepositories());
      await withPipeline(fresh, async ({ app }, store) => {
        let count = 0;
        for (const event of EVENTS) {
          for (const payload of examplesOf(event)) {
            await fresh.reset();
            // Organisation-wide deliveries are kept under the organisation.
            const repo =
              repositories.resolve(payload.repository?.full_name ?? "") ??
              payload.organization.login;
            await seedFor(store, repo, event, payload);
            const deliveryId = randomUUID();
            const r = await deliver(app, { event, body: JSON.stringify(payload), deliveryId });
            expect(r.statusCode, `${event}.${payload.action}: ${r.body}`).toBe(202);
            expectProcessedWithoutError(await processed(store, deliveryId));
            await expectReflected(store, repo, event, payload, repositories.resolve);
            count++;
          }
        }
        expect(count).toBe(138);
      });
    });

    test("a forged signature is refused with 401 and nothing is stored", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const body = JSON.stringify(example("issues", "opened"));
        const forged = `sha256=${"0".repeat(64)}`;
        const other = await deliver(app, { event: "issues", body, signature: forged });
        expect(other.statusCode).toBe(401);
        expect(other.json().error).toMatch(/does not match/);
        // Signed over another body: the signature covers the exact bytes.
        const tampered = await deliver(app, {
          event: "issues",
          body: body.replace("Spelling error", "Spelling errors"),
          signature: signBody(SECRET, body),
        });
        expect(tampered.statusCode).toBe(401);
        expect(await store.deliveryStats()).toEqual({ pending: 0, processed: 0, failed: 0 });
      });
    });

    test("a missing signature is refused with 401 and nothing is stored", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const body = JSON.stringify(example("issues", "opened"));
        const r = await deliver(app, { event: "issues", body, signature: null });
        expect(r.statusCode).toBe(401);
        expect(r.json().error).toMatch(/missing X-Hub-Signature-256/);
        const empty = await app.inject({
          method: "POST",
          url: "/webhooks/github",
          headers: { "x-github-event": "issues", "x-github-delivery": randomUUID() },
        });
        expect(empty.statusCode).toBe(401);
        expect(await store.deliveryStats()).toEqual({ pending: 0, processed: 0, failed: 0 });
      });
    });

    test("without a configured secret every delivery is refused with 503 saying how to set one", async () => {
      const fresh = await options.fresh();
      await withPipeline(
        fresh,
        async ({ app }, store) => {
          const r = await deliver(app, {
            event: "issues",
            body: JSON.stringify(example("issues")),
          });
          expect(r.statusCode).toBe(503);
          expect(r.json().error).toMatch(/BOSUN_WEBHOOK_SECRET/);
          expect(await store.deliveryStats()).toEqual({ pending: 0, processed: 0, failed: 0 });
        },
        { secret: null },
      );
    });

    test("malformed JSON is refused with 400; a signed non-object too", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const r = await deliver(app, { event: "issues", body: '{"action": "opened",' });
        expect(r.statusCode).toBe(400);
        expect(r.json().error).toMatch(/not valid JSON/);
        const list = await deliver(app, { event: "issues", body: "[1, 2]" });
        expect(list.statusCode).toBe(400);
        expect(await store.deliveryStats()).toEqual({ pending: 0, processed: 0, failed: 0 });
      });
    });

    test("ping is answered 200; an unknown event is skipped with 202; neither is stored", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const ping = await deliver(app, {
          event: "ping",
          body: JSON.stringify({ zen: "Design for failure.", hook_id: 1 }),
        });
        expect(ping.statusCode).toBe(200);
        const star = examplesOf("star")[0]!;
        const r = await deliver(app, { event: "star", body: JSON.stringify(star) });
        expect(r.statusCode).toBe(202);
        expect(r.json().skipped).toMatch(/event star is not one Bosun handles/);
        expect(await store.deliveryStats()).toEqual({ pending: 0, processed: 0, failed: 0 });
      });
    });

    test("a delivery for a repository not in the configuration is skipped and not stored", async () => {
      const fresh = await options.fresh();
      await withPipeline(
        fresh,
        async ({ app }, store) => {
          const r = await deliver(app, {
            event: "issues",
            body: JSON.stringify(example("issues", "opened")),
          });
          expect(r.statusCode).toBe(202);
          expect(r.json().skipped).toMatch(/Codertocat\/Hello-World is not configured/);
          expect(await store.deliveryStats()).toEqual({ pending: 0, processed: 0, failed: 0 });
        },
        { repositories: ["fleetdm/fleet"] },
      );
    });

    test("repositories match case-insensitively and are stored under the configured spelling", async () => {
      const fresh = await options.fresh();
      await withPipeline(
        fresh,
        async ({ app }, store) => {
          const deliveryId = randomUUID();
          const payload = example("issues", "opened");
          await deliver(app, { event: "issues", body: JSON.stringify(payload), deliveryId });
          const row = await processed(store, deliveryId);
          expect(row.repository).toBe("codertocat/hello-world");
          expect(
            await store.getIssue("codertocat/hello-world", payload.issue.number),
          ).not.toBeNull();
        },
        { repositories: ["codertocat/hello-world"] },
      );
    });

    test("a redelivery of a known delivery id answers duplicate and is stored and applied once", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app, outcomes }, store) => {
        const deliveryId = randomUUID();
        const body = JSON.stringify(example("issues", "opened"));
        const first = await deliver(app, { event: "issues", body, deliveryId });
        expect(first.statusCode).toBe(202);
        const again = await deliver(app, { event: "issues", body, deliveryId });
        expect(again.statusCode).toBe(200);
        expect(again.json()).toMatchObject({ duplicate: true });
        await processed(store, deliveryId);
        expect(await store.deliveryStats()).toEqual({ pending: 0, processed: 1, failed: 0 });
        expect(outcomes.filter((o) => o.outcome.status === "processed")).toHaveLength(1);
      });
    });

    test("a form-encoded delivery (payload=...) is accepted like a JSON one", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const deliveryId = randomUUID();
        const payload = example("issues", "opened");
        const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
        const r = await deliver(app, {
          event: "issues",
          body,
          deliveryId,
          contentType: "application/x-www-form-urlencoded",
        });
        expect(r.statusCode).toBe(202);
        expectProcessedWithoutError(await processed(store, deliveryId));
        expect(await store.getIssue(HELLO, payload.issue.number)).not.toBeNull();
      });
    });

    test("an older delivery processed after a newer one does not overwrite the newer state", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const newer = example("issues", "edited");
        newer.issue.title = "the newer title";
        newer.issue.updated_at = "2030-01-02T00:00:00Z";
        const older = structuredClone(newer);
        older.issue.title = "the older title";
        older.issue.updated_at = "2030-01-01T00:00:00Z";
        for (const payload of [newer, older]) {
          const deliveryId = randomUUID();
          await deliver(app, { event: "issues", body: JSON.stringify(payload), deliveryId });
          expectProcessedWithoutError(await processed(store, deliveryId));
        }
        expect(await store.getIssue(HELLO, newer.issue.number)).toMatchObject({
          title: "the newer title",
          updatedAt: "2030-01-02T00:00:00.000Z",
        });
      });
    });

    test("a merged pull request is stored closed with merged_at; its labels follow labeled deliveries", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const merged = example("pull_request", "closed");
        merged.pull_request.merged = true;
        merged.pull_request.merged_at = "2030-01-01T00:00:00Z";
        merged.pull_request.updated_at = "2030-01-01T00:00:00Z";
        const deliveryId = randomUUID();
        await deliver(app, { event: "pull_request", body: JSON.stringify(merged), deliveryId });
        expectProcessedWithoutError(await processed(store, deliveryId));
        expect(await store.getIssue(HELLO, merged.pull_request.number)).toMatchObject({
          state: "closed",
          mergedAt: "2030-01-01T00:00:00.000Z",
        });
      });
    });

    test("R2: a labeled delivery is an issue event at once; a redelivery adds none; the sync's real event replaces it", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const send = async (event: string, payload: Payload) => {
          const deliveryId = randomUUID();
          await deliver(app, { event, body: JSON.stringify(payload), deliveryId });
          expectProcessedWithoutError(await processed(store, deliveryId));
        };
        const labeled = example("issues", "labeled");
        labeled.issue.updated_at = "2030-01-01T10:00:00Z";
        const number = labeled.issue.number as number;
        const name = labeled.label.name as string;
        const events = () => store.listIssueEvents({ repo: HELLO, issueNumber: number });
        await send("issues", labeled);
        const [webhook, ...more] = await events();
        expect(more).toEqual([]);
        expect(webhook).toMatchObject({
          event: "labeled",
          labelName: name,
          createdAt: "2030-01-01T10:00:00.000Z",
        });
        expect(webhook!.id).toBeLessThan(0);
        // GitHub redelivers it under another delivery id: the same event, stored once.
        await send("issues", labeled);
        expect((await events()).map((e) => e.id)).toEqual([webhook!.id]);
        // The sync brings GitHub's own event (its time a second off the payload's): it replaces it.
        const real = {
          id: 987_654_321,
          repo: HELLO,
          issueNumber: number,
          event: "labeled",
          labelName: name,
          createdAt: "2030-01-01T10:00:01Z",
        };
        expect(await store.insertIssueEvents([real])).toBe(1);
        expect((await events()).map((e) => [e.id, e.event, e.labelName])).toEqual([
          [real.id, "labeled", name],
        ]);
        // A delivery processed after the sync stored its event adds nothing.
        await send("issues", labeled);
        expect((await events()).map((e) => e.id)).toEqual([real.id]);
        // Another label's event, or the same label an hour later, is another change.
        expect(
          await store.insertWebhookIssueEvents([
            { ...real, id: -5, labelName: "other" },
            { ...real, id: -6, createdAt: "2030-01-01T11:00:01Z" },
          ]),
        ).toBe(2);
        await expect(store.insertIssueEvents([{ ...real, id: -7 }])).rejects.toThrow(
          /GitHub event ids are positive/,
        );
      });
    });

    test("R2: pull request state changes (closed, converted_to_draft) are issue events at once", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const send = async (event: string, payload: Payload) => {
          const deliveryId = randomUUID();
          await deliver(app, { event, body: JSON.stringify(payload), deliveryId });
          expectProcessedWithoutError(await processed(store, deliveryId));
        };
        const draft = example("pull_request", "converted_to_draft");
        draft.pull_request.updated_at = "2030-01-02T10:00:00Z";
        await send("pull_request", draft);
        const closed = example("pull_request", "closed");
        closed.pull_request.number = draft.pull_request.number;
        closed.pull_request.updated_at = "2030-01-02T11:00:00Z";
        await send("pull_request", closed);
        const events = await store.listIssueEvents({
          repo: HELLO,
          issueNumber: draft.pull_request.number,
        });
        expect(events.map((e) => [e.event, e.createdAt])).toEqual([
          ["convert_to_draft", "2030-01-02T10:00:00.000Z"],
          ["closed", "2030-01-02T11:00:00.000Z"],
        ]);
      });
    });

    test("a bad delivery is recorded with its error and does not block the next; it can be retried", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app, worker }, store) => {
        const bad = example("issues", "opened");
        delete bad.issue.title;
        const badId = randomUUID();
        await deliver(app, { event: "issues", body: JSON.stringify(bad), deliveryId: badId });
        const goodId = randomUUID();
        const good = example("label", "created");
        await deliver(app, { event: "label", body: JSON.stringify(good), deliveryId: goodId });
        const failed = await processed(store, badId);
        expect(failed.error).toMatch(
          new RegExp(
            `delivery ${badId} \\(issues.opened, ${HELLO}\\): issue in ${HELLO}: field title`,
          ),
        );
        expect(await store.getIssue(HELLO, bad.issue.number)).toBeNull();
        expectProcessedWithoutError(await processed(store, goodId));

        expect(await worker!.retry(goodId)).toBe(false);
        expect(await worker!.retry(badId)).toBe(true);
        const retried = await processed(store, badId);
        expect(retried.retries).toBe(1);
        expect(retried.error).toMatch(/field title/);
      });
    });

    test("a label renamed or deleted on GitHub is renamed or removed on every issue carrying it", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const labeled = example("issues", "labeled");
        const number = labeled.issue.number;
        const send = async (event: string, payload: Payload) => {
          const deliveryId = randomUUID();
          await deliver(app, { event, body: JSON.stringify(payload), deliveryId });
          expectProcessedWithoutError(await processed(store, deliveryId));
        };
        await send("issues", labeled);
        const name = labeled.label.name as string;
        expect((await store.getIssue(HELLO, number))!.labels).toContain(name);
        const edited = example("label", "edited");
        edited.label.name = "renamed";
        edited.changes = { name: { from: name } };
        await send("label", edited);
        expect((await store.getIssue(HELLO, number))!.labels).toContain("renamed");
        expect((await store.getIssue(HELLO, number))!.labels).not.toContain(name);
        const deleted = example("label", "deleted");
        deleted.label.name = "renamed";
        await send("label", deleted);
        expect((await store.getIssue(HELLO, number))!.labels).not.toContain("renamed");
      });
    });

    test("an edit processed after the issue's deletion does not bring it back", async () => {
      const fresh = await options.fresh();
      await withPipeline(fresh, async ({ app }, store) => {
        const send = async (event: string, payload: Payload) => {
          const deliveryId = randomUUID();
          await deliver(app, { event, body: JSON.stringify(payload), deliveryId });
          expectProcessedWithoutError(await processed(store, deliveryId));
        };
        const opened = example("issues", "opened");
        const number = opened.issue.number;
        await send("issues", opened);
        expect(await store.getIssue(HELLO, number)).not.toBeNull();
        const deleted = example("issues", "deleted");
        deleted.issue.number = number;
        await send("issues", deleted);
        expect(await store.getIssue(HELLO, number)).toBeNull();
        // GitHub sent the edit before the deletion; it arrives, or is retried, after it.
        const edited = example("issues", "edited");
        edited.issue = { ...opened.issue, title: "edited before it was deleted" };
        await send("issues", edited);
        expect(await store.getIssue(HELLO, number)).toBeNull();
      });
    });

    test("a sweep pages through pending deliveries, each once, however close their arrival", async () => {
      const fresh = await options.fresh();
      try {
        const store = fresh.store;
        const ids = await Promise.all(
          Array.from({ length: 40 }, async () => {
            const deliveryId = randomUUID();
            await store.ingestDelivery({
              deliveryId,
              event: "ping",
              action: null,
              repository: HELLO,
              payload: "{}",
            });
            return deliveryId;
          }),
        );
        const seen: string[] = [];
        let after: { receivedAt: string; deliveryId: string } | undefined;
        for (let pages = 0; pages < 100; pages++) {
          const page = await store.pendingDeliveryIds({ limit: 7, ...(after ? { after } : {}) });
          if (page.length === 0) break;
          seen.push(...page.map((p) => p.deliveryId));
          after = page[page.length - 1]!;
        }
        expect(seen.sort()).toEqual([...ids].sort());
      } finally {
        await fresh.dispose();
      }
    });

    test("a delivery stored before a crash is processed exactly once by the next worker", async () => {
      const location = await options.location();
      try {
        // First life: the endpoint stores two deliveries; one is enqueued, the other's enqueue
        // never happens (the process dies first). No worker runs before the crash.
        const first = await location.open();
        const before = await startPipeline(first, { worker: false });
        const enqueuedId = randomUUID();
        const strandedId = randomUUID();
        const opened = example("issues", "opened");
        await deliver(before.app, {
          event: "issues",
          body: JSON.stringify(opened),
          deliveryId: enqueuedId,
        });
        const label = example("label", "created");
        const stored = await first.ingestDelivery({
          deliveryId: strandedId,
          event: "label",
          action: "created",
          repository: HELLO,
          payload: JSON.stringify(label),
        });
        expect(stored).toBe(true);
        await before.close();
        await first.close();

        // Second life: a new worker on the same store.
        const second = await location.open();
        const after = await startPipeline(second);
        try {
          expectProcessedWithoutError(await processed(second, enqueuedId));
          expectProcessedWithoutError(await processed(second, strandedId));
          expect(await second.getIssue(HELLO, opened.issue.number)).not.toBeNull();
          expect((await second.listLabels(HELLO)).map((l) => l.name)).toContain(label.label.name);
          // Let the queue settle, then count: each delivery was applied exactly once.
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const applied = after.outcomes.filter((o) => o.outcome.status === "processed");
          expect(applied.map((o) => o.deliveryId).sort()).toEqual([enqueuedId, strandedId].sort());
          expect(await second.deliveryStats()).toEqual({ pending: 0, processed: 2, failed: 0 });
        } finally {
          await after.close();
          await second.close();
        }
      } finally {
        await location.dispose();
      }
    });
  });
}
