// The deploy guard and the calendar through the compiled CLI, as CI steps would run them.
import { describe, expect, it } from "vitest";
import { EXAMPLE } from "../support/app.js";
import { bosun, tempDir } from "../support/cli.js";

const EVENING = "2026-12-01T18:30:00-08:00"; // Tuesday after 17:00 Pacific
const MIDDAY = "2026-12-01T12:00:00-08:00";

describe("bosun deploy", () => {
  const data = tempDir("bosun-deploy-");
  const env = { BOSUN_DATA_DIR: data };
  const check = (...args: string[]) =>
    bosun(["deploy", "check", "--config", EXAMPLE, "--env", "dogfood", ...args], env);

  it("R27: exit 0 outside the no-deploy hours, 1 inside them, 0 again with --override", () => {
    const ok = check("--image", "fleetdm/fleet:v4.62.0", "--at", EVENING);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^Allowed: fleetdm\/fleet:v4\.62\.0 to dogfood at 2026-12-01T18:30:00-08:00 \(version 4\.62\.0\)/,
    );

    const refused = check("--image", "fleetdm/fleet:v4.62.0", "--at", MIDDAY);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      "NO  R27: Tue 2026-12-01 12:00 PST is inside dogfood's no-deploy hours",
    );

    const coordinated = check(
      "--image",
      "fleetdm/fleet:v4.62.0",
      "--at",
      MIDDAY,
      "--override",
      "agreed in #g-sales",
    );
    expect(coordinated.code).toBe(0);
  });

  it("R29: exit 1 for a branch name, with the reason as JSON", () => {
    const r = check("--image", "fleetdm/fleet:main", "--at", EVENING, "--json");
    expect(r.code).toBe(1);
    const answer = JSON.parse(r.stdout);
    expect(answer.allowed).toBe(false);
    expect(answer.checks.find((c: { rule: string }) => c.rule === "R29")).toMatchObject({
      ok: false,
    });
  });

  it("R28: after `deploy record`, an older version exits 1 and a newer one 0", () => {
    const rec = bosun(
      [
        "deploy",
        "record",
        "--config",
        EXAMPLE,
        "--env",
        "dogfood",
        "--image",
        "fleetdm/fleet:v4.62.0",
      ],
      env,
    );
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(
      /^Recorded: fleetdm\/fleet:v4\.62\.0 runs in dogfood \(version 4\.62\.0\)/,
    );
    const older = check("--image", "fleetdm/fleet:v4.61.0", "--at", EVENING);
    expect(older.code).toBe(1);
    expect(older.stdout).toContain("NO  R28: 4.61.0 is older than 4.62.0");
    expect(check("--image", "fleetdm/fleet:v4.63.0", "--at", EVENING).code).toBe(0);
  });

  it("R28: without a server or GitHub credentials an untagged commit cannot be placed: exit 1 with the reason, 0 with --override", () => {
    const alone = {
      BOSUN_DATA_DIR: tempDir("bosun-deploy-commit-"),
      GITHUB_TOKEN: "",
      GITHUB_APP_ID: "",
    };
    const run = (...args: string[]) =>
      bosun(["deploy", ...args, "--config", EXAMPLE, "--env", "dogfood"], alone);
    expect(run("record", "--image", "fleetdm/fleet:0a0a0a0a0a0a").code).toBe(0);
    const refused = run("check", "--image", "fleetdm/fleet:1b1b1b1", "--at", EVENING);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      "NO  R28: cannot place commit 1b1b1b1 relative to commit 0a0a0a0a0a0a, which runs (fleetdm/fleet:0a0a0a0a0a0a, recorded ",
    );
    expect(refused.stdout).toContain(
      "this Bosun has no GitHub credentials to compare commits with",
    );
    const overridden = run(
      "check",
      "--image",
      "fleetdm/fleet:1b1b1b1",
      "--at",
      EVENING,
      "--override",
      "built from main after 0a0a0a0",
      "--json",
    );
    expect(overridden.code).toBe(0);
    expect(JSON.parse(overridden.stdout)).toMatchObject({
      allowed: true,
      override: "built from main after 0a0a0a0",
    });
  }, 90_000);

  it("R29: `deploy record` refuses something after @ that is not a digest", () => {
    const r = bosun(
      [
        "deploy",
        "record",
        "--config",
        EXAMPLE,
        "--env",
        "dogfood",
        "--image",
        "fleetdm/fleet@latest",
      ],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"latest" does not say what runs (R29)');
  });

  it("exit 2 for bad input, with a one-line error naming what and where", () => {
    const cases: [string[], RegExp][] = [
      [
        ["--image", "v4.62.0", "--env", "prod"],
        /^bosun: --env: no environment "prod" in deployGuard\.environments \(configured: "dogfood"\)\n$/,
      ],
      [["--image", "v4.62.0", "--at", "tomorrow"], /^bosun: --at: "tomorrow" is not an instant/],
      [["--image", "v4.62.0", "--override", " "], /^bosun: --override: give the reason/],
      [[], /required option '--image <tag>' not specified/],
    ];
    for (const [args, error] of cases) {
      const r = bosun(["deploy", "check", "--config", EXAMPLE, "--env", "dogfood", ...args], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(error);
      expect(r.stdout).toBe("");
    }
    const branch = bosun(
      ["deploy", "record", "--config", EXAMPLE, "--env", "dogfood", "--image", "main"],
      env,
    );
    expect(branch.code).toBe(2);
    expect(branch.stderr).toContain('"main" does not say what runs (R29)');
  });
});

describe("bosun calendar", () => {
  const env = { BOSUN_DATA_DIR: tempDir("bosun-calendar-") };

  it("R14/R32: --json lists the events with their UTC offsets across the March DST change", () => {
    const r = bosun(
      ["calendar", "--config", EXAMPLE, "--from", "2026-02-16", "--to", "2026-03-29", "--json"],
      env,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout) as {
      kind: string;
      title: string;
      start: string;
      end: string;
    }[];
    expect(Object.keys(events[0]!)).toEqual(["kind", "title", "start", "end"]);
    expect(events.filter((e) => e.kind === "rc-cut").map((e) => e.start)).toEqual([
      "2026-03-06T08:00:00-08:00",
      "2026-03-27T08:00:00-07:00",
    ]);
    expect(
      events.find((e) => e.kind === "sprint" && e.start.startsWith("2026-03-09")),
    ).toMatchObject({
      start: "2026-03-09T00:00:00-07:00",
      end: "2026-03-30T00:00:00-07:00",
    });
  });

  it("prints a table by default and refuses a bad date with exit 2", () => {
    const table = bosun(
      ["calendar", "--config", EXAMPLE, "--from", "2026-11-01", "--to", "2026-11-30"],
      env,
    );
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("2026-11-13T08:00:00-08:00");
    const bad = bosun(["calendar", "--config", EXAMPLE, "--from", "next week"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'bosun: --from: "next week" is neither a date (2026-12-01) nor an instant with its offset (2026-12-01T09:00:00-08:00)\n',
    );
  });
});
