import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { generateOrg } from "../../emulator/generator/generate.js";
import { defaultOrgSpec } from "../../emulator/generator/org-spec.js";
import { GitBackend } from "../../emulator/git/backend.js";
import type { RepoData } from "../../emulator/state/model.js";
import { EmulatorState } from "../../emulator/state/state.js";

const NOW = new Date("2026-11-01T12:00:00Z");
const DAY = 86_400_000;
const backends: GitBackend[] = [];

async function generate(seed: number, size: number, until?: Date) {
  const git = await GitBackend.temporary();
  backends.push(git);
  const state = new EmulatorState();
  await generateOrg(state, git, { spec: defaultOrgSpec(NOW), seed, size, until });
  return { state, git, fleet: state.repo("fleetdm", "fleet")! };
}

function digest(data: RepoData): string {
  return createHash("sha256").update(JSON.stringify(data)).digest("hex");
}

afterAll(async () => {
  for (const git of backends) await git.destroy();
});

describe("generator", () => {
  it("is deterministic: the same seed and size give the same organisation, git SHAs included", async () => {
    const a = await generate(42, 400);
    const b = await generate(42, 400);
    const c = await generate(43, 400);
    expect(digest(a.fleet)).toBe(digest(b.fleet));
    expect(digest(a.fleet)).not.toBe(digest(c.fleet));
    const refsA = await a.git.refs(a.git.dir("fleetdm", "fleet"));
    const refsB = await b.git.refs(b.git.dir("fleetdm", "fleet"));
    expect(refsA).toEqual(refsB);
  });

  it("builds a realistic organisation: a year of history, bugs, stories, bots, drafts, reviews, milestones", async () => {
    const { state, fleet } = await generate(7, 1000);
    const total = [...state.repos.values()].reduce((n, d) => n + d.issues.length, 0);
    expect(total).toBe(1000);
    const issues = fleet.issues;
    expect(NOW.getTime() - issues[0]!.createdAt).toBeGreaterThan(365 * DAY);
    const withLabel = (name: string) => issues.filter((i) => i.labels.includes(name));
    expect(withLabel("bug").length).toBeGreaterThan(100);
    expect(withLabel("~released bug").length).toBeGreaterThan(20);
    expect(withLabel("~unreleased bug").length).toBeGreaterThan(20);
    expect(withLabel("story").length).toBeGreaterThan(30);
    expect(issues.some((i) => i.labels.some((l) => l.startsWith("customer-")))).toBe(true);
    const pulls = issues.filter((i) => i.pull);
    expect(pulls.some((p) => p.user === "dependabot[bot]")).toBe(true);
    expect(state.user("dependabot[bot]")!.type).toBe("Bot");
    expect(pulls.some((p) => p.pull!.draft && p.state === "open")).toBe(true);
    expect(pulls.some((p) => p.pull!.merged)).toBe(true);
    expect(pulls.some((p) => p.state === "closed" && !p.pull!.merged)).toBe(true);
    const states = new Set(fleet.reviews.map((r) => r.state));
    expect([...states]).toEqual(
      expect.arrayContaining(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]),
    );
    expect(fleet.milestones.filter((m) => m.state === "open")).toHaveLength(1);
    expect(fleet.milestones.filter((m) => m.state === "closed").length).toBeGreaterThan(15);
    expect(fleet.milestones.every((m) => /^4\.\d+\.0$/.test(m.title))).toBe(true);
    expect(fleet.releases.map((r) => r.tagName)).toContain("fleet-v4.40.0");
    const kinds = new Set(fleet.events.map((e) => e.event));
    for (const kind of [
      "labeled",
      "unlabeled",
      "closed",
      "reopened",
      "assigned",
      "milestoned",
      "renamed",
      "merged",
      "review_requested",
      "ready_for_review",
      "convert_to_draft",
      "head_ref_force_pushed",
      "review_dismissed",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
  });

  it("records events that agree with the final state of every issue", async () => {
    const { state, git, fleet } = await generate(9, 800);
    const dir = git.dir("fleetdm", "fleet");
    for (const issue of fleet.issues) {
      const events = state.eventsOf(fleet, issue.number);
      const labels: string[] = [];
      let closed = false;
      let milestone: string | null = null;
      let last = issue.createdAt;
      let title = events.find((e) => e.event === "renamed")?.rename?.from ?? issue.title;
      // Opening as a draft leaves no event; the last draft event decides the current state.
      let draft = issue.pull?.draft ?? false;
      for (const e of events) {
        expect(e.createdAt).toBeGreaterThanOrEqual(issue.createdAt);
        expect(e.createdAt).toBeLessThanOrEqual(NOW.getTime());
        last = Math.max(last, e.createdAt);
        if (e.event === "labeled") labels.push(e.label!.name);
        if (e.event === "unlabeled") labels.splice(labels.indexOf(e.label!.name), 1);
        if (e.event === "closed") closed = true;
        if (e.event === "reopened") closed = false;
        if (e.event === "milestoned") milestone = e.milestoneTitle!;
        if (e.event === "demilestoned") milestone = null;
        if (e.event === "renamed") title = e.rename!.to;
        if (e.event === "convert_to_draft") draft = true;
        if (e.event === "ready_for_review") draft = false;
      }
      expect(labels.sort()).toEqual(issue.labels.slice().sort());
      expect(closed).toBe(issue.state === "closed");
      expect(milestone).toBe(
        issue.milestone === null ? null : state.milestone(fleet, issue.milestone)!.title,
      );
      expect(issue.updatedAt).toBeGreaterThanOrEqual(last);
      expect(title).toBe(issue.title);
      expect(draft).toBe(issue.pull?.draft ?? false);
      if (issue.pull?.merged) {
        expect(events.find((e) => e.event === "merged")?.commitId).toBe(issue.pull.mergeCommitSha);
      }
    }
    // Every PR's SHAs resolve in the real repository.
    for (const pr of fleet.issues.filter((i) => i.pull).slice(0, 40)) {
      expect(await git.resolveCommit(dir, pr.pull!.headSha)).toBe(pr.pull!.headSha);
    }
  });

  it("replays history up to a date: the same items, cut at that date", async () => {
    const until = new Date(NOW.getTime() - 120 * DAY);
    const full = await generate(5, 600);
    const replay = await generate(5, 600, until);
    const cut = until.getTime();
    expect(replay.fleet.issues.length).toBeLessThan(full.fleet.issues.length);
    expect(replay.fleet.issues.every((i) => i.createdAt <= cut)).toBe(true);
    expect(replay.fleet.events.every((e) => e.createdAt <= cut)).toBe(true);
    expect(replay.fleet.issues.map((i) => i.title)).toEqual(
      full.fleet.issues.slice(0, replay.fleet.issues.length).map((i) => i.title),
    );
    expect(replay.fleet.milestones.filter((m) => m.state === "open")).toHaveLength(1);
  });
});
