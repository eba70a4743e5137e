// The webhook suite on the embedded store (PGlite), plus what only the HTTP layer decides.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { repositoryMatcher } from "../../src/github/webhooks/index.js";
import { type Db, openPglite } from "../../src/store/db.js";
import { openStore, Store } from "../../src/store/index.js";
import { migrate } from "../../src/store/migrations.js";
import { emptyStore } from "../store/empty-store.js";
import { testServer } from "../support/app.js";
import { deliver, examplesOf } from "./helpers.js";
import { defineWebhookSuite } from "./suite.js";

// Starting PGlite costs about a second: the suite's fresh stores share one in-memory
// database, emptied before each test (the queue's schema stays; its jobs are done).
let shared: { db: Db; store: Store } | undefined;
afterAll(async () => {
  await shared?.store.close();
});

defineWebhookSuite("webhooks on the embedded store", {
  fresh: async () => {
    if (!shared) {
      const db = await openPglite();
      await migrate(db);
      shared = { db, store: new Store(db) };
    }
    const { db, store } = shared;
    await emptyStore(db);
    return { store, reset: () => emptyStore(db), dispose: async () => {} };
  },
  location: async () => {
    const dir = mkdtempSync(join(tmpdir(), "bosun-webhooks-"));
    return {
      open: () => openStore({ dataDir: dir, holder: { command: "bosun test" } }),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
});

describe("the webhook route inside the Bosun server", () => {
  test("other routes keep their own body parsing and answers", async () => {
    const t = await testServer();
    const app = await (await import("../../src/server/app.js")).buildServer({
      data: t.data,
      summary: () => ({}) as never,
      rules: [],
      webhooks: {
        secret: "s",
        repositories: repositoryMatcher(["fleetdm/fleet"]),
        store: t.store,
      },
    });
    try {
      const config = await app.inject("/api/rules");
      expect(config.statusCode).toBe(200);
      expect(config.json()).toEqual([]);
      const post = await app.inject({
        method: "POST",
        url: "/api/rules",
        headers: { "content-type": "application/json" },
        payload: "{not json",
      });
      // Fastify's JSON parser still guards the other routes (400), not the webhook's raw one.
      expect(post.statusCode).toBe(400);
      const r = await deliver(app, {
        event: "issues",
        body: JSON.stringify(examplesOf("issues")[0]),
      });
      expect(r.statusCode).toBe(401); // signed with another secret
    } finally {
      await app.close();
      await t.close();
    }
  });
});
