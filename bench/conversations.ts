// Requests for comments and reviews in a full sync of one generated repository, without and
// with GitHub's deep-pagination cap (at the 400 pages reported for issue comments, and at 5),
// then in an incremental sync after new comments and reviews. Prints figures; not a test.
// Run: npm run build && node dist/bench/conversations.js [size]

import { createHash } from "node:crypto";
import { defaultOrgSpec, startEmulator } from "../emulator/index.js";
import { createClient } from "../src/github/client.js";
import { syncConversations } from "../src/github/conversations.js";
import { normalizePull } from "../src/github/normalize.js";
import { pages } from "../src/github/pages.js";
import { openStore, type Store } from "../src/store/index.js";
import { benchClient } from "./client.js";

const size = Number(process.argv[2] ?? process.env.BENCH_SYNC_SIZE ?? 40_000);
const repo = "fleetdm/fleet";
const spec = { ...defaultOrgSpec(), repositories: [{ name: "fleet", defaultBranch: "main" }] };

console.log(`Generating one repository of ${size.toLocaleString("en")} issues + PRs ...`);
let t = performance.now();
const emu = await startEmulator({ size, seed: 42, org: spec });
console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const setCap = (pages: number | null) =>
  fetch(`${emu.url}/_emulator/pagination-cap`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pages }),
  });

/** A store holding the repository's pull requests, as after the issues and pulls lists. */
async function seededStore(): Promise<Store> {
  const store = await openStore({ inMemory: true });
  const client = benchClient(emu.url, store);
  await store.upsertRepository({ fullName: repo, createdAt: "2020-01-01T00:00:00Z" });
  for await (const page of pages<unknown>(client, "GET /repos/{owner}/{repo}/pulls", {
    owner: "fleetdm",
    repo: "fleet",
    state: "all",
  }))
    await store.upsertIssues(page.items.map((raw) => normalizePull(repo, raw)));
  return store;
}

async function digest(store: Store): Promise<string> {
  const hash = createHash("sha256");
  for (const c of await store.commentVersions(repo)) hash.update(`c${c.id}@${c.updatedAt}\n`);
  for (const r of await store.reviewVersions(repo)) hash.update(`r${r.id}@${r.submittedAt}\n`);
  return hash.digest("hex").slice(0, 12);
}

const rows: string[][] = [];
let reference: string | undefined;
for (const cap of [null, 400, 5]) {
  await setCap(null);
  const store = await seededStore();
  await setCap(cap);
  emu.admin.resetRequests();
  t = performance.now();
  const report = await syncConversations({ client: benchClient(emu.url, store), store }, repo);
  const seconds = (performance.now() - t) / 1000;
  const sum = await digest(store);
  rows.push([
    cap === null ? "no cap" : `cap ${cap} pages`,
    String(report.comments),
    String(report.commentRequests),
    String(report.reviews),
    String(report.reviewRequests),
    seconds.toFixed(1),
    cap === null ? "(reference)" : sum === reference ? "equal" : `DIFFERS (${sum})`,
  ]);
  if (cap === null) {
    // Incremental: 100 new comments and 20 reviews since the full sync.
    const writer = createClient({
      baseUrl: emu.url,
      auth: { kind: "token", token: "writer" },
      writeSpacingMs: 0,
    });
    const pulls = (await store.pullsUpdatedSince(repo, undefined, 20)).map((p) => p.number);
    for (let i = 0; i < 100; i++) {
      await writer.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: "fleetdm",
        repo: "fleet",
        issue_number: pulls[i % pulls.length]!,
        body: `bench ${i}`,
      });
    }
    for (const n of pulls) {
      await writer.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
        owner: "fleetdm",
        repo: "fleet",
        pull_number: n,
        event: "APPROVE",
      });
    }
    await store.upsertIssues(
      await Promise.all(
        pulls.map(async (n) =>
          normalizePull(
            repo,
            (
              await writer.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
                owner: "fleetdm",
                repo: "fleet",
                pull_number: n,
              })
            ).data,
          ),
        ),
      ),
    );
    emu.admin.resetRequests();
    t = performance.now();
    const next = await syncConversations({ client: benchClient(emu.url, store), store }, repo);
    // What every capped full sync below must store: GitHub as it now is.
    reference = await digest(store);
    rows.push([
      "incremental (100 comments, 20 reviews)",
      String(next.comments),
      String(next.commentRequests),
      String(next.reviews),
      String(next.reviewRequests),
      ((performance.now() - t) / 1000).toFixed(1),
      "",
    ]);
  }
  await store.close();
}

console.log(
  `\nComments and reviews of ${repo} (${size.toLocaleString("en")} issues + PRs), requests per sync`,
);
const head = [
  "sync",
  "comments",
  "requests",
  "reviews",
  "requests",
  "seconds",
  "store vs uncapped",
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [head, ...rows])
  console.log(
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "),
  );
await emu.close();
