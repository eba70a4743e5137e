// Emulator benchmark: time and memory to generate 10,000 and 100,000 issues+PRs, and
// requests per second for paginated issue lists (per_page=100) over loopback.
//
//   npm run build && node dist/bench/emulator.js [--sizes 10000,100000] [--requests 2000]

import { generateOrg } from "../emulator/generator/generate.js";
import { defaultOrgSpec } from "../emulator/generator/org-spec.js";
import { GitBackend } from "../emulator/git/backend.js";
import { startEmulator } from "../emulator/index.js";
import { EmulatorState } from "../emulator/state/state.js";

const NOW = new Date("2026-11-01T12:00:00Z");

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function measureGeneration(size: number): Promise<void> {
  globalThis.gc?.();
  const before = process.memoryUsage();
  const git = await GitBackend.temporary();
  const state = new EmulatorState();
  const started = performance.now();
  await generateOrg(state, git, { spec: defaultOrgSpec(NOW), seed: 1, size });
  const seconds = (performance.now() - started) / 1000;
  const after = process.memoryUsage();
  let events = 0;
  let comments = 0;
  for (const data of state.repos.values()) {
    events += data.events.length;
    comments += data.comments.length;
  }
  console.log(
    `generate ${size.toLocaleString("en")} issues+PRs: ${seconds.toFixed(2)} s ` +
      `(${Math.round(size / seconds).toLocaleString("en")}/s), ${events.toLocaleString("en")} events, ` +
      `${comments.toLocaleString("en")} comments; RSS +${mb(after.rss - before.rss)}, heap +${mb(after.heapUsed - before.heapUsed)}`,
  );
  await git.destroy();
}

async function measureServing(size: number, requests: number, concurrency: number): Promise<void> {
  const emu = await startEmulator({
    size,
    seed: 1,
    org: defaultOrgSpec(NOW),
    rateLimit: 1_000_000,
  });
  const pages = Math.ceil((size * 0.9) / 100);
  let next = 0;
  let bytes = 0;
  let failures = 0;
  const worker = async () => {
    while (next < requests) {
      const page = (next++ % pages) + 1;
      const response = await fetch(
        `${emu.url}/repos/fleetdm/fleet/issues?state=all&per_page=100&page=${page}`,
      );
      bytes += (await response.arrayBuffer()).byteLength;
      if (response.status !== 200) failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const counted = emu.admin.requests().total;
  console.log(
    `serve GET /repos/{o}/{r}/issues?per_page=100 over ${size.toLocaleString("en")} issues+PRs: ` +
      `${requests} requests, concurrency ${concurrency}: ${(requests / seconds).toFixed(0)} req/s, ` +
      `${mb(bytes / seconds)}/s, ${failures} failures, ${counted} counted by the emulator`,
  );
  await emu.close();
}

const sizes = arg("sizes", "10000,100000").split(",").map(Number);
const requests = Number(arg("requests", "2000"));
for (const size of sizes) await measureGeneration(size);
await measureServing(Number(arg("serve-size", "10000")), requests, Number(arg("concurrency", "8")));
