// The merge gate end to end on the GitHub emulator: webhooks land in the store, decisions run
// promptly, the executor writes the status on the PR's head commit, and nothing is written twice.
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlledClock, type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { orgSpecFromConfig } from "../../src/cli/commands/preview-org.js";
import type { GitHubClient } from "../../src/github/client.js";
import { latestReleaseTag } from "../../src/github/pull-commits.js";
import { repositoryMatcher, startDeliveryWorker } from "../../src/github/webhooks/index.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { createNotifier } from "../../src/notify/index.js";
import { msToNextInstant } from "../../src/runtime/routing.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { registerWebhookRoutes } from "../../src/server/webhooks.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { emulatorClient } from "../support/github.js";
import { drained, SECRET } from "../webhooks/helpers.js";

const OWNER = "fleetdm";
const REPO = "fleet";
const STATUS_WRITES = "POST /repos/:owner/:repo/statuses/:sha";
// Freeze mode, sprint 14: main freezes Tue 2026-11-10 09:00 PST, releases Mon 11-16 09:00.
const FROZEN = Temporal.Instant.from("2026-11-12T20:00:00Z");

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("R9/R13: the merge gate on the emulator, end to end", () => {
  let emu: RunningEmulator;
  let store: Store;
  let pipeline: { app: FastifyInstance; close(): Promise<void> };
  let runtime: Runtime;
  let config: HandbookConfig;
  const as = new Map<string, GitHubClient>();
  const gh = (login = "mna") => {
    if (!as.has(login))
      as.set(login, emulatorClient(emu.url, undefined, { token: `emulator:${login}` }));
    return as.get(login)!;
  };

  beforeAll(async () => {
    const example = await exampleConfig();
    // Only the release train's rules have work here: no rituals to file.
    config = {
      ...example,
      rituals: [],
      releaseTrain: { ...example.releaseTrain, mode: "freeze" },
    };
    emu = await startEmulator({
      size: 40,
      seed: 7,
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
    // The webhook route, queue and worker as `bosun serve` wires them; a relevant delivery asks
    // the runtime for a prompt decision.
    const repositories = repositoryMatcher([`${OWNER}/${REPO}`, `${OWNER}/confidential`]);
    const queue = await store.openDeliveryQueue({ pollingIntervalSeconds: 0.5 });
    const app = Fastify({ logger: false });
    await registerWebhookRoutes(app, { secret: SECRET, repositories, store, queue });
    const worker = await startDeliveryWorker({
      store,
      queue,
      repositories,
      onOutcome: (deliveryId) => void runtime.deliveryProcessed(deliveryId),
    });
    pipeline = {
      app,
      async close() {
        await app.close();
        await worker.stop();
        await queue.stop();
      },
    };
    await pipeline.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = pipeline.app.server.address() as AddressInfo;
    emu.admin.addWebhook(`http://127.0.0.1:${port}/webhooks/github`, SECRET);
    await runtime.syncOnce();
    // The label vocabulary converges first, so the gate's writes stand alone below.
    await runtime.decideAndApply();
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await pipeline?.close();
    await store?.close();
    await emu?.close();
  });

  const gateStatus = async (sha: string) => {
    const { data } = await gh().rest.repos.getCombinedStatusForRef({
      owner: OWNER,
      repo: REPO,
      ref: sha,
    });
    return data.statuses.find((s) => s.context === config.releaseTrain.mergeGate.context);
  };
  /** Status writes on one commit, as the emulator recorded them. */
  const statusWrites = (sha: string) =>
    emu.admin.core.state.repo(OWNER, REPO)!.statuses.filter((s) => s.sha === sha).length;

  it("fails a feature PR opened during the freeze, passes it once EM, QA lead and DRI approve, and writes nothing more", async () => {
    const dev = gh("mna");
    const story = await dev.rest.issues.create({
      owner: OWNER,
      repo: REPO,
      title: "Hosts page filters",
      labels: ["story", "#g-mdm"],
    });
    const main = await dev.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" });
    await dev.rest.git.createRef({
      owner: OWNER,
      repo: REPO,
      ref: "refs/heads/hosts-filters",
      sha: main.data.object.sha,
    });
    await dev.rest.repos.createOrUpdateFileContents({
      owner: OWNER,
      repo: REPO,
      path: "server/service/hosts_filters.go",
      branch: "hosts-filters",
      message: "Hosts page filters",
      content: Buffer.from("package service\n").toString("base64"),
    });
    const pr = await dev.rest.pulls.create({
      owner: OWNER,
      repo: REPO,
      head: "hosts-filters",
      base: "main",
      title: "Hosts page filters",
      body: `Part of #${story.data.number}`,
    });
    const sha = pr.data.head.sha;

    // The pull_request.opened webhook triggers a decision: a failing status on the head commit.
    const failing = await until("the failing gate status", async () => {
      const s = await gateStatus(sha);
      return s?.state === "failure" ? s : undefined;
    });
    expect(failing.description).toMatch(
      /^R9: main is frozen for \S+ until Mon 2026-11-16 09:00 PST; R13 needs @georgekarrv @AndreyKizimenko @lukeheath$/,
    );
    expect(statusWrites(sha)).toBe(1);
    const audit = await runtime.data.audit({ target: `PR#${pr.data.number}`, limit: 10 });
    expect(audit.map((a) => [a.status, a.rule])).toEqual([["applied", "merge-gate"]]);
    expect(audit[0]!.reason).toContain("R9: main is frozen since Tue 2026-11-10 09:00 PST");

    // The three roles approve, each a webhook; the last one turns the gate green.
    for (const login of ["georgekarrv", "AndreyKizimenko", "lukeheath"]) {
      await gh(login).rest.pulls.createReview({
        owner: OWNER,
        repo: REPO,
        pull_number: pr.data.number,
        event: "APPROVE",
      });
    }
    const passing = await until("the passing gate status", async () => {
      const s = await gateStatus(sha);
      return s?.state === "success" ? s : undefined;
    });
    expect(passing.description).toBe(
      "R13: freeze exception approved by @georgekarrv @AndreyKizimenko @lukeheath",
    );
    await emu.admin.idle();
    await drained(store);
    // Partial approvals changed the failing description (fewer logins missing): each change is
    // one write, and no verdict was written twice.
    const writes = statusWrites(sha);
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(writes).toBeLessThanOrEqual(4);

    // Rerunning decides the same verdicts and writes nothing.
    const settled = statusWrites(sha);
    const allWrites = emu.admin.requests().byEndpoint[STATUS_WRITES] ?? 0;
    const rerun = await runtime.decideAndApply();
    expect(rerun.filter((r) => r.status === "applied")).toEqual([]);
    await runtime.decideAndApply();
    expect(statusWrites(sha)).toBe(settled);
    expect(emu.admin.requests().byEndpoint[STATUS_WRITES] ?? 0).toBe(allWrites);
    const entries = await runtime.data.audit({ target: `PR#${pr.data.number}`, limit: 20 });
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    expect(entries.every((e) => e.status === "applied")).toBe(true);
  }, 180_000);
});

describe("R9/R10/R11: a whole sprint on the emulator: statuses change exactly at the configured instants", () => {
  let emu: RunningEmulator;
  let store: Store;
  let runtime: Runtime;
  let config: HandbookConfig;
  let now = Temporal.Instant.from("2026-11-09T20:00:00Z"); // Monday 12:00 PST: main is open

  beforeAll(async () => {
    const example = await exampleConfig();
    config = { ...example, rituals: [], releaseTrain: { ...example.releaseTrain, mode: "freeze" } };
    emu = await startEmulator({
      size: 40,
      seed: 9,
      org: orgSpecFromConfig(config, new Date("2026-11-09T19:00:00Z")),
      clock: new ControlledClock(new Date("2026-11-09T19:00:00Z")),
    });
    store = await openStore({ inMemory: true });
    runtime = new Runtime({
      config,
      store,
      location: "memory",
      client: emulatorClient(emu.url, store),
      dryRun: false,
      clock: () => now,
    });
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await store?.close();
    await emu?.close();
  });

  it("walks open → freeze → deep freeze → release, writing each changed verdict once", async () => {
    const gh = emulatorClient(emu.url, undefined, { token: "emulator:mna" });
    const issue = async (title: string, labels: string[]) =>
      (await gh.rest.issues.create({ owner: OWNER, repo: REPO, title, labels })).data.number;
    const main = (await gh.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" })).data
      .object.sha;
    // R7: a released-bug fix branches off the latest release tag, the others off main.
    const tags = (await gh.rest.repos.listTags({ owner: OWNER, repo: REPO, per_page: 100 })).data;
    const tag = latestReleaseTag(
      config.releaseTrain,
      tags.map((t) => t.name),
    )!;
    const released = (await gh.rest.git.getRef({ owner: OWNER, repo: REPO, ref: `tags/${tag}` }))
      .data.object.sha;
    const open = async (branch: string, path: string, body: string, from = main) => {
      await gh.rest.git.createRef({
        owner: OWNER,
        repo: REPO,
        ref: `refs/heads/${branch}`,
        sha: from,
      });
      await gh.rest.repos.createOrUpdateFileContents({
        owner: OWNER,
        repo: REPO,
        path,
        branch,
        message: branch,
        content: Buffer.from(`${branch}\n`).toString("base64"),
      });
      const pr = await gh.rest.pulls.create({
        owner: OWNER,
        repo: REPO,
        head: branch,
        base: "main",
        title: branch,
        body,
      });
      return pr.data.head.sha;
    };
    const story = await issue("Hosts filters", ["story", "#g-mdm"]);
    const unreleased = await issue("Crash on hosts page", ["bug", "~unreleased bug", "#g-mdm"]);
    const releasedBug = await issue("Wrong count in 4.61", ["bug", "~released bug", "#g-mdm"]);
    const sha = {
      feature: await open("e2e-feature", "server/filters.go", `Part of #${story}`),
      unreleased: await open("e2e-unreleased", "server/crash.go", `For #${unreleased}`),
      released: await open("e2e-released", "server/count.go", `For #${releasedBug}`, released),
      docs: await open("e2e-docs", "docs/Using Fleet/filters.md", "Docs for the filters."),
    };
    await runtime.syncOnce();

    const context = config.releaseTrain.mergeGate.context;
    const statuses = () =>
      emu.admin.core.state.repo(OWNER, REPO)!.statuses.filter((s) => s.context === context);
    const verdicts = () =>
      Object.fromEntries(
        Object.entries(sha).map(([name, s]) => {
          const mine = statuses().filter((x) => x.sha === s);
          const last = mine.at(-1);
          return [name, last ? `${last.state} ${last.description?.slice(0, 3)}` : "none"];
        }),
      );

    await runtime.decideAndApply();
    expect(verdicts()).toEqual({
      feature: "success R9:",
      unreleased: "success R6:",
      released: "success R7:",
      docs: "success R10",
    });

    const steps: [string, Record<string, string>][] = [
      [
        "freeze",
        {
          feature: "failure R9:",
          unreleased: "success R6:",
          released: "success R7:",
          docs: "success R10",
        },
      ],
      [
        "deep-freeze",
        {
          feature: "failure R11",
          unreleased: "success R6:",
          released: "failure R11",
          docs: "failure R11",
        },
      ],
      [
        "release",
        {
          feature: "success R9:",
          unreleased: "success R6:",
          released: "success R7:",
          docs: "success R10",
        },
      ],
    ];
    for (const [kind, expected] of steps) {
      const next = msToNextInstant(config, now);
      expect(next.what).toBe(`release train: ${kind}`);
      const at = now.add({ milliseconds: next.ms });
      // One second before the transition nothing changes ...
      now = at.subtract({ seconds: 1 });
      const writes = statuses().length;
      await runtime.decideAndApply();
      expect(statuses().length, `before the ${kind}`).toBe(writes);
      // ... and at the instant itself the verdicts change.
      now = at;
      await runtime.decideAndApply();
      expect(verdicts(), `at the ${kind} (${at.toString()})`).toEqual(expected);
      // Deciding again at the same instant writes nothing.
      const settled = statuses().length;
      await runtime.decideAndApply();
      expect(statuses().length).toBe(settled);
    }
    // Each verdict was written once per change: the released bug flipped back to its first
    // verdict at the release and was written again, as it must be.
    const count = (s: string) => statuses().filter((x) => x.sha === s).length;
    expect({
      feature: count(sha.feature),
      unreleased: count(sha.unreleased),
      released: count(sha.released),
      docs: count(sha.docs),
    }).toEqual({ feature: 4, unreleased: 1, released: 3, docs: 3 });
  }, 180_000);
});

describe("R14/R17: the RC cut on the emulator, once per occurrence", () => {
  let emu: RunningEmulator;
  let store: Store;
  let runtime: Runtime;
  let config: HandbookConfig;
  let now = Temporal.Instant.from("2026-11-13T15:59:59Z"); // one second before the RC cut

  beforeAll(async () => {
    config = { ...(await exampleConfig()), rituals: [] };
    emu = await startEmulator({
      size: 40,
      seed: 5,
      org: orgSpecFromConfig(config, new Date("2026-11-13T12:00:00Z")),
      clock: new ControlledClock(new Date("2026-11-13T12:00:00Z")),
      slack: { channels: ["#help-engineering"] },
    });
    store = await openStore({ inMemory: true });
    // The example announces the RC cut (R14): to the emulator's Slack.
    const slack = { ...config.slack, apiUrl: emu.slack.apiUrl };
    runtime = new Runtime({
      config: { ...config, slack },
      store,
      location: "memory",
      client: emulatorClient(emu.url, store),
      dryRun: false,
      clock: () => now,
      notifier: createNotifier(slack, { store, env: { SLACK_BOT_TOKEN: "xoxb-e2e" } }),
    });
    await runtime.syncOnce();
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await store?.close();
    await emu?.close();
  });

  it("cuts the RC branch from main, files the QA issue and points the QA deploy target at it", async () => {
    const gh = emulatorClient(emu.url);
    const variable = async () =>
      (
        await gh.rest.actions
          .getRepoVariable({ owner: OWNER, repo: "confidential", name: "QAWOLF_DEPLOY_TAG" })
          .catch(() => ({ data: { value: "(unset)" } }))
      ).data.value;
    await runtime.decideAndApply();
    expect(await variable()).toBe("main");
    const { nextMinor } = await runtime.data.releaseTrain();
    expect(nextMinor).toMatch(/^\d+\.\d+\.0$/);
    const branch = `rc-minor-fleet-v${nextMinor}`;
    const branches = async () =>
      (await gh.rest.git.listMatchingRefs({ owner: OWNER, repo: REPO, ref: `heads/${branch}` }))
        .data;
    expect(await branches()).toEqual([]);

    now = Temporal.Instant.from("2026-11-13T16:00:00Z"); // Friday 08:00 PST
    const main = (await gh.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" })).data
      .object.sha;
    const results = await runtime.decideAndApply();
    expect(
      results.filter((r) => r.rule === "release-actions").map((r) => [r.status, r.line]),
    ).toEqual([
      ["applied", `fleetdm/fleet@${branch}: create branch from ${main.slice(0, 7)}`],
      ["applied", `fleetdm/fleet: open issue "Release QA: ${nextMinor}" @xpkoala @AndreyKizimenko`],
      [
        "applied",
        `notify:#help-engineering: The release candidate for ${nextMinor} is cut: ${branch}. Until the rele…`,
      ],
      ["applied", `fleetdm/confidential: variable QAWOLF_DEPLOY_TAG="${branch}"`],
    ]);
    expect(emu.admin.slack.messages()).toHaveLength(1);
    expect((await branches()).map((r) => r.object.sha)).toEqual([main]);
    expect(await variable()).toBe(branch);

    // Again, also after a sync that sees the branch and the issue: nothing more is written.
    await runtime.syncOnce();
    const again = await runtime.decideAndApply();
    expect(again.filter((r) => r.status === "applied")).toEqual([]);
    const issues = await gh.rest.issues.listForRepo({
      owner: OWNER,
      repo: REPO,
      state: "open",
      per_page: 100,
    });
    expect(issues.data.filter((i) => i.title === `Release QA: ${nextMinor}`)).toHaveLength(1);

    // R17: at the scheduled release nothing is published yet: QA keeps testing the RC. (The
    // store sees the RC branch as the `create` webhook, or a sync refreshing refs, tells it.)
    const { syncRepository } = await import("../../src/github/sync.js");
    const refresh = () =>
      syncRepository({ client: emulatorClient(emu.url, store), store }, `${OWNER}/${REPO}`, {
        refreshAll: true,
      });
    await refresh();
    now = Temporal.Instant.from("2026-11-16T17:00:00Z");
    await runtime.decideAndApply();
    expect(await variable()).toBe(branch);
    const slipped = await runtime.data.plan();
    expect(slipped.observations.map((o) => o.message)).toContain(
      `R17: release ${nextMinor} not published yet (no tag fleet-v${nextMinor}); QA keeps testing ${branch}`,
    );
    // Published two days late (the release creates its tag): QA deploys return to main.
    now = Temporal.Instant.from("2026-11-18T19:00:00Z");
    await gh.rest.repos.createRelease({
      owner: OWNER,
      repo: REPO,
      tag_name: `fleet-v${nextMinor}`,
      target_commitish: branch,
    });
    await refresh();
    await runtime.decideAndApply();
    expect(await variable()).toBe("main");
  }, 180_000);
});
