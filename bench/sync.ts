// Requests and time of a full sync of one generated repository, then of an incremental sync
// after 100 changes. Prints figures against the targets of the GitHub-layer issue; not a test.
// Run: npm run build && node dist/bench/sync.js [size]

import { defaultOrgSpec, startEmulator } from "../emulator/index.js";
import { createClient } from "../src/github/client.js";
import { fullSync, incrementalSync } from "../src/github/sync.js";
import { openStore } from "../src/store/index.js";
import { benchClient } from "./client.js";

const size = Number(process.argv[2] ?? process.env.BENCH_SYNC_SIZE ?? 40_000);
const repo = "fleetdm/fleet";
const spec = { ...defaultOrgSpec(), repositories: [{ name: "fleet", defaultBranch: "main" }] };

console.log(`Generating one repository of ${size.toLocaleString("en")} issues + PRs ...`);
let t = performance.now();
const emu = await startEmulator({ size, seed: 42, org: spec });
console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const store = await openStore({ inMemory: true });
const client = benchClient(emu.url, store);
const writer = createClient({
  baseUrl: emu.url,
  auth: { kind: "token", token: "writer" },
  writeSpacingMs: 0,
});

emu.admin.resetRequests();
t = performance.now();
const full = await fullSync({ client, store }, repo);
const fullSeconds = (performance.now() - t) / 1000;
const fullRequests = emu.admin.requests();

const counts = {
  issues: await store.countIssues({ repo }),
  pulls: await store.countIssues({ repo, kind: "pull" }),
  events: (await store.stats()).issue_events,
  labels: (await store.listLabels(repo)).length,
  milestones: (await store.listMilestones(repo)).length,
};
const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
const expected: [string, RegExp, number][] = [
  ["issues (issues + PRs)", /issues$/, pages(counts.issues)],
  ["pulls", /pulls$/, pages(counts.pulls)],
  ["issue events", /issues\/events$/, pages(counts.events)],
  ["labels", /labels$/, pages(counts.labels)],
  ["milestones", /milestones$/, pages(counts.milestones)],
];
console.log(
  `\nFull sync: ${fullRequests.total} requests in ${fullSeconds.toFixed(1)} s (${Math.round(counts.issues / fullSeconds)} issues + PRs stored per second)`,
);
console.log(
  `  ${"list endpoint".padEnd(24)} ${"requests".padStart(8)} ${"ceil(n/100)".padStart(12)}  extra`,
);
let listed = 0;
for (const [name, pattern, want] of expected) {
  const got = Object.entries(fullRequests.byEndpoint)
    .filter(([k]) => k.startsWith("GET ") && pattern.test(k.split("?")[0]!))
    .reduce((a, [, v]) => a + v, 0);
  listed += got;
  console.log(
    `  ${name.padEnd(24)} ${String(got).padStart(8)} ${String(want).padStart(12)}  ${got - want}`,
  );
}
console.log(
  `  ${"other (repo, refs, tags)".padEnd(24)} ${String(fullRequests.total - listed).padStart(8)} ${"".padStart(12)}  constant`,
);

// Prime: the first incremental run stores the validators of its own queries.
await incrementalSync({ client, store }, repo);

console.log(
  "\nMaking 100 changes through the API: 60 label changes, 20 new issues, 20 closings ...",
);
const open = await writer.paginate(writer.rest.issues.listForRepo, {
  owner: "fleetdm",
  repo: "fleet",
  state: "open",
  per_page: 100,
});
const targets = open.filter((i) => !i.pull_request).slice(0, 80);
for (const issue of targets.slice(0, 60)) {
  await writer.rest.issues.addLabels({
    owner: "fleetdm",
    repo: "fleet",
    issue_number: issue.number,
    labels: ["P2"],
  });
}
for (let i = 0; i < 20; i++) {
  await writer.rest.issues.create({
    owner: "fleetdm",
    repo: "fleet",
    title: `Bench bug ${i}`,
    labels: ["bug"],
  });
}
for (const issue of targets.slice(60, 80)) {
  await writer.rest.issues.update({
    owner: "fleetdm",
    repo: "fleet",
    issue_number: issue.number,
    state: "closed",
  });
}

emu.admin.resetRequests();
t = performance.now();
const inc = await incrementalSync({ client, store }, repo);
const incSeconds = (performance.now() - t) / 1000;
const incRequests = emu.admin.requests();
console.log(
  `Incremental sync after 100 changes: ${inc.requests} requests (${inc.notModified} answered 304), ${inc.issues} issues + PRs, ${inc.events} events, in ${(incSeconds * 1000).toFixed(0)} ms; target under 5: ${inc.requests < 5 ? "met" : "NOT met"}`,
);
for (const [endpoint, n] of Object.entries(incRequests.byEndpoint))
  console.log(`  ${endpoint}: ${n}`);

emu.admin.resetRequests();
const idle = await incrementalSync({ client, store }, repo);
console.log(
  `Incremental sync with nothing changed: ${idle.requests} requests, ${idle.notModified} answered 304`,
);
console.log(`\nFull sync report: ${JSON.stringify(full)}`);

await store.close();
await emu.close();
