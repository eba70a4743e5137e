import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { loadReleaseTrainSnapshot } from "../../src/rules/release-train/load.js";
import type { Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";

const REPO = "fleetdm/fleet";
const at = "2026-11-20T10:00:00Z";
const recent = new Date(Date.now() - 86_400_000).toISOString();
/** The loader and the Store methods it uses, on any backend. */
export function releaseStoreSuite(
  name: string,
  open: () => Promise<Store & { drop?: () => Promise<void> }>,
) {
  describe(name, () => {
    let store: Store;
    let config: HandbookConfig;
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      config = await exampleConfig();
      const opened = await open();
      store = opened;
      drop = opened.drop;
      await store.upsertIssues([
        {
          repo: REPO,
          number: 12,
          isPullRequest: false,
          title: "Crash",
          state: "open",
          createdAt: at,
          updatedAt: at,
          labels: ["bug", "~unreleased bug"],
        },
        {
          repo: "fleetdm/confidential",
          number: 3,
          isPullRequest: false,
          title: "Secret bug",
          state: "closed",
          createdAt: at,
          updatedAt: at,
          labels: ["bug"],
        },
        {
          repo: REPO,
          number: 90,
          isPullRequest: true,
          title: "Merged fix",
          body: "For #12",
          state: "closed",
          createdAt: at,
          updatedAt: recent,
          mergedAt: recent,
          baseRef: "main",
          headSha: "9".repeat(40),
        },
        {
          repo: REPO,
          number: 101,
          isPullRequest: true,
          title: "Fix",
          body: "For #12 and FleetDM/Confidential#3, see #101 and #90",
          state: "open",
          createdAt: at,
          updatedAt: at,
          draft: true,
          headRef: "fix",
          headSha: "a".repeat(40),
          baseRef: "main",
          labels: ["#g-mdm"],
        },
        {
          repo: REPO,
          number: 102,
          isPullRequest: true,
          title: "Pushed again",
          body: "",
          state: "open",
          createdAt: at,
          updatedAt: at,
          headRef: "f",
          headSha: "b".repeat(40),
          baseRef: "main",
        },
      ]);
      await store.upsertReview({
        id: 1,
        repo: REPO,
        pullNumber: 101,
        author: "georgekarrv",
        state: "approved",
        commitId: "a".repeat(40),
        submittedAt: at,
      });
      await store.putPullFiles({
        repo: REPO,
        number: 101,
        headSha: "a".repeat(40),
        paths: ["server/a.go"],
        complete: true,
      });
      await store.putPullFiles({
        repo: REPO,
        number: 102,
        headSha: "c".repeat(40),
        paths: ["docs/a.md"],
        complete: true,
      });
      await store.upsertCommitStatus({
        repo: REPO,
        sha: "a".repeat(40),
        kind: "status",
        context: "bosun/merge-gate",
        state: "failure",
        description: "R9: x",
        githubId: 5,
        updatedAt: at,
      });
      await store.upsertCommitStatus({
        repo: REPO,
        sha: "a".repeat(40),
        kind: "status",
        context: "ci/other",
        state: "success",
        updatedAt: at,
      });
    });
    afterAll(async () => {
      await store?.close();
      await drop?.();
    });

    it("loads each open PR with its reviews, files at its head, linked issues and gate status", async () => {
      const snap = await loadReleaseTrainSnapshot(store, config, REPO, Temporal.Now.instant());
      expect(snap.pulls.map((p) => p.number)).toEqual([101, 102]);
      const [fix, pushed] = snap.pulls;
      expect(fix).toMatchObject({
        draft: true,
        labels: ["#g-mdm"],
        files: ["server/a.go"],
        reviews: [{ id: 1, author: "georgekarrv", state: "APPROVED", commitId: "a".repeat(40) }],
        gateStatus: { state: "failure", description: "R9: x", githubId: 5 },
      });
      // The PR itself is not its own issue; a PR reference is kept but marked as not an issue.
      expect(fix!.linkedIssues.map((i) => [i.repo, i.number, i.isIssue, i.labels])).toEqual([
        [REPO, 12, true, ["bug", "~unreleased bug"]],
        ["fleetdm/confidential", 3, true, ["bug"]],
        [REPO, 90, false, []],
      ]);
      // Files read at an older head say nothing about the current one.
      expect(pushed!.files).toBeNull();
      expect(pushed!.gateStatus).toBeNull();
      expect(snap.merged.map((m) => [m.number, m.baseRef])).toEqual([[90, "main"]]);
    });

    it("loads only the pull requests asked for (the webhook path)", async () => {
      const snap = await loadReleaseTrainSnapshot(
        store,
        config,
        REPO,
        Temporal.Now.instant(),
        [102, 90],
      );
      expect(snap.pulls.map((p) => p.number)).toEqual([102]);
    });

    it("lists the open PRs whose files are due: never read, or read at an older head", async () => {
      expect(await store.pullsNeedingFiles(REPO)).toEqual([
        { number: 102, headSha: "b".repeat(40) },
      ]);
    });

    it("R8: stores each pull request's commits per head, and (R7) its comparison with the latest release tag; the loader keeps only the current head's", async () => {
      const a = "a".repeat(40);
      const b = "b".repeat(40);
      const tagSha = "7".repeat(40);
      expect(await store.pullsNeedingCommits(REPO)).toEqual([
        { number: 101, headSha: a },
        { number: 102, headSha: b },
      ]);
      await store.putPullCommits({
        repo: REPO,
        number: 101,
        headSha: a,
        commits: [
          { sha: "1".repeat(40), message: "Guard nil hosts\n\nFixes #12", parents: [tagSha] },
          { sha: a, message: "For #12: test it", parents: ["1".repeat(40)] },
        ],
        complete: true,
      });
      await store.putPullCommits({
        repo: REPO,
        number: 102,
        headSha: "c".repeat(40),
        commits: [],
        complete: false,
      });
      expect(await store.pullsNeedingCommits(REPO)).toEqual([{ number: 102, headSha: b }]);
      // Rewritten at the next head: one row per pull request.
      await store.putPullCommits({
        repo: REPO,
        number: 102,
        headSha: b,
        commits: [],
        complete: true,
      });
      expect(await store.pullsNeedingCommits(REPO)).toEqual([]);
      expect((await store.listPullCommits(REPO, [101]))[0]).toMatchObject({
        headSha: a,
        complete: true,
        commits: [{ message: "Guard nil hosts\n\nFixes #12", parents: [tagSha] }, { sha: a }],
      });

      // Only open PRs into main are compared; a newer tag or head makes one due again.
      expect(await store.pullsNeedingReleaseCompare(REPO, "fleet-v4.61.1", "main")).toEqual([
        { number: 101, headSha: a },
        { number: 102, headSha: b },
      ]);
      expect(
        await store.pullsNeedingReleaseCompare(REPO, "fleet-v4.61.1", "rc-minor-fleet-v4.62.0"),
      ).toEqual([]);
      await store.putPullReleaseCompare({
        repo: REPO,
        number: 101,
        headSha: a,
        tag: "fleet-v4.61.1",
        tagSha,
        status: "ahead",
        aheadBy: 2,
        behindBy: 0,
        mergeBaseSha: tagSha,
        commits: ["1".repeat(40), a],
      });
      await store.putPullReleaseCompare({
        repo: REPO,
        number: 102,
        headSha: "c".repeat(40),
        tag: "fleet-v4.61.1",
        tagSha: null,
        status: "unrelated",
        aheadBy: 0,
        behindBy: 0,
        mergeBaseSha: null,
        commits: [],
      });
      expect(await store.pullsNeedingReleaseCompare(REPO, "fleet-v4.61.1", "main")).toEqual([
        { number: 102, headSha: b },
      ]);
      expect(await store.pullsNeedingReleaseCompare(REPO, "fleet-v4.62.0", "main")).toEqual([
        { number: 101, headSha: a },
        { number: 102, headSha: b },
      ]);
      expect((await store.listPullReleaseCompares(REPO, [101, 102])).map((c) => c.status)).toEqual([
        "ahead",
        "unrelated",
      ]);

      const snap = await loadReleaseTrainSnapshot(store, config, REPO, Temporal.Now.instant());
      const [fix, pushed] = snap.pulls;
      expect(fix!.commits).toEqual({
        list: [
          { sha: "1".repeat(40), message: "Guard nil hosts\n\nFixes #12", parents: [tagSha] },
          { sha: a, message: "For #12: test it", parents: ["1".repeat(40)] },
        ],
        complete: true,
      });
      expect(fix!.releaseCompare).toEqual({
        tag: "fleet-v4.61.1",
        tagSha,
        status: "ahead",
        aheadBy: 2,
        behindBy: 0,
        mergeBaseSha: tagSha,
        commits: ["1".repeat(40), a],
      });
      // #102's commits are at its head (none); its comparison was made at an older head.
      expect(pushed!.commits).toEqual({ list: [], complete: true });
      expect(pushed!.releaseCompare).toBeNull();
    });

    it("R28: records deploys, newest first, and finds release tags by commit prefix", async () => {
      await store.upsertTag({
        repo: REPO,
        name: "fleet-v4.62.0",
        sha: "abcdef0123456789abcdef0123456789abcdef01",
      });
      await store.recordDeploy({
        environment: "dogfood",
        image: "fleet:v4.61.0",
        version: "4.61.0",
      });
      const second = await store.recordDeploy({
        environment: "dogfood",
        image: "fleet:abcdef0",
        sha: "abcdef0",
        version: "4.62.0",
        recordedBy: "lukeheath",
      });
      expect((await store.listDeploys("dogfood")).map((d) => d.image)).toEqual([
        "fleet:abcdef0",
        "fleet:v4.61.0",
      ]);
      expect(second).toMatchObject({
        environment: "dogfood",
        version: "4.62.0",
        recordedBy: "lukeheath",
      });
      expect((await store.tagsForCommit("ABCDEF0")).map((t) => t.name)).toEqual(["fleet-v4.62.0"]);
      expect(await store.tagsForCommit("abcdef1")).toEqual([]);
    });
  });
}
