// The store suite on PostgreSQL. Each test gets its own schema, dropped afterwards, so
// parallel runs against one database do not collide.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, test } from "vitest";
import { openPostgres } from "../../src/store/db.js";
import { openStore } from "../../src/store/index.js";
import { defineStoreSuite, type StoreLocation } from "./suite.js";

const url =
  process.env.DATABASE_TEST_URL ??
  process.env.DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const reachable = await probe(url);

if (reachable !== true) {
  const advice = `PostgreSQL at ${url} is not reachable (${reachable}). Start one (e.g. \`docker run -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test -p 5432:5432 postgres:16\`) or set DATABASE_URL.`;
  if (process.env.CI) {
    describe("store on PostgreSQL", () => {
      test("PostgreSQL is reachable (required when CI is set)", () => {
        throw new Error(advice);
      });
    });
  } else {
    console.warn(`skipping the PostgreSQL store suite: ${advice}`);
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

async function schemaLocation(): Promise<StoreLocation> {
  const schema = `bosun_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    open: () => openStore({ databaseUrl: url, schema }),
    raw: () => openPostgres({ connectionString: url, schema, max: 1 }),
    dispose: () => withAdmin((c) => c.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => {}),
  };
}

defineStoreSuite("store on PostgreSQL", {
  skip: reachable !== true,
  fresh: async () => {
    const location = await schemaLocation();
    const store = await location.open();
    return {
      store,
      dispose: async () => {
        await store.close();
        await location.dispose();
      },
    };
  },
  location: schemaLocation,
  concurrentOpens: true,
});
