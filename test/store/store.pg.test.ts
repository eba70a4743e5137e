// The store suite on PostgreSQL. Each test gets its own schema, dropped afterwards, so
// parallel runs against one database do not collide.
import { randomBytes } from "node:crypto";
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
