import { openStore } from "../../src/store/index.js";
import { freshSchema, PG_URL, postgresAvailable } from "../support/postgres.js";
import { releaseStoreSuite } from "./snapshot-suite.js";

if (await postgresAvailable("release train store on PostgreSQL")) {
  releaseStoreSuite("the merge gate's snapshot and the deploy records (PostgreSQL)", async () => {
    const schema = await freshSchema();
    const store = await openStore({ databaseUrl: PG_URL, schema: schema.schema });
    return Object.assign(store, { drop: schema.drop });
  });
}
