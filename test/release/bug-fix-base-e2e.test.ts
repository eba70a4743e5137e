// R7 and R8 end to end on the emulator, with real git commits: the runtime reads each pull
// request's commits and compares its head with the latest release tag before deciding, and the
// merge gate refuses a closing keyword in a commit message and a released-bug fix branched off
// main after the tag, naming the commit.
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlledClock, type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { orgSpecFromConfig } from "../../src/cli/commands/preview-org.js";
import type { GitHubClient } from "../../src/github/client.js";
import { latestReleaseTag } from "../../src/github/pull-commits.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { emulatorClient } from "../support/github.js";

const OWNER = "fleetdm";
const REPO = "fleet";
const repo = { owner: OWNER, repo: REPO };
// Freeze mode, sprint 14, Monday 2026-11-09 12:00 PST: main is open.
const OPEN = Temporal.Instant.from("2026-11-09T20:00:00Z");

describe("R7/R8: released-bug fixes on the emulator, with real commits", () => {
  let emu: RunningEmulator;
  let store: Store;
  let runtime: Runtime;
  let config: HandbookConfig;
  let gh: GitHubClient;

  beforeAll(async () => {
    const example = await exampleConfig();
    config = { ...example, rituals: [], releaseTrain: { ...example.releaseTrain, mode: "freeze" } };
    emu = await startEmulator({
      size: 40,
      seed: 11,
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
      clock: () => OPEN,
    });
    gh = emulatorClient(emu.url, undefined, { token: "emulator:mna" });
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await store?.close();
    await emu?.close();
  });

  /** A branch from `from` with one commit saying `message`, and a PR into main saying `body`. */
  const open = async (branch: string, from: string, message: string, body: string) => {
    await gh.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: from });
    await gh.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: `server/${branch}.go`,
      branch,
      message,
      content: Buffer.from(`package server // ${branch}\n`).toString("base64"),
    });
    const pr = await gh.rest.pulls.create({
      ...repo,
      head: branch,
      base: "main",
      title: branch,
      body,
    });
    return { number: pr.data.number, sha: pr.data.head.sha };
  };

  it("R7: refuses a fix branched off main after the tag, R8: one whose commit says 'Fixes #N'; passes one branched off the tag", async () => {
    const bug = (
      await gh.rest.issues.create({
        ...repo,
        title: "Host count is wrong in 4.x",
        labels: ["bug", "~released bug", "#g-mdm"],
      })
    ).data.number;
    const tags = (await gh.paginate(gh.rest.repos.listTags, { ...repo, per_page: 100 })).map(
      (t) => t.name,
    );
    const tag = latestReleaseTag(config.releaseTrain, tags)!;
    expect(tag).toMatch(/^fleet-v\d+\.\d+\.\d+$/);
    const tagSha = (await gh.rest.git.getRef({ ...repo, ref: `tags/${tag}` })).data.object.sha;
    // Feature work lands on main after the release.
    await gh.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: "server/filters.go",
      branch: "main",
      message: "Hosts page filters (#900)",
      content: Buffer.from("package server // filters\n").toString("base64"),
    });
    const mainSha = (await gh.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
    expect(mainSha).not.toBe(tagSha);
    // Whether main contains the tag (a minor's tag on main) or not (a patch's, on its branch).
    const mainVsTag = await gh.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${tag}...${mainSha}`,
    });
    const mainContainsTag = mainVsTag.data.merge_base_commit.sha === tagSha;

    const offMain = await open(
      "count-off-main",
      mainSha,
      `For #${bug}: count hosts once`,
      `For #${bug}`,
    );
    const closing = await open(
      "count-closing",
      tagSha,
      `Fixes #${bug}: count hosts once`,
      `For #${bug}`,
    );
    const onTag = await open(
      "count-on-tag",
      tagSha,
      `For #${bug}: count hosts once`,
      `For #${bug}`,
    );

    // The emulator lists a PR's commits (those main lacks: a patch tag's own commit too) from
    // its git repository, oldest first, messages and parents included.
    const listed = await gh.rest.pulls.listCommits({ ...repo, pull_number: closing.number });
    expect(listed.data.at(-1)).toMatchObject({
      sha: closing.sha,
      commit: { message: `Fixes #${bug}: count hosts once` },
      parents: [{ sha: tagSha }],
    });
    expect(listed.data.length).toBe(mainContainsTag ? 1 : 2);

    await runtime.syncOnce();
    await runtime.decideAndApply();

    const context = config.releaseTrain.mergeGate.context;
    const status = (sha: string) =>
      emu.admin.core.state
        .repo(OWNER, REPO)!
        .statuses.filter((s) => s.sha === sha && s.context === context)
        .at(-1);
    expect(status(offMain.sha)).toMatchObject({
      state: "failure",
      description: mainContainsTag
        ? `R7: branched off main at ${mainSha.slice(0, 7)}, after ${tag}; rebase onto ${tag}`
        : `R7: branched off main at ${mainSha.slice(0, 7)}, which ${tag} does not contain; rebase onto ${tag}`,
    });
    expect(status(closing.sha)).toMatchObject({
      state: "failure",
      description: `R8: commit ${closing.sha.slice(0, 7)} says "Fixes #${bug}": reword it to "For #${bug}" so the issue stays open`,
    });
    expect(status(onTag.sha)).toMatchObject({
      state: "success",
      description: `R7: fix for released bug #${bug} into main; bug fixes are exempt from the freeze (R9)`,
    });
    const [why] = await runtime.data.audit({ target: `PR#${onTag.number}`, limit: 1 });
    expect(why!.reason).toContain(
      `branched off ${tag}: the head carries no commit of main that ${tag} does not contain`,
    );

    // Deciding again reads nothing new and writes nothing.
    const requests = emu.admin.requests().byEndpoint;
    const compares = requests["GET /repos/:owner/:repo/compare/*"] ?? 0;
    const commits = requests["GET /repos/:owner/:repo/pulls/:pull_number/commits"] ?? 0;
    const rerun = await runtime.decideAndApply();
    expect(rerun.filter((r) => r.status === "applied")).toEqual([]);
    const after = emu.admin.requests().byEndpoint;
    expect(after["GET /repos/:owner/:repo/compare/*"] ?? 0).toBe(compares);
    expect(after["GET /repos/:owner/:repo/pulls/:pull_number/commits"] ?? 0).toBe(commits);
  }, 180_000);
});
