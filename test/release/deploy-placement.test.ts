// R28 end to end on the GitHub emulator: a deploy by commit hash is placed against the commit
// that runs through GitHub's compare API (the emulator's, over its real git repository), with
// the runtime's own client, as `POST /api/deploy/check` on `bosun serve` answers it.
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import type { GitHubClient } from "../../src/github/client.js";
import { githubCommitPlacer } from "../../src/github/compare.js";
import { storeEtags } from "../../src/github/etags.js";
import { parsePattern } from "../../src/handbook/patterns.js";
import type { HandbookConfig } from "../../src/handbook/schema.js";
import { summarizeConfig } from "../../src/handbook/summary.js";
import { compareSemver } from "../../src/handbook/versions.js";
import { describeRules } from "../../src/rules/index.js";
import { Runtime } from "../../src/runtime/runtime.js";
import { buildServer } from "../../src/server/app.js";
import { openStore, type Store } from "../../src/store/index.js";
import { exampleConfig } from "../support/app.js";
import { emulatorClient } from "../support/github.js";

const repo = { owner: "fleetdm", repo: "fleet" };
// Tuesday 18:30 Pacific: outside dogfood's no-deploy hours, so only R28 and R29 decide.
const EVENING = "2026-12-01T18:30:00-08:00";
const NOW = Temporal.Instant.from("2026-12-01T20:00:00Z");
const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("R28: deploys by commit hash, placed through the emulator's compare API", () => {
  let emu: RunningEmulator;
  let store: Store;
  let runtime: Runtime;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let gh: GitHubClient;
  let config: HandbookConfig;
  /** The newest release, the commit before it, and commits written for the test. */
  let release: { version: string; sha: string };
  let beforeRelease: string;
  let runs: string;
  let newer: string;
  let divergedOlder: string;
  let divergedNewer: string;

  /** A commit on `branch` (created from `from` when given) changing one file. */
  const commit = async (branch: string, file: string, from?: string) => {
    if (from) await gh.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: from });
    const put = await gh.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: `deploy-test/${file}`,
      message: `Add ${file}`,
      content: b64(`${file}\n`),
      branch,
    });
    return put.data.commit.sha!;
  };

  beforeAll(async () => {
    config = { ...(await exampleConfig()), rituals: [] };
    emu = await startEmulator({ size: 10, seed: 5 });
    store = await openStore({ inMemory: true });
    runtime = new Runtime({
      config,
      store,
      location: "memory",
      client: emulatorClient(emu.url, store),
      dryRun: true,
      clock: () => NOW,
    });
    app = await buildServer({
      data: runtime.data,
      summary: () => summarizeConfig(config, NOW),
      rules: describeRules(),
    });
    gh = emulatorClient(emu.url);
    // The newest minor release (on main; patch releases are on their branches) and the commit
    // before it on main.
    const tags = await gh.paginate(gh.rest.repos.listTags, { ...repo, per_page: 100 });
    const releases = tags
      .flatMap((t) => {
        const version = parsePattern(config.releaseTrain.tag, t.name);
        return version?.endsWith(".0") ? [{ version, sha: t.commit.sha }] : [];
      })
      .sort((a, b) => compareSemver(a.version, b.version));
    release = releases.at(-1)!;
    const tagged = await gh.rest.git.getCommit({ ...repo, commit_sha: release.sha });
    beforeRelease = tagged.data.parents[0]!.sha;
    // What runs: a commit on main after the release; one after it on a branch; two that
    // diverged from it, one from before the release and one from the release itself.
    runs = await commit("main", "runs.txt");
    newer = await commit("next", "next.txt", runs);
    divergedOlder = await commit("old-work", "old.txt", beforeRelease);
    divergedNewer = await commit("from-release", "patch.txt", release.sha);
    // The store knows the release tags as sync leaves them.
    await runtime.syncOnce();
    expect((await store.tagsForCommit(release.sha)).map((t) => t.name)).toContain(
      `fleet-v${release.version}`,
    );
    const recorded = await app.inject({
      method: "POST",
      url: "/api/deploy/record",
      payload: { environment: "dogfood", image: `fleetdm/fleet:${runs.slice(0, 12)}` },
    });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json()).toMatchObject({ version: null, sha: runs.slice(0, 12) });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.stop();
    await store?.close();
    await emu?.close();
  });

  const deployCheck = async (sha: string, override?: string) => {
    const res = await app.inject({
      method: "POST",
      url: "/api/deploy/check",
      payload: {
        environment: "dogfood",
        image: `fleetdm/fleet:${sha.slice(0, 12)}`,
        at: EVENING,
        ...(override ? { override } : {}),
      },
    });
    expect(res.statusCode).toBe(200);
    const answer = res.json() as {
      allowed: boolean;
      override?: string;
      checks: { rule: string; ok: boolean | null; message: string }[];
    };
    return { ...answer, r28: answer.checks.find((c) => c.rule === "R28")! };
  };
  const short = (sha: string) => sha.slice(0, 12);

  it("R28: a commit older than the one that runs (before the release it has) is refused", async () => {
    const a = await deployCheck(beforeRelease);
    expect(a.allowed).toBe(false);
    expect(a.r28.message).toMatch(
      new RegExp(
        `^commit ${short(beforeRelease)} is behind commit ${short(runs)}, which runs .*: what runs contains it, so it is older; deploys never go back`,
      ),
    );
  });

  it("R28: a commit after the one that runs is allowed", async () => {
    const a = await deployCheck(newer);
    expect(a.allowed).toBe(true);
    expect(a.r28.message).toContain(`commit ${short(newer)} is ahead of commit ${short(runs)}`);
  });

  it("R28: a diverged commit lacking the release that runs is refused; one containing it is allowed", async () => {
    const older = await deployCheck(divergedOlder);
    expect(older.allowed).toBe(false);
    expect(older.r28.message).toContain(
      `commit ${short(divergedOlder)} has diverged from commit ${short(runs)}`,
    );
    expect(older.r28.message).toContain(
      `it lacks ${release.version}, a release what runs has: it is older`,
    );
    const fromRelease = await deployCheck(divergedNewer);
    expect(fromRelease.allowed).toBe(true);
    expect(fromRelease.r28.message).toContain(
      `but it contains ${release.version}, the newest release in what runs`,
    );
  });

  it("R28: a comparison the client has a validator for (304, no body) is still placed, after a restart too", async () => {
    const again = await deployCheck(beforeRelease);
    expect(again.r28.message).toContain(`is behind commit ${short(runs)}`);
    // A new process: the same stored validators, nothing remembered.
    const restarted = githubCommitPlacer(emulatorClient(emu.url, store), storeEtags(store));
    for (let i = 0; i < 2; i++) {
      expect(
        await restarted.placeCommit("fleetdm/fleet", short(runs), short(beforeRelease)),
      ).toEqual({
        status: "behind",
      });
    }
  });

  it("R28: a commit GitHub does not know is refused with the reason, and allowed with --override", async () => {
    const unknown = "0123abc0123abc";
    const a = await deployCheck(unknown);
    expect(a.allowed).toBe(false);
    expect(a.r28.message).toMatch(
      new RegExp(
        `^cannot place commit ${short(unknown)} relative to commit ${short(runs)}, which runs .*: GitHub's compare API answered 404 in fleetdm/fleet`,
      ),
    );
    const overridden = await deployCheck(unknown, "image built from a fork, checked by hand");
    expect(overridden).toMatchObject({
      allowed: true,
      override: "image built from a fork, checked by hand",
    });
    expect(overridden.r28.message).toContain(
      "deployed anyway: image built from a fork, checked by hand",
    );
  });
});
