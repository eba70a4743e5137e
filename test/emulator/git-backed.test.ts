import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identityOf } from "../../emulator/domain/git.js";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { recordingOctokit } from "./helpers.js";

let emu: RunningEmulator;
const repo = { owner: "fleetdm", repo: "fleet" };
const b64 = (text: string) => Buffer.from(text).toString("base64");

beforeAll(async () => {
  emu = await startEmulator({ size: 120, seed: 21 });
});
afterAll(async () => emu?.close());

describe("git-backed endpoints", () => {
  it("has release tags, RC branches and patch branches from the generated history", async () => {
    const o = recordingOctokit(emu.url, []);
    const tags = (await o.paginate(o.repos.listTags, { ...repo, per_page: 100 })).map(
      (t) => t.name,
    );
    expect(tags).toEqual(expect.arrayContaining(["fleet-v4.40.0", "fleet-v4.41.0"]));
    const rc = await o.git.listMatchingRefs({ ...repo, ref: "heads/rc-minor-fleet-v" });
    expect(rc.data.length).toBeGreaterThan(10);
    const tag = await o.git.getRef({ ...repo, ref: "tags/fleet-v4.40.0" });
    const branch = await o.git.getRef({ ...repo, ref: "heads/rc-minor-fleet-v4.40.0" });
    expect(tag.data.object.sha).toBe(branch.data.object.sha);
    const version = await o.repos.getContent({ ...repo, path: "VERSION", ref: "fleet-v4.40.0" });
    expect(Buffer.from((version.data as { content: string }).content, "base64").toString()).toBe(
      "4.40.0\n",
    );
  });

  it("writes contents as real commits and compares branches", async () => {
    const o = recordingOctokit(emu.url, []);
    const main = await o.git.getRef({ ...repo, ref: "heads/main" });
    await o.git.createRef({ ...repo, ref: "refs/heads/docs", sha: main.data.object.sha });
    const one = await o.repos.createOrUpdateFileContents({
      ...repo,
      path: "handbook/a.md",
      message: "Add a",
      content: b64("a\n"),
      branch: "docs",
    });
    await o.repos.createOrUpdateFileContents({
      ...repo,
      path: "handbook/a.md",
      message: "Edit a",
      content: b64("a\nb\n"),
      branch: "docs",
      sha: one.data.content!.sha!,
    });
    const conflict = await o.repos
      .createOrUpdateFileContents({
        ...repo,
        path: "handbook/a.md",
        message: "Stale",
        content: b64("x"),
        branch: "docs",
        sha: one.data.content!.sha!,
      })
      .catch((e: { status: number }) => e);
    expect((conflict as { status: number }).status).toBe(409);
    const cmp = await o.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...docs" });
    expect(cmp.data).toMatchObject({
      status: "ahead",
      ahead_by: 2,
      behind_by: 0,
      total_commits: 2,
    });
    expect(cmp.data.files?.map((f) => [f.filename, f.status, f.additions])).toEqual([
      ["handbook/a.md", "added", 2],
    ]);
    const reversed = await o.repos.compareCommitsWithBasehead({ ...repo, basehead: "docs...main" });
    expect(reversed.data.status).toBe("behind");
    const dup = await o.git
      .createRef({ ...repo, ref: "refs/heads/docs", sha: main.data.object.sha })
      .catch((e: { status: number }) => e);
    expect((dup as { status: number }).status).toBe(422);
    const nonFastForward = await o.git
      .updateRef({ ...repo, ref: "heads/docs", sha: main.data.object.sha })
      .catch((e: { status: number }) => e);
    expect((nonFastForward as { status: number }).status).toBe(422);
  });

  it("merges a PR into a real merge commit and lists its commits and files", async () => {
    const o = recordingOctokit(emu.url, []);
    const main = await o.git.getRef({ ...repo, ref: "heads/main" });
    await o.git.createRef({ ...repo, ref: "refs/heads/feature", sha: main.data.object.sha });
    await o.repos.createOrUpdateFileContents({
      ...repo,
      path: "feature.txt",
      message: "Feature",
      content: b64("f\n"),
      branch: "feature",
    });
    const pr = await o.pulls.create({ ...repo, title: "Feature", head: "feature", base: "main" });
    expect(pr.data).toMatchObject({ commits: 1, additions: 1, changed_files: 1, mergeable: true });
    expect(
      (await o.pulls.listFiles({ ...repo, pull_number: pr.data.number })).data.map(
        (f) => f.filename,
      ),
    ).toEqual(["feature.txt"]);
    const merged = await o.pulls.merge({
      ...repo,
      pull_number: pr.data.number,
      merge_method: "merge",
    });
    const commit = await o.git.getCommit({ ...repo, commit_sha: merged.data.sha! });
    expect(commit.data.parents.map((p) => p.sha)).toEqual([main.data.object.sha, pr.data.head.sha]);
    expect((await o.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha).toBe(
      merged.data.sha,
    );
    const again = await o.pulls
      .merge({ ...repo, pull_number: pr.data.number })
      .catch((e: { status: number }) => e);
    expect((again as { status: number }).status).toBe(405);
    const events = await o.issues.listEvents({ ...repo, issue_number: pr.data.number });
    expect(events.data.map((e) => [e.event, e.commit_id])).toEqual([
      ["merged", merged.data.sha],
      ["closed", merged.data.sha],
    ]);
  });

  it("cherry-picks a commit onto an RC branch, through the backend and through the API", async () => {
    const o = recordingOctokit(emu.url, []);
    const main = await o.git.getRef({ ...repo, ref: "heads/main" });
    await o.git.createRef({ ...repo, ref: "refs/heads/fix", sha: main.data.object.sha });
    const fix = await o.repos.createOrUpdateFileContents({
      ...repo,
      path: "fix.txt",
      message: "Fix crash",
      content: b64("fixed\n"),
      branch: "fix",
    });
    const rc = "rc-minor-fleet-v4.41.0";
    const rcHead = (await o.git.getRef({ ...repo, ref: `heads/${rc}` })).data.object.sha;

    // Backend: git's own three-way merge, parent = RC head.
    const core = emu.admin.core;
    const dir = core.git.dir("fleetdm", "fleet");
    const picked = await core.git.cherryPick(
      dir,
      fix.data.commit.sha!,
      rcHead,
      identityOf(core, "xpkoala"),
    );
    expect(picked).toBeDefined();
    const pickedCommit = await o.git.getCommit({ ...repo, commit_sha: picked! });
    expect(pickedCommit.data.parents.map((p) => p.sha)).toEqual([rcHead]);
    expect(pickedCommit.data.message).toContain(
      `(cherry picked from commit ${fix.data.commit.sha})`,
    );

    // API: the usual client recipe (temp commit + POST /merges + commit with the merged tree).
    const fixCommit = await o.git.getCommit({ ...repo, commit_sha: fix.data.commit.sha! });
    const rcCommit = await o.git.getCommit({ ...repo, commit_sha: rcHead });
    const temp = await o.git.createCommit({
      ...repo,
      message: "temp",
      tree: rcCommit.data.tree.sha,
      parents: [fixCommit.data.parents[0]!.sha],
    });
    await o.git.createRef({ ...repo, ref: "refs/heads/pick-temp", sha: temp.data.sha });
    const merge = await o.repos.merge({ ...repo, base: "pick-temp", head: fix.data.commit.sha! });
    const result = await o.git.createCommit({
      ...repo,
      message: "Fix crash",
      tree: merge.data.commit.tree.sha,
      parents: [rcHead],
    });
    await o.git.updateRef({ ...repo, ref: `heads/${rc}`, sha: result.data.sha });
    await o.git.deleteRef({ ...repo, ref: "heads/pick-temp" });
    const onRc = await o.repos.getContent({ ...repo, path: "fix.txt", ref: rc });
    expect(Buffer.from((onRc.data as { content: string }).content, "base64").toString()).toBe(
      "fixed\n",
    );
    const version = await o.repos.getContent({ ...repo, path: "VERSION", ref: rc });
    expect(Buffer.from((version.data as { content: string }).content, "base64").toString()).toBe(
      "4.41.0\n",
    );
    expect(result.data.tree.sha).toBe(pickedCommit.data.tree.sha);
  });
});
