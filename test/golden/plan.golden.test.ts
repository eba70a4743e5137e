// The refactoring contract of «Rule modules»: on a fixed preview organisation, the plan at a
// fixed instant gives the same effects, keys and reasons as the committed golden file.
// Regenerate only on purpose: UPDATE_GOLDEN=1 npx vitest run test/golden
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { LocalData } from "../../src/api/local.js";
import { orgSpecFromConfig } from "../../src/cli/commands/preview-org.js";
import { parseIdempotencyKey } from "../../src/effects/plan.js";
import { syncPullCommits } from "../../src/github/pull-commits.js";
import { syncPullFiles } from "../../src/github/pull-files.js";
import { syncRepository } from "../../src/github/sync.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { gateStatusKey } from "../../src/rules/merge-gate/identity.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { emulatorClient } from "../support/github.js";

const GOLDEN = path.join(import.meta.dirname, "plan-2026-12-03T17-00Z.golden.json");
const AT = "2026-12-03T17:00:00Z";
// The preview organisation is generated up to this day (preview uses the wall clock).
const GENERATED = new Date("2026-12-02T16:00:00Z");

describe("golden plan: bosun plan --dry-run --json --at 2026-12-03T17:00:00Z", () => {
  let emu: RunningEmulator;
  let store: Store;
  let config: HandbookConfig;

  beforeAll(async () => {
    config = await exampleConfig();
    emu = await startEmulator({
      size: 400,
      seed: 7,
      org: orgSpecFromConfig(config, GENERATED),
    });
    store = await openStore({ inMemory: true });
    const client = emulatorClient(emu.url, store);
    for (const r of config.repositories) {
      const repo = `${config.organisation}/${r.name}`;
      await syncRepository({ client, store }, repo);
      await syncPullFiles({ client, store }, repo);
      await syncPullCommits({ client, store }, repo, config.releaseTrain);
    }
  }, 240_000);

  afterAll(async () => {
    await store?.close();
    await emu?.close();
  });

  it("R9-R17, R47, R2: same effects, keys and reasons as before the rule modules", async () => {
    const data = new LocalData(store, config, "memory", () => Temporal.Instant.from(AT));
    const plan = await data.plan(AT);
    const actual = {
      at: plan.at,
      effects: plan.effects.map((e) => ({
        rule: e.rule,
        key: e.key,
        target: e.target,
        reason: e.reason,
        effect: e.effect,
      })),
      observations: plan.observations,
    };
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(GOLDEN)) {
      writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual.effects.length).toBeGreaterThan(0);
    // R9-R16 keys name the deciding rule, not the description's wording (the one change the
    // rule modules made to this file: "|R10: docs-only change (1 file); may merge|" became "|R10|").
    for (const e of actual.effects.filter((x) => x.rule === "merge-gate")) {
      const identity = gateStatusKey.parse(parseIdempotencyKey(e.key).discriminator);
      expect(identity?.rule).toBe(e.reason.split(":")[0]);
    }
    expect(actual).toEqual(JSON.parse(readFileSync(GOLDEN, "utf8")));
  });
});
