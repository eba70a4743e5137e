import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { type Db, openPglite } from "../../src/store/db.js";
import {
  openStore,
  readLock,
  Store,
  StoreLockedError,
  StoreTooNewError,
  storeOptionsFromEnv,
  updateLock,
} from "../../src/store/index.js";
import { migrate } from "../../src/store/migrations.js";
import { emptyStore } from "./empty-store.js";
import { defineStoreSuite, type StoreLocation } from "./suite.js";

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "bosun-store-"));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dirLocation(dir: string): StoreLocation {
  return {
    open: () => openStore({ dataDir: dir, holder: { command: "bosun test" } }),
    raw: () => openPglite(join(dir, "pglite")),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Starting PGlite costs about a second, so the suite's fresh stores share one in-memory
// database, emptied before each test.
let shared: { db: Db; store: Store } | undefined;
afterAll(async () => {
  await shared?.store.close();
});

defineStoreSuite("store on PGlite", {
  fresh: async () => {
    if (!shared) {
      const db = await openPglite();
      await migrate(db);
      shared = { db, store: new Store(db) };
    }
    await emptyStore(shared.db);
    return { store: shared.store, dispose: async () => {} };
  },
  location: async () => dirLocation(mkdtempSync(join(tmpdir(), "bosun-store-"))),
  concurrentOpens: false,
});

describe("embedded store lock", () => {
  test("a second open of the same directory is refused, naming the holder", async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: dir, holder: { command: "bosun serve" } });
    try {
      const error = await openStore({ dataDir: dir }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreLockedError);
      expect((error as StoreLockedError).holder).toMatchObject({
        pid: process.pid,
        command: "bosun serve",
      });
      expect((error as Error).message).toMatch(
        new RegExp(
          `is in use by \`bosun serve\` \\(pid ${process.pid}, since \\d\\d:\\d\\d:\\d\\d\\)`,
        ),
      );
    } finally {
      await store.close();
    }
  });

  test("a running server's URL is recorded in the lock and named in the refusal", async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: dir, holder: { command: "bosun serve" } });
    try {
      updateLock(dir, { serverUrl: "http://127.0.0.1:8080" });
      expect(readLock(dir)).toMatchObject({
        pid: process.pid,
        hostname: hostname(),
        command: "bosun serve",
        serverUrl: "http://127.0.0.1:8080",
      });
      await expect(openStore({ dataDir: dir })).rejects.toThrow(
        /serving http:\/\/127\.0\.0\.1:8080\); stop it or use --server http:\/\/127\.0\.0\.1:8080$/,
      );
    } finally {
      await store.close();
    }
  });

  test("closing the store releases the lock, so the directory opens again", async () => {
    const dir = tempDir();
    const first = await openStore({ dataDir: dir });
    expect(existsSync(join(dir, "bosun.lock"))).toBe(true);
    await first.close();
    expect(existsSync(join(dir, "bosun.lock"))).toBe(false);
    expect(readLock(dir)).toBeNull();
    const second = await openStore({ dataDir: dir });
    await second.close();
  });

  test("a lock left by a process that is gone is taken over, with a warning", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "bosun.lock"),
      JSON.stringify({
        pid: 999_999,
        hostname: hostname(),
        command: "bosun sync",
        startedAt: "2024-05-01T09:00:00.000Z",
      }),
    );
    const warnings: string[] = [];
    const store = await openStore({
      dataDir: dir,
      holder: { command: "bosun run" },
      onWarning: (m) => warnings.push(m),
    });
    try {
      expect(readLock(dir)).toMatchObject({ pid: process.pid, command: "bosun run" });
      expect(warnings).toEqual([
        expect.stringContaining("stale lock from `bosun sync` (pid 999999"),
      ]);
    } finally {
      await store.close();
    }
  });

  test("a lock held from another host is refused with advice to remove it", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "bosun.lock"),
      JSON.stringify({
        pid: 42,
        hostname: "elsewhere.example",
        command: "bosun serve",
        startedAt: new Date().toISOString(),
      }),
    );
    await expect(openStore({ dataDir: dir })).rejects.toThrow(
      /locked by `bosun serve` on host elsewhere\.example .* remove .*bosun\.lock/,
    );
  });

  test("refusing a newer store releases the lock it took", async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: dir });
    await store.close();
    const raw = await openPglite(join(dir, "pglite"));
    await raw.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')");
    await raw.close();

    await expect(openStore({ dataDir: dir })).rejects.toBeInstanceOf(StoreTooNewError);
    expect(existsSync(join(dir, "bosun.lock"))).toBe(false);
  });
});

describe("store options from the environment", () => {
  test("DATABASE_URL wins, then BOSUN_DATA_DIR, then .bosun in the working directory", () => {
    expect(
      storeOptionsFromEnv({ DATABASE_URL: "postgres://x", BOSUN_DATA_DIR: "/d" }, "/w"),
    ).toEqual({ databaseUrl: "postgres://x" });
    expect(storeOptionsFromEnv({ BOSUN_DATA_DIR: "data" }, "/w")).toEqual({ dataDir: "/w/data" });
    expect(storeOptionsFromEnv({}, "/w")).toEqual({ dataDir: "/w/.bosun" });
  });
});
