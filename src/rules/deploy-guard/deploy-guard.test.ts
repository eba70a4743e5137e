import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../../../test/support/app.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { LoadContext } from "../rule.js";
import { DeployState } from "./builder.js";
import {
  type CommitPlacement,
  checkDeploy,
  compareSemver,
  DeployInputError,
  type DeployKnowledge,
  parseImage,
  type RunningDeploy,
} from "./index.js";
import type { DeployReads } from "./load.js";
import { deployGuard } from "./rule.js";

let config: HandbookConfig;
beforeAll(async () => {
  config = await exampleConfig();
});

const pt = (local: string) =>
  Temporal.PlainDateTime.from(local).toZonedDateTime("America/Los_Angeles").toInstant();
// Tuesday 2026-12-01 at 18:30 Pacific: outside the no-deploy hours.
const EVENING = pt("2026-12-01T18:30");
const MIDDAY = pt("2026-12-01T12:00");
const SHA_4620 = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const SHA_4610 = "0123456789abcdef0123456789abcdef01234567";

/** The store's branches and release tags; what runs, when recorded. */
const world = (running?: RunningDeploy) =>
  new DeployState()
    .branch("main", "feature/hosts")
    .tag("4.62.0", SHA_4620)
    .tag("4.61.0", SHA_4610)
    .runs(running);
const knowledge = (running?: RunningDeploy): DeployKnowledge => world(running).knowledge();
const running = (
  image: string,
  version: string | null,
  sha: string | null = null,
): RunningDeploy => ({
  image,
  version,
  sha,
  recordedAt: "2026-11-30T02:00:00Z",
});

const check = (
  image: string,
  at: Temporal.Instant,
  k: DeployKnowledge = knowledge(),
  override?: string,
) =>
  checkDeploy(config, { environment: "dogfood", image, at, ...(override ? { override } : {}) }, k);
const verdict = (a: ReturnType<typeof check>, rule: string) =>
  a.checks.find((c) => c.rule === rule)!;

describe("R27: no dogfood deploys 07:00-17:00 Pacific, Monday to Friday", () => {
  it.each([
    ["Tuesday 06:59", pt("2026-12-01T06:59"), true],
    ["Tuesday 07:00", pt("2026-12-01T07:00"), false],
    ["Tuesday 12:00", MIDDAY, false],
    ["Tuesday 16:59", pt("2026-12-01T16:59"), false],
    ["Tuesday 17:00", pt("2026-12-01T17:00"), true],
    ["Saturday 12:00", pt("2026-12-05T12:00"), true],
    ["Sunday 12:00", pt("2026-12-06T12:00"), true],
    // Across DST: 07:00 local is 15:00 UTC in winter and 14:00 UTC in summer.
    [
      "a winter Monday at 15:00 UTC (07:00 PST)",
      Temporal.Instant.from("2026-03-02T15:00:00Z"),
      false,
    ],
    [
      "a summer Monday at 14:30 UTC (07:30 PDT)",
      Temporal.Instant.from("2026-03-09T14:30:00Z"),
      false,
    ],
    [
      "a summer Monday at 00:30 UTC (17:30 PDT Sunday)",
      Temporal.Instant.from("2026-03-09T00:30:00Z"),
      true,
    ],
  ])("R27: %s → allowed %s", (_name, at, allowed) => {
    const a = check("fleetdm/fleet:v4.62.0", at);
    expect(verdict(a, "R27").ok).toBe(allowed);
    expect(a.allowed).toBe(allowed);
  });

  it("R27: refused inside the window names when deploys may resume and how to override", () => {
    const a = check("fleetdm/fleet:v4.62.0", MIDDAY);
    expect(verdict(a, "R27").message).toBe(
      "Tue 2026-12-01 12:00 PST is inside dogfood's no-deploy hours (07:00-17:00 America/Los_Angeles, Monday-Friday): deploy from Tue 2026-12-01 17:00 PST, or coordinate it and pass --override REASON",
    );
  });

  it("R27: an explicit override allows a coordinated deploy and keeps its reason", () => {
    const a = check("fleetdm/fleet:v4.62.0", MIDDAY, knowledge(), "agreed in #g-sales");
    expect(a.allowed).toBe(true);
    expect(verdict(a, "R27").message).toContain("coordinated: agreed in #g-sales");
  });

  it("R27: the override does not lift R28 or R29", () => {
    expect(check("fleetdm/fleet:main", MIDDAY, knowledge(), "agreed").allowed).toBe(false);
    expect(
      check("v4.60.0", MIDDAY, knowledge(running("v4.62.0", "4.62.0")), "agreed").allowed,
    ).toBe(false);
  });
});

describe("R29: an image is named by commit hash or version tag, never by branch", () => {
  it.each([
    ["fleetdm/fleet:main", false, "branch"],
    ["fleetdm/fleet:rc-minor-fleet-v4.62.0", false, "branch"],
    ["fleetdm/fleet:feature/hosts", false, "branch"], // a branch the store knows
    ["fleetdm/fleet", false, "branch"], // no tag: Docker's moving "latest"
    ["fleetdm/fleet:nightly", false, "other"],
    ["fleetdm/fleet:v4.62.0", true, "version"],
    ["fleetdm/fleet:fleet-v4.62.0", true, "version"],
    ["v4.62.0-rc.1", true, "version"],
    ["fleetdm/fleet:a1b2c3d", true, "commit"],
    [
      "registry.example.com:5000/fleetdm/fleet:a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
      true,
      "commit",
    ],
    [
      "fleetdm/fleet@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
      true,
      "digest",
    ],
    [`fleetdm/fleet:v4.62.0@sha256:${"0f".repeat(32)}`, true, "digest"], // the tag is a label
    ["fleetdm/fleet@main", false, "not-a-digest"],
    ["fleetdm/fleet@latest", false, "not-a-digest"],
    ["fleetdm/fleet@sha256:xyz", false, "not-a-digest"],
    [`fleetdm/fleet@sha256:${"0f".repeat(31)}0`, false, "not-a-digest"], // 63 digits
    [`fleetdm/fleet@sha256:${"0f".repeat(32)}0`, false, "not-a-digest"], // 65 digits
    [`fleetdm/fleet@sha512:${"0f".repeat(32)}`, false, "not-a-digest"],
    ["fleetdm/fleet@", false, "not-a-digest"],
  ])("R29: %s → allowed %s (%s)", (image, ok, kind) => {
    expect(parseImage(image, config.deployGuard.branches, ["main", "feature/hosts"]).kind).toBe(
      kind,
    );
    expect(verdict(check(image, EVENING), "R29").ok).toBe(ok);
  });

  it("R29: something after @ that is not a digest is refused, saying what a digest looks like", () => {
    expect(verdict(check("fleetdm/fleet@main", EVENING), "R29")).toEqual({
      rule: "R29",
      ok: false,
      message: `"@main" is not a content digest: a digest is sha256: followed by 64 hex digits (0-9, a-f), e.g. fleetdm/fleet@sha256:${"0f1e2d3c".repeat(8)}; or name the image by its commit hash or version tag (e.g. fleetdm/fleet:v4.62.0)`,
    });
    const pinned = parseImage(`fleetdm/fleet:v4.62.0@sha256:${"0f".repeat(32)}`, [], []);
    expect(pinned).toMatchObject({ repository: "fleetdm/fleet", kind: "digest" });
  });

  it("R29: the refusal says what to use instead", () => {
    expect(verdict(check("fleetdm/fleet:main", EVENING), "R29").message).toBe(
      '"main" is a branch, which moves: name the image by its commit hash or version tag (e.g. fleetdm/fleet:v4.62.0)',
    );
  });
});

describe("R28: never deploy an older version than the one running", () => {
  it.each([
    [
      "an older version tag",
      "fleetdm/fleet:v4.61.0",
      running("fleetdm/fleet:v4.62.0", "4.62.0"),
      false,
    ],
    [
      "the same version (a redeploy)",
      "fleetdm/fleet:v4.62.0",
      running("fleetdm/fleet:v4.62.0", "4.62.0"),
      true,
    ],
    ["a newer version", "fleetdm/fleet:v4.63.0", running("fleetdm/fleet:v4.62.0", "4.62.0"), true],
    [
      "a patch of the running minor",
      "fleetdm/fleet:v4.62.1",
      running("fleetdm/fleet:v4.62.0", "4.62.0"),
      true,
    ],
    [
      "an RC of the running version",
      "fleetdm/fleet:v4.62.0-rc.2",
      running("fleetdm/fleet:v4.62.0", "4.62.0"),
      false,
    ],
    [
      "a commit tagged with an older release",
      "fleetdm/fleet:0123456",
      running("fleetdm/fleet:v4.62.0", "4.62.0"),
      false,
    ],
    [
      "a commit tagged with the running release",
      "fleetdm/fleet:a1b2c3d",
      running("fleetdm/fleet:v4.62.0", "4.62.0"),
      true,
    ],
    [
      "an older tag while a tagged commit runs",
      "fleetdm/fleet:v4.61.0",
      running(`fleetdm/fleet:${SHA_4620}`, null, SHA_4620),
      false,
    ],
    [
      "the commit that runs",
      "fleetdm/fleet:a1b2c3d",
      running(`fleetdm/fleet:${SHA_4620}`, null, SHA_4620),
      true,
    ],
  ])("R28: %s → allowed %s", (_name, image, run, ok) => {
    const a = check(image, EVENING, knowledge(run));
    expect(verdict(a, "R28").ok).toBe(ok);
    expect(a.allowed).toBe(ok);
  });

  it("R28: an older version is refused with both versions named", () => {
    const a = check(
      "fleetdm/fleet:v4.61.0",
      EVENING,
      knowledge(running("fleetdm/fleet:v4.62.0", "4.62.0")),
    );
    expect(verdict(a, "R28").message).toBe(
      "4.61.0 is older than 4.62.0, which runs (fleetdm/fleet:v4.62.0, recorded 2026-11-30T02:00:00Z); deploys never go back (no down migrations)",
    );
  });

  it("R28: an untagged commit GitHub cannot place against what runs is refused, with the reason", () => {
    const k = world(running("fleetdm/fleet:v4.62.0", "4.62.0"))
      .placed("fleet-v4.62.0", "fedcba9", { unknown: "no GitHub client" })
      .knowledge();
    const a = check("fleetdm/fleet:fedcba9", EVENING, k);
    expect(a.allowed).toBe(false);
    expect(verdict(a, "R28")).toEqual({
      rule: "R28",
      ok: false,
      message:
        "cannot place commit fedcba9 relative to tag fleet-v4.62.0, which runs (fleetdm/fleet:v4.62.0, recorded 2026-11-30T02:00:00Z): no GitHub client: check by hand that it contains 4.62.0 and pass --override REASON, or name the image by its version tag",
    });
  });

  it("R28: already as it should be: nothing recorded yet, nothing to be older than", () => {
    const a = check("fleetdm/fleet:v4.62.0", EVENING);
    expect(a).toMatchObject({ allowed: true, version: "4.62.0" });
    expect(a.checks.map((c) => [c.rule, c.ok])).toEqual([
      ["R27", true],
      ["R29", true],
      ["R28", true],
    ]);
  });

  it("semantic versions compare numerically, a pre-release before its release", () => {
    const sorted = ["4.10.0", "4.9.1", "4.62.0-rc.10", "4.62.0", "4.62.0-rc.2", "5.0.0"].sort(
      compareSemver,
    );
    expect(sorted).toEqual(["4.9.1", "4.10.0", "4.62.0-rc.2", "4.62.0-rc.10", "4.62.0", "5.0.0"]);
  });
});

describe("R28: a commit no release tag names is placed in git history (GitHub's compare)", () => {
  const RUNS = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a"; // untagged, after 4.62.0 on main
  const OLDER = "1b1b1b1"; // untagged, eight minor versions back
  const runsCommit = running(`fleetdm/fleet:${RUNS.slice(0, 12)}`, null, RUNS.slice(0, 12));
  const base = RUNS.slice(0, 12);

  it("R28: a commit behind the one that runs is older: refused, whatever its distance", () => {
    const k = world(runsCommit).placed(base, OLDER, "behind").knowledge();
    const a = check(`fleetdm/fleet:${OLDER}`, EVENING, k);
    expect(a.allowed).toBe(false);
    expect(verdict(a, "R28").message).toBe(
      `commit 1b1b1b1 is behind commit 0a0a0a0a0a0a, which runs (fleetdm/fleet:0a0a0a0a0a0a, recorded 2026-11-30T02:00:00Z): what runs contains it, so it is older; deploys never go back (no down migrations)`,
    );
  });

  it("R28: the override does not lift a commit known to be older", () => {
    const k = world(runsCommit).placed(base, OLDER, "behind").knowledge();
    const a = check(`fleetdm/fleet:${OLDER}`, EVENING, k, "checked by hand");
    expect(a).toMatchObject({ allowed: false, override: "checked by hand" });
  });

  it.each([
    ["ahead", true, "is ahead of commit 0a0a0a0a0a0a"],
    ["identical", true, "is the commit that runs"],
    ["behind", false, "is behind commit 0a0a0a0a0a0a"],
  ] as const)("R28: a commit %s of what runs → allowed %s", (status, ok, says) => {
    const k = world(runsCommit).placed(base, "2c2c2c2", status).knowledge();
    const a = check("fleetdm/fleet:2c2c2c2", EVENING, k);
    expect(verdict(a, "R28").ok).toBe(ok);
    expect(verdict(a, "R28").message).toContain(says);
  });

  it("R28: a commit placed against a version that runs is compared with its release tag", () => {
    const run = running("fleetdm/fleet:v4.62.0", "4.62.0");
    const older = world(run).placed("fleet-v4.62.0", OLDER, "behind").knowledge();
    expect(verdict(check(`fleetdm/fleet:${OLDER}`, EVENING, older), "R28")).toMatchObject({
      ok: false,
      message: expect.stringContaining("commit 1b1b1b1 is behind tag fleet-v4.62.0"),
    });
    const newer = world(run).placed("fleet-v4.62.0", "2c2c2c2", "ahead").knowledge();
    expect(check("fleetdm/fleet:2c2c2c2", EVENING, newer).allowed).toBe(true);
  });

  it("R28: a version tag against an untagged commit that runs is placed by its release tag", () => {
    const k = world(runsCommit).placed(base, "fleet-v4.61.0", "behind").knowledge();
    const a = check("fleetdm/fleet:v4.61.0", EVENING, k);
    expect(verdict(a, "R28")).toMatchObject({
      ok: false,
      message: expect.stringContaining("tag fleet-v4.61.0 is behind commit 0a0a0a0a0a0a"),
    });
  });

  it("R28: diverged and lacking the release that runs: older, refused", () => {
    const run = running("fleetdm/fleet:v4.62.0", "4.62.0");
    const k = world(run).placed("fleet-v4.62.0", "3d3d3d3", "diverged").knowledge();
    const a = check("fleetdm/fleet:3d3d3d3", EVENING, k);
    expect(verdict(a, "R28")).toEqual({
      rule: "R28",
      ok: false,
      message:
        "commit 3d3d3d3 has diverged from tag fleet-v4.62.0, which runs (fleetdm/fleet:v4.62.0, recorded 2026-11-30T02:00:00Z), and it lacks 4.62.0, a release what runs has: it is older; deploys never go back (no down migrations)",
    });
  });

  it("R28: diverged from an untagged commit that runs: refused when it lacks the newest release in it, allowed when it has it", () => {
    const lacking = world(runsCommit)
      .runningContains("4.62.0")
      .placed(base, "3d3d3d3", "diverged")
      .placed("fleet-v4.62.0", "3d3d3d3", "behind")
      .knowledge();
    expect(verdict(check("fleetdm/fleet:3d3d3d3", EVENING, lacking), "R28")).toMatchObject({
      ok: false,
      message: expect.stringContaining("it lacks 4.62.0, a release what runs has"),
    });
    const having = world(runsCommit)
      .runningContains("4.62.0")
      .placed(base, "4e4e4e4", "diverged")
      .placed("fleet-v4.62.0", "4e4e4e4", "ahead")
      .knowledge();
    const a = check("fleetdm/fleet:4e4e4e4", EVENING, having);
    expect(a.allowed).toBe(true);
    expect(verdict(a, "R28").message).toContain(
      "but it contains 4.62.0, the newest release in what runs: not an older version",
    );
  });

  it("R28: diverged with no release known in what runs cannot be placed: refused, with the reason", () => {
    const k = world(runsCommit).placed(base, "3d3d3d3", "diverged").knowledge();
    expect(verdict(check("fleetdm/fleet:3d3d3d3", EVENING, k), "R28")).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        "it has diverged from what runs (fleetdm/fleet:0a0a0a0a0a0a, recorded 2026-11-30T02:00:00Z), and no release tag that what runs contains is known",
      ),
    });
  });

  it("R28: a commit that cannot be placed is allowed with --override, and the answer records it", () => {
    const k = world(runsCommit)
      .placed(base, "5f5f5f5", { unknown: "GitHub's compare API answered 404 in fleetdm/fleet" })
      .knowledge();
    const refused = check("fleetdm/fleet:5f5f5f5", EVENING, k);
    expect(refused.allowed).toBe(false);
    expect(verdict(refused, "R28").message).toMatch(
      /^cannot place commit 5f5f5f5 relative to commit 0a0a0a0a0a0a, which runs .*: GitHub's compare API answered 404 in fleetdm\/fleet: check by hand/,
    );
    const overridden = check(
      "fleetdm/fleet:5f5f5f5",
      EVENING,
      k,
      "contains 4.62.0, checked by hand",
    );
    expect(overridden).toMatchObject({
      allowed: true,
      override: "contains 4.62.0, checked by hand",
    });
    expect(verdict(overridden, "R28")).toMatchObject({
      ok: true,
      message: expect.stringMatching(
        /answered 404 in fleetdm\/fleet; deployed anyway: contains 4\.62\.0, checked by hand$/,
      ),
    });
  });

  it("R28: a comparison nobody made is never taken for a placement", () => {
    const a = check("fleetdm/fleet:6a6a6a6", EVENING, knowledge(runsCommit));
    expect(verdict(a, "R28")).toMatchObject({
      ok: false,
      message: expect.stringContaining("relative to commit 0a0a0a0a0a0a, which runs"),
    });
    expect(verdict(a, "R28").message).toContain("the two were not compared");
  });

  it("R28: a content digest names no commit: refused unless overridden, saying why", () => {
    const digest = `fleetdm/fleet@sha256:${"ab".repeat(32)}`;
    const a = check(digest, EVENING, knowledge(runsCommit));
    expect(verdict(a, "R28")).toMatchObject({
      ok: false,
      message: expect.stringContaining("a content digest names no commit or version to compare"),
    });
    expect(check(digest, EVENING, knowledge(runsCommit), "same build as 4.62.0").allowed).toBe(
      true,
    );
  });
});

describe("R28: the loader places the image's commit in its repository", () => {
  const RUNS = "0a0a0a0a0a0a";
  const calls: string[] = [];
  const reads = (
    answer: (base: string, head: string) => CommitPlacement,
    tags: string[] = [],
  ): DeployReads => ({
    listRefs: async () => [],
    tagsForCommit: async () => [],
    listDeploys: async () => [
      {
        id: 1,
        environment: "dogfood",
        image: `fleetdm/fleet:${RUNS}`,
        version: null,
        sha: RUNS,
        recordedBy: null,
        note: null,
        recordedAt: "2026-11-30T02:00:00Z",
      },
    ],
    listTags: async (repo) =>
      tags.map((name) => ({ repo, name, sha: null, createdAt: null, syncedAt: "" })),
    placeCommit: async (repo, base, head) => {
      calls.push(`${repo} ${base}...${head}`);
      return answer(base, head);
    },
  });
  const load = (image: string, r: DeployReads) =>
    deployGuard.load({ config, reads: r } as unknown as LoadContext<DeployReads>, {
      environment: "dogfood",
      image,
      at: EVENING,
    });

  it("R28: in the configured repository named like the image, else the release repository", async () => {
    calls.length = 0;
    const r = reads(() => ({ status: "ahead" }));
    await load("fleetdm/fleet:1b1b1b1", r);
    await load("fleetdm/confidential:1b1b1b1", r);
    await load("ghcr.io/acme/server:1b1b1b1", r);
    expect(calls).toEqual([
      `fleetdm/fleet ${RUNS}...1b1b1b1`,
      `fleetdm/confidential ${RUNS}...1b1b1b1`,
      `fleetdm/fleet ${RUNS}...1b1b1b1`,
    ]);
  });

  it("R28: diverged: finds the newest release what runs contains, and places the image against it", async () => {
    calls.length = 0;
    const r = reads(
      (base, head) =>
        head === "3d3d3d3"
          ? { status: base === RUNS ? "diverged" : "behind" }
          : // What runs contains 4.61.0, not 4.62.0.
            { status: base === "fleet-v4.61.0" ? "ahead" : "behind" },
      ["fleet-v4.60.0", "fleet-v4.61.0", "fleet-v4.62.0", "fleet-v4.62.0-rc.1"],
    );
    const input = await load("fleetdm/fleet:3d3d3d3", r);
    expect(calls).toEqual([
      `fleetdm/fleet ${RUNS}...3d3d3d3`,
      `fleetdm/fleet fleet-v4.62.0...${RUNS}`,
      `fleetdm/fleet fleet-v4.61.0...${RUNS}`,
      "fleetdm/fleet fleet-v4.61.0...3d3d3d3",
    ]);
    const a = deployGuard.decide(input, config, EVENING);
    expect(verdict(a, "R28").message).toContain("it lacks 4.61.0, a release what runs has");
  });

  it("R28: nothing is compared when the versions decide", async () => {
    calls.length = 0;
    await load(
      "fleetdm/fleet:v4.62.0",
      reads(() => ({ status: "ahead" })),
    );
    expect(calls).toEqual([`fleetdm/fleet ${RUNS}...fleet-v4.62.0`]);
    calls.length = 0;
    const r = reads(() => ({ status: "ahead" }));
    r.listDeploys = async () => [];
    await load("fleetdm/fleet:1b1b1b1", r);
    expect(calls).toEqual([]);
  });
});

describe("R27: a holiday has no no-deploy hours", () => {
  it("R27: a configured holiday at 10:00 is outside dogfood's no-deploy hours, and says so", () => {
    const a = check("fleetdm/fleet:v4.62.0", pt("2026-12-25T10:00"));
    expect(a.allowed).toBe(true);
    expect(verdict(a, "R27")).toEqual({
      rule: "R27",
      ok: true,
      message:
        "2026-12-25 is a holiday (Christmas Day): outside dogfood's no-deploy hours (07:00-17:00 America/Los_Angeles, Monday-Friday; holidays in calendar.holidays have none)",
    });
  });

  it("R27: an unnamed holiday says it is one", () => {
    expect(verdict(check("v4.62.0", pt("2026-11-27T12:00")), "R27").message).toMatch(
      /^2026-11-27 is a holiday: outside dogfood's no-deploy hours/,
    );
  });

  it("R27: the holiday is the date in calendar.timeZone: Christmas Eve 16:00 PST (already Christmas in UTC) stays refused", () => {
    const a = check("v4.62.0", Temporal.Instant.from("2026-12-25T00:00:00Z"));
    expect(verdict(a, "R27")).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        "Thu 2026-12-24 16:00 PST is inside dogfood's no-deploy hours",
      ),
    });
  });
});

describe("bad input", () => {
  it("an unknown environment names the configured ones", () => {
    expect(() =>
      checkDeploy(config, { environment: "prod", image: "v4.62.0", at: EVENING }, knowledge()),
    ).toThrow(
      new DeployInputError(
        '--env: no environment "prod" in deployGuard.environments (configured: "dogfood")',
      ),
    );
  });

  it("an empty image name is bad input, not a refusal", () => {
    expect(() => check("  ", EVENING)).toThrow(DeployInputError);
  });
});

describe("the deploy guard as a rule", () => {
  it("R27-R29: already as it should be: a version tag outside the no-deploy hours, newer than what runs, is allowed", () => {
    const input = world(running("fleetdm/fleet:v4.61.0", "4.61.0")).input({
      environment: "dogfood",
      image: "fleetdm/fleet:v4.62.0",
      at: EVENING,
    });
    const answer = deployGuard.decide(input, config, EVENING);
    expect(answer).toEqual(checkDeploy(config, input.request, input.knowledge));
    expect(answer.allowed).toBe(true);
    expect(answer.checks.map((c) => [c.rule, c.ok])).toEqual([
      ["R27", true],
      ["R29", true],
      ["R28", true],
    ]);
  });

  it("refuses a release version tagged on two commits, and a branch named twice", () => {
    expect(() => world().tag("4.62.0", SHA_4610)).toThrow("4.62.0 already tags a1b2c3d");
    expect(() => world().branch("main")).toThrow("the branch main is already in this state");
    // Tagging the same commit again is the same tag.
    expect(world().tag("4.62.0", SHA_4620).knowledge().versionsOfCommit("a1b2c3d")).toEqual([
      "4.62.0",
    ]);
  });
});
