// Builds a real Bosun server (in-memory PGlite store, the example configuration) for tests.
import path from "node:path";
import { Temporal } from "temporal-polyfill";
import { LocalData } from "../../src/api/local.js";
import { loadConfig } from "../../src/handbook/load.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { summarizeConfig } from "../../src/handbook/summary.js";
import { describeRules } from "../../src/rules/index.js";
import { buildServer } from "../../src/server/app.js";
import { openStore, type Store } from "../../src/store/index.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const EXAMPLE = path.join(ROOT, "bosun.example.yml");

export async function exampleConfig(): Promise<HandbookConfig> {
  const result = await loadConfig(EXAMPLE);
  if (!result.ok) throw new Error(`bosun.example.yml is invalid: ${JSON.stringify(result.errors)}`);
  return result.config;
}

export async function testServer(now = Temporal.Instant.from("2026-11-24T18:00:00Z")) {
  const config = await exampleConfig();
  const store: Store = await openStore({ inMemory: true });
  const data = new LocalData(store, config, "memory", () => now);
  const app = await buildServer({
    data,
    summary: () => summarizeConfig(config, now),
    rules: describeRules(),
  });
  return {
    app,
    store,
    config,
    data,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
