import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../../../test/support/app.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { DeployState } from "./builder.js";
import {
  checkDeploy,
  compareSemver,
  DeployInputError,
  type DeployKnowledge,
  parseImage,
  type RunningDeploy,
} from "./index.js";
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
  ])("R29: %s → allowed %s (%s)", (image, ok, kind) => {
    expect(parseImage(image, config.deployGuard.branches, ["main", "feature/hosts"]).kind).toBe(
      kind,
    );
    expect(verdict(check(image, EVENING), "R29").ok).toBe(ok);
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

  it("R28: an untagged commit cannot be placed against a version: allowed, with a warning saying so", () => {
    const a = check(
      "fleetdm/fleet:fedcba9",
      EVENING,
      knowledge(running("fleetdm/fleet:v4.62.0", "4.62.0")),
    );
    expect(a.allowed).toBe(true);
    expect(verdict(a, "R28")).toMatchObject({ ok: null });
    expect(verdict(a, "R28").message).toContain("no release tag points at this commit");
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
