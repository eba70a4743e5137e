import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { GitBackend } from "../git/backend.js";
import { git as run } from "../git/run.js";
import type { Prng } from "../prng.js";
import type { RepoData } from "../state/model.js";
import type { PlannedItem, Sprint } from "./history.js";
import { fill, type OrgSpec } from "./org-spec.js";

// A generated repository's git history, written with a single `git fast-import`: release
// commits, tags, RC and patch branches, and real commits for a bounded number of PRs. Large
// organisations stay cheap: every other PR points at existing main-line commits.

const DAY = 86_400_000;
/** Merged PRs that get their own real commit; the rest share commits (see README). */
const REAL_MERGED_PRS = 150;
/** Open PRs that get a real branch with one commit. */
const REAL_OPEN_PRS = 40;

export interface GitShas {
  /** PR number → [base, head] for PRs with real commits. */
  pulls: Map<number, [string, string]>;
  /** Main-line commits ascending by time, for PRs that share commits. */
  mainline: { at: number; sha: string; parent: string }[];
}

/** Writes the repository's history with one `git fast-import` run. */
export async function writeGitHistory(
  git: GitBackend,
  spec: OrgSpec,
  data: RepoData,
  plan: PlannedItem[],
  allSprints: Sprint[],
  start: number,
  cutoff: number,
  rng: Prng,
): Promise<GitShas> {
  const dir = await git.init(data.repo.owner, data.repo.name, data.repo.defaultBranch);
  const main = `refs/heads/${data.repo.defaultBranch}`;
  const merged = plan.filter(
    (p) => p.kind === "pr" && p.ops.some((o) => o.kind === "merge" && o.at <= cutoff),
  );
  const stride = Math.max(1, Math.ceil(merged.length / REAL_MERGED_PRS));
  const realMerged = new Set(merged.filter((_, i) => i % stride === 0).map((p) => p.number));
  const open = plan.filter(
    (p) =>
      p.kind === "pr" &&
      !p.ops.some((o) => (o.kind === "merge" || o.kind === "close") && o.at <= cutoff),
  );
  const realOpen = new Set(open.slice(-REAL_OPEN_PRS).map((p) => p.number));
  type Step = { at: number; kind: "pr" | "release" | "open"; item?: PlannedItem; sprint?: Sprint };
  const steps: Step[] = [];
  for (const p of plan) {
    if (realMerged.has(p.number))
      steps.push({ at: p.ops.find((o) => o.kind === "merge")!.at, kind: "pr", item: p });
    if (realOpen.has(p.number)) steps.push({ at: p.createdAt, kind: "open", item: p });
  }
  for (const s of allSprints)
    if (s.end <= cutoff) steps.push({ at: s.end, kind: "release", sprint: s });
  steps.sort((a, b) => a.at - b.at);

  const out: string[] = [];
  let mark = 0;
  const blob = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const person = (login: string, at: number) =>
    `${login} <${login}@users.noreply.github.com> ${Math.floor(at / 1000)} +0000`;
  const commit = (
    ref: string,
    from: number | null,
    login: string,
    at: number,
    message: string,
    files: [string, string][],
  ) => {
    mark += 1;
    out.push(
      `commit ${ref}\nmark :${mark}\nauthor ${person(login, at)}\ncommitter ${person(login, at)}\n${blob(message)}`,
    );
    if (from !== null) out.push(`from :${from}\n`);
    for (const [path, content] of files) out.push(`M 100644 inline ${path}\n${blob(content)}`);
    out.push("\n");
    return mark;
  };
  let head = commit(main, null, spec.owner, start, "Initial commit", [
    ["README.md", `# ${data.repo.name}\n`],
    ["VERSION", "4.39.0\n"],
  ]);
  const marks = new Map<number, { base: number; head: number }>();
  const mainMarks: { at: number; mark: number; parent: number }[] = [
    { at: start, mark: head, parent: head },
  ];
  for (const step of steps) {
    if (step.kind === "pr" && step.item) {
      const p = step.item;
      const parent = head;
      head = commit(
        main,
        head,
        p.author.replace("[bot]", ""),
        step.at,
        `${p.title} (#${p.number})`,
        [
          [`changes/${p.number}-${p.kind}.md`, `${p.title}\n`],
          ["src/areas.txt", `last change: #${p.number}\n`],
        ],
      );
      marks.set(p.number, { base: parent, head });
      mainMarks.push({ at: step.at, mark: head, parent });
    } else if (step.kind === "open" && step.item) {
      const p = step.item;
      const branchHead = commit(
        `refs/heads/pr-${p.number}`,
        head,
        p.author.replace("[bot]", ""),
        p.createdAt,
        p.title,
        [[`changes/${p.number}-open.md`, `${p.title}\n`]],
      );
      marks.set(p.number, { base: head, head: branchHead });
    } else if (step.sprint) {
      const s = step.sprint;
      const parent = head;
      head = commit(main, head, spec.groups[0]!.engineeringManager, s.end, `Release ${s.version}`, [
        ["VERSION", `${s.version}\n`],
        ["CHANGELOG.md", `## ${s.version}\n`],
      ]);
      mainMarks.push({ at: s.end, mark: head, parent });
      out.push(
        `reset refs/heads/${fill(spec.release.rcBranchPattern, s.version)}\nfrom :${head}\n\n`,
      );
      out.push(`reset refs/tags/${fill(spec.release.tagPattern, s.version)}\nfrom :${head}\n\n`);
      if (rng.chance(0.5)) {
        const patch = s.version.replace(/\.0$/, ".1");
        const patchBranch = `refs/heads/${fill(spec.release.patchBranchPattern, patch)}`;
        const patchMark = commit(
          patchBranch,
          head,
          spec.groups[0]!.engineeringManager,
          Math.min(cutoff, s.end + 2 * DAY),
          `Patch ${patch}`,
          [["VERSION", `${patch}\n`]],
        );
        out.push(`reset refs/tags/${fill(spec.release.tagPattern, patch)}\nfrom :${patchMark}\n\n`);
      }
    }
  }
  // fast-import reports marks only through a file: export them and read them back.
  const byMark = await exportMarks(dir, out.join(""));
  const sha = (m: number) => byMark.get(m)!;
  const pulls = new Map<number, [string, string]>();
  for (const [number, m] of marks) pulls.set(number, [sha(m.base), sha(m.head)]);
  return {
    pulls,
    mainline: mainMarks.map((m) => ({ at: m.at, sha: sha(m.mark), parent: sha(m.parent) })),
  };
}

async function exportMarks(dir: string, stream: string): Promise<Map<number, string>> {
  const file = join(dir, "emulator-marks");
  await run(dir, ["fast-import", "--quiet", "--force", `--export-marks=${file}`], {
    input: stream,
  });
  const text = await readFile(file, "utf8");
  await rm(file, { force: true });
  const map = new Map<number, string>();
  for (const line of text.split("\n")) {
    const [m, s] = line.split(" ");
    if (m && s) map.set(Number(m.slice(1)), s);
  }
  return map;
}
