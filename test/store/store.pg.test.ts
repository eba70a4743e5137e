// The store suite on PostgreSQL. Each test gets its own schema, dropped afterwards, so
// parallel runs against one database do not collide.
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { openPostgres } from "../../src/store/db.js";
import { openStore } from "../../src/store/index.js";
import { PG_URL, pgAdmin, postgresAvailable } from "../support/postgres.js";
import { defineStoreSuite, type StoreLocation } from "./suite.js";

const url = PG_URL;
const reachable = await postgresAvailable("the PostgreSQL store suite");

const withAdmin = pgAdmin;

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
  skip: !reachable,
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

describe.skipIf(!reachable)("change tracking across connections (PostgreSQL)", () => {
  test("R2: a write committed after a reader's horizon, by a transaction already running, is still named", async () => {
    const location = await schemaLocation();
    const reader = await location.open();
    const writer = await location.open();
    try {
      const repo = "fleetdm/fleet";
      const at = "2024-05-01T09:00:00.000Z";
      const row = { repo, number: 1, isPullRequest: false, title: "a", state: "open" as const };
      await writer.upsertIssue({ ...row, createdAt: at, updatedAt: at, labels: [] });
      const before = (await reader.kpiChanges([repo], null)).horizon;
      let during = "";
      // The writer changes #1 and has not committed when the reader writes #2 (a later
      // transaction, committed first) and then looks. A cursor past the newest change seen
      // would skip #1 once the writer commits; the snapshot's xmin does not.
      await writer.transaction(async (tx) => {
        await tx.upsertIssue({
          ...row,
          title: "b",
          createdAt: at,
          updatedAt: "2024-05-02T09:00:00.000Z",
          labels: ["bug"],
        });
        await reader.upsertIssue({ ...row, number: 2, createdAt: at, updatedAt: at, labels: [] });
        const look = await reader.kpiChanges([repo], before);
        expect(look.changed).toEqual([[repo, 2]]);
        during = look.horizon;
      });
      const after = (await reader.kpiChanges([repo], during)).changed.map(([, n]) => n).sort();
      expect(after).toEqual([1, 2]);
    } finally {
      await reader.close();
      await writer.close();
      await location.dispose();
    }
  });
});
