// The webhook suite on PostgreSQL, and several Bosun processes sharing one database. Each
// test gets its own schema (and the queue's schema beside it), dropped afterwards.
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { type Db, openPostgres } from "../../src/store/db.js";
import { openStore, type Store } from "../../src/store/index.js";
import { queueSchemaFor } from "../../src/store/queue.js";
import { emptyStore } from "../store/empty-store.js";
import { PG_URL, pgAdmin, postgresAvailable } from "../support/postgres.js";
import { deliver, drained, examplesOf, type Pipeline, startPipeline } from "./helpers.js";
import { defineWebhookSuite } from "./suite.js";

const url = PG_URL;
const reachable = await postgresAvailable("the PostgreSQL webhook suite");

const withAdmin = pgAdmin;

/** A fresh schema; dispose drops it and the queue's schema beside it. */
async function freshSchema() {
  const schema = `bosun_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    open: () => openStore({ databaseUrl: url, schema }),
    dispose: () =>
      withAdmin((c) =>
        c.query(`DROP SCHEMA IF EXISTS ${schema}, ${queueSchemaFor(schema)} CASCADE`),
      ).then(() => {}),
  };
}

defineWebhookSuite("webhooks on PostgreSQL", {
  skip: !reachable,
  fresh: async () => {
    const location = await freshSchema();
    const store = await location.open();
    const raw: Db = await openPostgres({ connectionString: url, schema: location.schema, max: 1 });
    return {
      store,
      reset: () => emptyStore(raw),
      dispose: async () => {
        await raw.close();
        await store.close();
        await location.dispose();
      },
    };
  },
  location: freshSchema,
});

describe.skipIf(!reachable)("several Bosun processes on one PostgreSQL", () => {
  test("two workers share a burst of deliveries and apply each exactly once", {
    timeout: 60_000,
  }, async () => {
    const location = await freshSchema();
    const stores: Store[] = [];
    const pipelines: Pipeline[] = [];
    try {
      // Two processes, each with its own pool, endpoint, queue client and worker.
      for (let i = 0; i < 2; i++) {
        const store = await location.open();
        stores.push(store);
        pipelines.push(await startPipeline(store));
      }
      const template = examplesOf("issues").find((p) => p.action === "opened")!;
      const ids: string[] = [];
      const burst = Array.from({ length: 300 }, (_, i) => {
        const payload = structuredClone(template);
        payload.issue.number = 1000 + i;
        const deliveryId = randomUUID();
        ids.push(deliveryId);
        // Half the deliveries reach each process, as behind a load balancer.
        return deliver(pipelines[i % 2]!.app, {
          event: "issues",
          body: JSON.stringify(payload),
          deliveryId,
        });
      });
      const answers = await Promise.all(burst);
      expect(answers.map((a) => a.statusCode)).toEqual(ids.map(() => 202));

      await drained(stores[0]!);
      // Let every queued job settle before counting.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const applied = pipelines.flatMap((p) =>
        p.outcomes.filter((o) => o.outcome.status === "processed").map((o) => o.deliveryId),
      );
      expect(applied.sort()).toEqual([...ids].sort());
      expect(await stores[0]!.deliveryStats()).toEqual({ pending: 0, processed: 300, failed: 0 });
      expect(await stores[0]!.countIssues({ repo: "Codertocat/Hello-World" })).toBe(300);
    } finally {
      for (const p of pipelines) await p.close();
      for (const s of stores) await s.close();
      await location.dispose();
    }
  });
});
