// The merge gate on the emulator when two open pull requests share one head commit with
// different verdicts (issue #20, item 3; ADR 0013): one commit status serves both, so it is
// written once with the strictest verdict, and further decision runs write nothing.
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlledClock, type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { orgSpecFromConfig } from "../../src/cli/commands/preview-org.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { emulatorClient } from "../support/github.js";

const OWNER = "fleetdm";
const REPO = "fleet";
// Freeze mode, sprint 14: main freezes Tue 2026-11-10 09:00 PST.
const FROZEN = Temporal.Instant.from("2026-11-12T20:00:00Z");

describe("R6/R9: two pull requests on one head commit, on the emulator", () => {
  let emu: RunningEmulator;
  let store: Store;
  let runtime: Runtime;
  let config: HandbookConfig;

  beforeAll(async () => {
    const example = await exampleConfig();
    config = { ...example, rituals: [], releaseTrain: { ...example.releaseTrain, mode: "freeze" } };
    emu = await startEmulator({
      size: 40,
      seed: 5,
      org: orgSpecFromConfig(config, new Date("2026-11-12T19:00:00Z")),
      clock: new ControlledClock(new Date("2026-11-12T19:00:00Z")),
    });
    store = await openStore({ inMemory: true });
    runtime = new Runtime({
      config,
      store,
      location: "memory",
      client: emulatorClient(emu.url, store),
      dryRun: false,
      clock: () => FROZEN,
    });
    await runtime.syncOnce();
    // The label vocabulary converges first, so the gate's writes stand alone below.
    await runtime.decideAndApply();
  }, 180_000);

  afterAll(async () => {
    await runtime?.stop();
    await store?.close();
    await emu?.close();
  });

  it("R9: ten decision runs write one status, the strictest, naming both pull requests", async () => {
    const gh = emulatorClient(emu.url, undefined, { token: "emulator:mna" });
    const issue = async (title: string, labels: string[]) =>
      (await gh.rest.issues.create({ owner: OWNER, repo: REPO, title, labels })).data.number;
    const story = await issue("Hosts filters", ["story", "#g-mdm"]);
    const bug = await issue("Crash on hosts page", ["bug", "~unreleased bug", "#g-mdm"]);
    const main = (await gh.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" })).data
      .object.sha;
    await gh.rest.git.createRef({
      owner: OWNER,
      repo: REPO,
      ref: "refs/heads/shared-a",
      sha: main,
    });
    const commit = await gh.rest.repos.createOrUpdateFileContents({
      owner: OWNER,
      repo: REPO,
      path: "server/shared.go",
      branch: "shared-a",
      message: "Shared change",
      content: Buffer.from("package server\n").toString("base64"),
    });
    const sha = commit.data.commit.sha!;
    // A second branch at the same commit: the same change proposed as a feature and as a fix.
    await gh.rest.git.createRef({ owner: OWNER, repo: REPO, ref: "refs/heads/shared-b", sha });
    const open = async (head: string, body: string) =>
      (
        await gh.rest.pulls.create({
          owner: OWNER,
          repo: REPO,
          head,
          base: "main",
          title: head,
          body,
        })
      ).data.number;
    const feature = await open("shared-a", `Part of #${story}`);
    const fix = await open("shared-b", `For #${bug}`);
    await runtime.syncOnce();

    const context = config.releaseTrain.mergeGate.context;
    const writes = () =>
      emu.admin.core.state
        .repo(OWNER, REPO)!
        .statuses.filter((s) => s.sha === sha && s.context === context);
    const perRun: number[] = [];
    for (let run = 0; run < 10; run++) {
      const before = writes().length;
      await runtime.decideAndApply();
      perRun.push(writes().length - before);
    }
    // One real change (no status yet → the gate's verdict), then nothing.
    expect(perRun).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const [status] = writes();
    expect(status!.state).toBe("failure");
    expect(status!.description).toMatch(new RegExp(`^#${feature} into main: R9: main is frozen`));
    const audit = await runtime.data.audit({ target: `PR#${feature}`, limit: 10 });
    expect(audit.map((a) => a.status)).toEqual(["applied"]);
    expect(audit[0]!.reason).toContain(`#${fix} into main: success.`);
  }, 180_000);
});
