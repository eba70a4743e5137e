// PostgreSQL for tests: a reachability probe that fails the suite in CI and skips it (with a
// message) on a laptop without PostgreSQL, and a fresh schema per test, dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, test } from "vitest";

export const PG_URL =
  process.env.DATABASE_TEST_URL ??
  process.env.DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";

/** True when PostgreSQL answers; otherwise registers a failing test in CI, or warns and returns false. */
export async function postgresAvailable(suite: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  let problem: string | undefined;
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    problem = (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
  if (problem === undefined) return true;
  const advice = `PostgreSQL at ${PG_URL} is not reachable (${problem}); set DATABASE_TEST_URL or start PostgreSQL.`;
  if (process.env.CI) {
    describe(suite, () => {
      test("PostgreSQL is reachable (required when CI is set)", () => {
        throw new Error(advice);
      });
    });
  } else {
    console.warn(`skipping ${suite}: ${advice}`);
  }
  return false;
}

/** Runs `fn` with a short-lived admin connection (schemas are created and dropped with it). */
export async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A schema of its own for one test; `drop()` removes it and everything in it. */
export async function freshSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `bosun_test_${randomBytes(6).toString("hex")}`;
  await pgAdmin((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    drop: () => pgAdmin((c) => c.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined),
  };
}
