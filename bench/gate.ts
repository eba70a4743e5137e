// The merge gate: (1) time from a webhook's arrival at Bosun to the status write it causes,
// without GitHub's own latency, on the emulator; (2) status writes when a freeze starts on a
// repository with 1,000 open PRs, and how they are paced. Prints figures; not a test.
// Run: npm run build && node dist/bench/gate.js [pulls=60] [open=1000]

import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { Temporal } from "temporal-polyfill";
import { ControlledClock, startEmulator } from "../emulator/index.js";
import { orgSpecFromConfig } from "../src/cli/commands/preview-org.js";
import type { Effect } from "../src/effects/effects.js";
import { type EffectApplier, execute } from "../src/effects/executor.js";
import { createClient } from "../src/github/client.js";
import { FULL_SYNC } from "../src/github/sync.js";
import { repositoryMatcher, startDeliveryWorker } from "../src/github/webhooks/index.js";
import { loadConfig } from "../src/handbook/load.js";
import type { HandbookConfig } from "../src/handbook/schema.js";
import { mergeGate } from "../src/rules/merge-gate/index.js";
import { decide } from "../src/runtime/decide.js";
import { Runtime } from "../src/runtime/runtime.js";
import { StoreWriteThrough } from "../src/runtime/write-through.js";
import { registerWebhookRoutes } from "../src/server/webhooks.js";
import { type IssueInput, openStore, type Store } from "../src/store/index.js";
import { benchClient } from "./client.js";

const PULLS = Number(process.argv[2] ?? 60);
const OPEN = Number(process.argv[3] ?? 1000);
const SECRET = "bench-secret";
const OWNER = "fleetdm";
const REPO = "fleet";
const FULL = `${OWNER}/${REPO}`;
// Freeze mode, sprint 14 of the example calendar: freeze Tue 2026-11-10 09:00 PST.
const FREEZE = Temporal.Instant.from("2026-11-10T17:00:00Z");
const FROZEN = Temporal.Instant.from("2026-11-12T20:00:00Z");
const BEFORE = Temporal.Instant.from("2026-11-09T20:00:00Z");

const loaded = await loadConfig(new URL("../../bosun.example.yml", import.meta.url).pathname);
if (!loaded.ok) throw new Error("bosun.example.yml is invalid");
const config: HandbookConfig = {
  ...loaded.config,
  rituals: [],
  releaseTrain: { ...loaded.config.releaseTrain, mode: "freeze" },
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? Number.NaN;
};

// ---------------------------------------------------------------------------------------
// (1) webhook arrival → status write
// ---------------------------------------------------------------------------------------
console.log(`(1) ${PULLS} feature PRs opened during the freeze, one at a time, on the emulator`);
const emu = await startEmulator({
  size: 40,
  seed: 3,
  org: orgSpecFromConfig(config, new Date("2026-11-12T19:00:00Z")),
  clock: new ControlledClock(new Date("2026-11-12T19:00:00Z")),
});
const store = await openStore({ inMemory: true });
const client = benchClient(emu.url, store);
// GitHub's own time: every request Bosun makes to the emulator for a pull request.
const githubMs = new Map<number, number>();
client.hook.wrap("request", async (request, options) => {
  const t = performance.now();
  try {
    return await request(options);
  } finally {
    const n = Number(/\/pulls\/(\d+)\//.exec(String(options.url))?.[1] ?? options.pull_number);
    if (Number.isInteger(n)) githubMs.set(n, (githubMs.get(n) ?? 0) + performance.now() - t);
  }
});
const applied = new Map<number, number>();
const timing: EffectApplier = {
  async apply(effect: Effect) {
    if (effect.type === "setCommitStatus" && effect.pull !== undefined) {
      applied.set(effect.pull, performance.now());
    }
    return { id: applied.size, updatedAt: FROZEN.toString() };
  },
};
const runtime = new Runtime({
  config,
  store,
  location: "memory",
  client,
  applier: timing,
  dryRun: false,
  clock: () => FROZEN,
});
const repositories = repositoryMatcher([FULL, `${OWNER}/confidential`]);
const queue = await store.openDeliveryQueue({ pollingIntervalSeconds: 0.5 });
const app = Fastify({ logger: false });
const arrivedAt = new Map<string, number>();
app.addHook("onRequest", async (req) => {
  const id = req.headers["x-github-delivery"];
  if (typeof id === "string") arrivedAt.set(id, performance.now());
});
await registerWebhookRoutes(app, { secret: SECRET, repositories, store, queue });
const pullArrival = new Map<number, number>();
const worker = await startDeliveryWorker({
  store,
  queue,
  repositories,
  onOutcome: (deliveryId) => {
    void (async () => {
      const d = await store.getDelivery(deliveryId);
      const payload = (typeof d?.payload === "string" ? JSON.parse(d.payload) : d?.payload) as {
        action?: string;
        pull_request?: { number: number };
      } | null;
      if (d?.event === "pull_request" && payload?.action === "opened" && payload.pull_request) {
        pullArrival.set(payload.pull_request.number, arrivedAt.get(deliveryId)!);
      }
      await runtime.deliveryProcessed(deliveryId);
    })();
  },
});
await app.listen({ port: 0, host: "127.0.0.1" });
emu.admin.addWebhook(
  `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/github`,
  SECRET,
);
await runtime.syncOnce();
await runtime.decideAndApply();

const dev = createClient({
  baseUrl: emu.url,
  auth: { kind: "token", token: "emulator:mna" },
  writeSpacingMs: 0,
});
const story = await dev.rest.issues.create({
  owner: OWNER,
  repo: REPO,
  title: "Story",
  labels: ["story", "#g-mdm"],
});
const main = await dev.rest.git.getRef({ owner: OWNER, repo: REPO, ref: "heads/main" });
const latencies: number[] = [];
const totals: number[] = [];
for (let i = 0; i < PULLS; i++) {
  const branch = `bench-${i}`;
  await dev.rest.git.createRef({
    owner: OWNER,
    repo: REPO,
    ref: `refs/heads/${branch}`,
    sha: main.data.object.sha,
  });
  await dev.rest.repos.createOrUpdateFileContents({
    owner: OWNER,
    repo: REPO,
    path: `server/bench_${i}.go`,
    branch,
    message: `bench ${i}`,
    content: Buffer.from(`package server // ${i}\n`).toString("base64"),
  });
  const pr = await dev.rest.pulls.create({
    owner: OWNER,
    repo: REPO,
    head: branch,
    base: "main",
    title: `Bench ${i}`,
    body: `Part of #${story.data.number}`,
  });
  const n = pr.data.number;
  const deadline = Date.now() + 30_000;
  while (!(applied.has(n) && pullArrival.has(n)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  if (!applied.has(n)) throw new Error(`no status for PR #${n} within 30 s`);
  const total = applied.get(n)! - pullArrival.get(n)!;
  totals.push(total);
  latencies.push(total - (githubMs.get(n) ?? 0));
}
console.log(
  `  webhook arrival → status write, without GitHub's latency: p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (target p99 < 50 ms)`,
);
console.log(
  `  including the emulator's answers to Bosun's reads (files, reviews): p50 ${pct(totals, 0.5).toFixed(1)} ms, p99 ${pct(totals, 0.99).toFixed(1)} ms`,
);
await runtime.stop();
await app.close();
await worker.stop();
await queue.stop();
await store.close();
await emu.close();

// ---------------------------------------------------------------------------------------
// (2) a freeze starts on a repository with OPEN open PRs
// ---------------------------------------------------------------------------------------
console.log(`\n(2) the freeze starts on a repository with ${OPEN.toLocaleString("en")} open PRs`);
const big = await openStore({ inMemory: true });
await seed(big, OPEN);
const writes: number[] = [];
const recorder: EffectApplier = {
  async apply() {
    writes.push(performance.now());
    return { id: writes.length, updatedAt: new Date().toISOString() };
  },
};
const decideAt = async (now: Temporal.Instant, label: string) => {
  const t0 = performance.now();
  // Load and decide are one call now (the rule loads its own input); both land in "decide".
  const t1 = performance.now();
  const plan = await decide(big, config, now, `bench-${label}`, { rules: [mergeGate] });
  const t2 = performance.now();
  const before = writes.length;
  await execute(plan, new StoreWriteThrough(recorder, big, () => now), big, {
    dryRun: false,
    owner: "bench",
  });
  const t3 = performance.now();
  return { writes: writes.length - before, load: t1 - t0, decide: t2 - t1, apply: t3 - t2 };
};
const first = await decideAt(BEFORE, "before");
const again = await decideAt(BEFORE, "again");
const atFreeze = await decideAt(FREEZE, "freeze");
const after = await decideAt(FROZEN, "frozen");
const features = Math.round(OPEN * 0.4);
console.log(
  `  before the freeze: ${first.writes} status writes (every PR's first verdict), then ${again.writes} on a rerun`,
);
console.log(
  `  at the freeze: ${atFreeze.writes} status writes for ${features} feature PRs whose verdict changes (${(atFreeze.writes / features).toFixed(2)} per changed verdict); bug fixes and docs-only PRs keep theirs`,
);
console.log(`  during the freeze, a later run: ${after.writes} writes`);
console.log(
  `  decision time for ${OPEN} PRs: load ${atFreeze.load.toFixed(0)} ms, decide ${atFreeze.decide.toFixed(0)} ms, executor bookkeeping ${atFreeze.apply.toFixed(0)} ms`,
);
const spacing = 1000;
const budget = 50;
console.log(
  `  pacing: the GitHub client spaces content-creating requests ${spacing} ms apart (GitHub asks >= 1 s), so ${atFreeze.writes} writes take >= ${((atFreeze.writes * spacing) / 1000 / 60).toFixed(1)} min; the executor's budget of ${budget} writes per decision run (every 30 s) spreads them over ${Math.ceil(atFreeze.writes / budget)} runs`,
);
await big.close();

async function seed(s: Store, open: number) {
  await s.setCursor(FULL, FULL_SYNC, { cursor: "complete" });
  for (const name of [
    "bug",
    "~unreleased bug",
    "~released bug",
    "~release blocker",
    "#g-mdm",
    "#g-endpoint-ops",
    "story",
  ]) {
    await s.upsertLabel({ repo: FULL, name });
  }
  await s.upsertTag({ repo: FULL, name: "fleet-v4.61.0", sha: "1".repeat(40) });
  await s.upsertMilestone({ repo: FULL, number: 1, title: "4.62.0", state: "open" });
  const at = "2026-11-01T10:00:00Z";
  const items: IssueInput[] = [];
  const bugs = Math.round(open * 0.4);
  for (let i = 1; i <= bugs; i++) {
    items.push({
      repo: FULL,
      number: i,
      isPullRequest: false,
      title: `Bug ${i}`,
      state: "open",
      createdAt: at,
      updatedAt: at,
      labels: ["bug", "~unreleased bug", "#g-mdm"],
    });
  }
  items.push({
    repo: FULL,
    number: bugs + 1,
    isPullRequest: false,
    title: "Story",
    state: "open",
    createdAt: at,
    updatedAt: at,
    labels: ["story", "#g-mdm"],
  });
  const first = bugs + 2;
  for (let k = 0; k < open; k++) {
    const number = first + k;
    const kind = k % 5; // 0,1 feature; 2,3 bug fix; 4 docs-only
    const body =
      kind <= 1 ? `Part of #${bugs + 1}` : kind <= 3 ? `For #${(k % bugs) + 1}` : "Docs.";
    items.push({
      repo: FULL,
      number,
      isPullRequest: true,
      title: `PR ${number}`,
      body,
      state: "open",
      createdAt: at,
      updatedAt: at,
      draft: false,
      headRef: `b${number}`,
      headSha: number.toString(16).padStart(40, "0"),
      baseRef: "main",
    });
  }
  for (let i = 0; i < items.length; i += 500) await s.upsertIssues(items.slice(i, i + 500));
  for (let k = 0; k < open; k++) {
    const number = first + k;
    await s.putPullFiles({
      repo: FULL,
      number,
      headSha: number.toString(16).padStart(40, "0"),
      paths: k % 5 === 4 ? ["docs/guide.md"] : ["server/x.go"],
      complete: true,
    });
  }
}
