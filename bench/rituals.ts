// Planning rituals at scale (R47): one year of occurrences for 1,000 rituals, and one decision
// run (which occurrences are due, which issues to file) over them. Prints figures; it is not a
// test. Target (issue «Rituals and runbooks»): one year for 1,000 rituals in under 1 s.
import { Temporal } from "temporal-polyfill";
import { resolveRituals } from "../src/handbook/rituals.js";
import { type HandbookConfig, RITUAL_FREQUENCIES, ritualSchema } from "../src/handbook/schema.js";
import { rituals as ritualsRule } from "../src/rules/rituals/index.js";
import { listOccurrences } from "../src/rules/rituals/occurrences.js";

const COUNT = Number(process.env.BENCH_RITUALS ?? 1000);
const TARGET_MS = 1000;
// Every frequency with a calendar recurrence ("Every patch release" follows tags instead).
const FREQUENCIES = RITUAL_FREQUENCIES.filter((f) => f !== "Every patch release");
const ZONES = ["America/Los_Angeles", "Europe/Paris", "Asia/Tokyo", "UTC"];

const list = Array.from({ length: COUNT }, (_, i) =>
  ritualSchema.parse({
    task: `Ritual ${i}`,
    startedOn: Temporal.PlainDate.from("2023-01-01")
      .add({ days: (i * 37) % 900 })
      .toString(),
    frequency: FREQUENCIES[i % FREQUENCIES.length],
    dri: "lukeheath",
    timeZone: ZONES[i % ZONES.length],
    time: `${String(6 + (i % 12)).padStart(2, "0")}:30`,
    ...(i % 3 === 0 ? { leadTime: "3 days", catchUp: "all" } : {}),
    ...(i % 2 === 0 ? { autoIssue: { labels: ["bench"], repo: "fleet" } } : {}),
  }),
);
const config = {
  organisation: "fleetdm",
  repositories: [{ name: "fleet", defaultBranch: "main", kpi: true, releasedFromMain: false }],
  calendar: {
    timeZone: "America/Los_Angeles",
    businessHours: { start: "09:00", end: "17:00" },
    workDays: ["monday"],
    holidays: [],
  },
  rituals: list,
} as unknown as HandbookConfig;

const from = Temporal.Instant.from("2026-01-01T08:00:00Z");
const to = Temporal.Instant.from("2027-01-01T08:00:00Z");
const time = <T>(fn: () => T): [T, number] => {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - t0) / 1e6];
};

console.log(
  `Rituals: ${COUNT} rituals (${FREQUENCIES.length} frequencies, ${ZONES.length} time zones)`,
);
const [defs, resolveMs] = time(() => resolveRituals(config));
const runs: number[] = [];
let occurrences = 0;
for (let i = 0; i < 5; i++) {
  const [found, ms] = time(() => listOccurrences(defs, config, from, to));
  occurrences = found.length;
  runs.push(ms);
}
runs.sort((a, b) => a - b);
const median = runs[Math.floor(runs.length / 2)]!;
console.log(`  resolve                         ${resolveMs.toFixed(1)} ms`);
console.log(
  `  one year of occurrences         ${occurrences} occurrences, median ${median.toFixed(0)} ms of 5 runs (target < ${TARGET_MS} ms: ${median < TARGET_MS ? "met" : "MISSED"})`,
);
console.log(`  per occurrence                  ${((median * 1000) / occurrences).toFixed(1)} µs`);

const snapshot = {
  repositories: [{ fullName: "fleetdm/fleet", synced: true, labels: [] }],
  rituals: { issues: [], patchReleases: [], runbooks: [] },
};
const [plan, decideMs] = time(() =>
  ritualsRule.decide(snapshot, config, Temporal.Instant.from("2026-07-01T18:00:00Z")),
);
console.log(
  `  one decision run (due now)      ${plan.effects.length} issues to file, ${decideMs.toFixed(0)} ms`,
);
