import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index.js";
import { recordingOctokit } from "./helpers.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("persistence", () => {
  it("restores issues, events and git refs after a restart with the same data directory", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "bosun-emulator-test-"));
    dirs.push(dataDir);
    const first = await startEmulator({ size: 100, seed: 2, dataDir });
    const o = recordingOctokit(first.url, []);
    const created = await o.issues.create({
      owner: "fleetdm",
      repo: "fleet",
      title: "Survives restarts",
      labels: ["bug"],
    });
    const main = await o.git.getRef({ owner: "fleetdm", repo: "fleet", ref: "heads/main" });
    await o.git.createRef({
      owner: "fleetdm",
      repo: "fleet",
      ref: "refs/heads/kept",
      sha: main.data.object.sha,
    });
    await first.close();

    const second = await startEmulator({ size: 100, seed: 99, dataDir });
    const p = recordingOctokit(second.url, []);
    const issue = await p.issues.get({
      owner: "fleetdm",
      repo: "fleet",
      issue_number: created.data.number,
    });
    expect(issue.data.title).toBe("Survives restarts");
    expect(issue.data.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual(["bug"]);
    const events = await p.issues.listEvents({
      owner: "fleetdm",
      repo: "fleet",
      issue_number: created.data.number,
    });
    expect(events.data.map((e) => e.event)).toEqual(["labeled"]);
    expect(
      (await p.git.getRef({ owner: "fleetdm", repo: "fleet", ref: "heads/kept" })).data.object.sha,
    ).toBe(main.data.object.sha);
    const next = await p.issues.create({ owner: "fleetdm", repo: "fleet", title: "Next number" });
    expect(next.data.number).toBe(created.data.number + 1);
    await second.close();
  });
});

describe("live activity", () => {
  it("produces new bugs, PRs, reviews and label changes as webhooks-backed state changes", async () => {
    const emu = await startEmulator({ size: 100, seed: 4 });
    const before = emu.admin.core.state.repo("fleetdm", "fleet")!.events.length;
    const response = await fetch(`${emu.url}/_emulator/activity/steps`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ count: 25 }),
    });
    const { actions } = (await response.json()) as { actions: string[] };
    expect(actions).toHaveLength(25);
    expect(actions.some((a) => a.endsWith("opened bug"))).toBe(true);
    expect(actions.some((a) => a.endsWith("opened PR"))).toBe(true);
    expect(emu.admin.core.state.repo("fleetdm", "fleet")!.events.length).toBeGreaterThan(before);
    await emu.close();
  });
});

describe("an empty organisation (size 0)", () => {
  it("has the repositories, the labels and one commit on the default branch, and no history", async () => {
    const emu = await startEmulator({ size: 0 });
    const o = recordingOctokit(emu.url, []);
    const issues = await o.issues.listForRepo({ owner: "fleetdm", repo: "fleet", state: "all" });
    expect(issues.data).toEqual([]);
    expect(
      (await o.issues.getLabel({ owner: "fleetdm", repo: "fleet", name: "~unreleased bug" }))
        .status,
    ).toBe(200);
    const main = await o.git.getRef({ owner: "fleetdm", repo: "confidential", ref: "heads/main" });
    const readme = await o.repos.getContent({
      owner: "fleetdm",
      repo: "confidential",
      path: "README.md",
      ref: main.data.object.sha,
    });
    expect(Buffer.from((readme.data as { content: string }).content, "base64").toString()).toBe(
      "# confidential\n",
    );
    expect(
      (await o.issues.create({ owner: "fleetdm", repo: "fleet", title: "First" })).data.number,
    ).toBe(1);
    await emu.close();
  });
});
