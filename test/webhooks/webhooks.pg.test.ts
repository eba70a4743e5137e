// The webhook suite on PostgreSQL, and several Bosun processes sharing one database. Each
// test gets its own schema (and the queue's schema beside it), dropped afterwards.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { type Db, openPostgres } from "../../src/store/db.js";
import { openStore, type Store } from "../../src/store/index.js";
import { queueSchemaFor } from "../../src/store/queue.js";
import { emptyStore } from "../store/empty-store.js";
import { deliver, drained, examplesOf, type Pipeline, startPipeline } from "./helpers.js";
import { defineWebhookSuite } from "./suite.js";

const url =
  process.env.DATABASE_TEST_URL ??
  process.env.DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const reachable = await probe(url);

if (reachable !== true) {
  const advice = `PostgreSQL at ${url} is not reachable (${reachable}). Start one (e.g. \`docker run -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test -p 5432:5432 postgres:16\`) or set DATABASE_URL.`;
  if (process.env.CI) {
    describe("webhooks on PostgreSQL", () => {
      test("PostgreSQL is reachable (required when CI is set)", () => {
        throw new Error(advice);
      });
    });
  } else {
    console.warn(`skipping the PostgreSQL webhook suite: ${advice}`);
  }
}

async function probe(connectionString: string): Promise<true | string> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

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
  skip: reachable !== true,
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

describe.skipIf(reachable !== true)("several Bosun processes on one PostgreSQL", () => {
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
