// Cold start of the CLI as a user runs it: a fresh `node` process each time, compiled dist/.
// Prints figures; it is not a test. Target (issue «Foundation»): under 300 ms.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = findRoot(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.join(root, "bin", "bosun.js");
const runs = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_MS = 300;

const cases: { name: string; args: string[] }[] = [
  { name: "bosun --help", args: ["--help"] },
  { name: "bosun config check bosun.example.yml", args: ["config", "check", "bosun.example.yml"] },
  { name: "node -e 0 (floor: the runtime alone)", args: [] },
];

console.log(`CLI cold start, ${runs} fresh processes each (node ${process.version})`);
for (const c of cases) {
  const argv = c.args.length ? [bin, ...c.args] : ["-e", "0"];
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, argv, { cwd: root, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) {
      console.error(`${c.name} exited ${r.status}: ${r.stderr}`);
      process.exit(1);
    }
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p90 = times[Math.floor(times.length * 0.9)]!;
  const verdict =
    c.args.length === 0
      ? ""
      : median < TARGET_MS
        ? "  (under 300 ms target)"
        : "  (OVER 300 ms target)";
  console.log(
    `${c.name.padEnd(42)} median ${median.toFixed(0).padStart(4)} ms  p90 ${p90.toFixed(0).padStart(4)} ms  min ${times[0]!.toFixed(0).padStart(4)} ms  ratio to target ${(median / TARGET_MS).toFixed(2)}${verdict}`,
  );
}

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("package.json not found above bench/");
    dir = up;
  }
  return dir;
}
