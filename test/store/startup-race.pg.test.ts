// Issue #20, item 5: two servers started together on a fresh PostgreSQL database. Each opens
// its store (migrations) and its webhook queue (pg-boss creating its schema) at the same time;
// before the shared set-up lock, one died of a duplicate key in pg_namespace in 5 of 5 trials.
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { openStore } from "../../src/store/index.js";
import { PG_URL, pgAdmin, postgresAvailable } from "../support/postgres.js";

const reachable = await postgresAvailable("the PostgreSQL start-up race test");

/** PG_URL with its database replaced by `name`. */
function databaseUrl(name: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startServer(url: string): Promise<void> {
  const store = await openStore({ databaseUrl: url });
  try {
    const queue = await store.openDeliveryQueue({ onError: () => {} });
    await queue.stop();
  } finally {
    await store.close();
  }
}

describe.skipIf(!reachable)("two servers starting together on a fresh database", () => {
  test("both set up the store and the queue, in each of 5 trials", {
    timeout: 180_000,
  }, async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < 5; trial++) {
      const name = `bosun_race_${randomBytes(6).toString("hex")}`;
      await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
      try {
        const outcomes = await Promise.allSettled([
          startServer(databaseUrl(name)),
          startServer(databaseUrl(name)),
        ]);
        for (const outcome of outcomes)
          if (outcome.status === "rejected")
            failures.push(`trial ${trial}: ${String(outcome.reason)}`);
      } finally {
        await pgAdmin((c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
      }
    }
    expect(failures).toEqual([]);
  });
});
