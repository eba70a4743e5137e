// The compiled CLI, as a user runs it (npm test builds dist/ first).
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/app.js";
import { bosun, tempDir } from "../support/cli.js";

const SHARED_RITUALS = "/work/shared/fixtures/fleet/engineering.rituals.yml";

interface Occ {
  task: string;
  date: string;
  at: string;
  assignee: string;
  repo?: string;
}
const datesOf = (list: Occ[], task: string) =>
  list.filter((o) => o.task === task).map((o) => o.date);

describe("bosun rituals", () => {
  it("R47: the real rituals file lists the right occurrences from 2026-12-01 to 2027-01-31", () => {
    const r = bosun([
      "rituals",
      "--config",
      "bosun.example.yml",
      "--from",
      "2026-12-01",
      "--to",
      "2027-01-31",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Occ[];
    // 4 weekly rituals from a Wednesday and one from a Friday (9 each), 6 triweekly series
    // (3 each), 3 monthly (2 each), 1 quarterly; the annual ones fall outside the range.
    expect(list).toHaveLength(73);
    // Triweekly from 2023-08-09 (a Wednesday).
    for (const task of ["Release ritual", "Release candidate ritual", "QA report", "Release QA"]) {
      expect(datesOf(list, task)).toEqual(["2026-12-09", "2026-12-30", "2027-01-20"]);
    }
    // Monthly from 2024-03-06; from 2023-11-10; from 2025-06-03.
    expect(datesOf(list, "Check browser compatibility for fleetdm.com")).toEqual([
      "2026-12-06",
      "2027-01-06",
    ]);
    expect(datesOf(list, "Check osquery Slack invitation")).toEqual(["2026-12-10", "2027-01-10"]);
    expect(datesOf(list, "Check for new versions of osquery schema")).toEqual([
      "2026-12-03",
      "2027-01-03",
    ]);
    // Weekly from 2023-08-09.
    expect(datesOf(list, "Oncall handoff")).toEqual([
      "2026-12-02",
      "2026-12-09",
      "2026-12-16",
      "2026-12-23",
      "2026-12-30",
      "2027-01-06",
      "2027-01-13",
      "2027-01-20",
      "2027-01-27",
    ]);
    // Weekly from 2023-11-10 (a Friday), Triweekly from 2024-02-27 and 2025-07-29, Quarterly from 2024-09-10.
    expect(datesOf(list, "Check production dependencies of fleetdm.com")[0]).toBe("2026-12-04");
    expect(datesOf(list, "Pre-sprint prioritization")).toEqual([
      "2026-12-01",
      "2026-12-22",
      "2027-01-12",
    ]);
    expect(datesOf(list, "Submit test coverage requests to QA Wolf")).toEqual([
      "2026-12-15",
      "2027-01-05",
      "2027-01-26",
    ]);
    expect(datesOf(list, 'Change password of "Integrations admin" Salesforce account')).toEqual([
      "2026-12-10",
    ]);
    // Dates and times are in the configured time zone, DST-correct.
    const browser = list.find((o) => o.task.startsWith("Check browser"))!;
    expect(browser).toMatchObject({
      at: "2026-12-06T09:00:00-08:00",
      assignee: "eashaw",
      repo: "fleetdm/fleet",
    });
    expect(list.map((o) => o.at)).toEqual([...list.map((o) => o.at)].sort());
  });

  it.runIf(existsSync(SHARED_RITUALS))(
    "R47: lists a rituals file given directly, without a configuration",
    () => {
      const dir = tempDir();
      const r = bosun(
        [
          "rituals",
          "--rituals",
          SHARED_RITUALS,
          "--from",
          "2026-12-01",
          "--to",
          "2026-12-10",
          "--json",
        ],
        {},
        dir,
      );
      expect(r.code).toBe(0);
      const list = JSON.parse(r.stdout) as Occ[];
      expect(datesOf(list, "Release ritual")).toEqual(["2026-12-09"]);
      const text = bosun(
        ["rituals", "--rituals", SHARED_RITUALS, "--from", "2026-12-01", "--to", "2026-12-10"],
        {},
        dir,
      );
      expect(text.stdout).toContain(
        "On each patch release:\n  Create patch release branch (DRI @lukeheath)",
      );
    },
  );

  it("the other rituals still run: broken ones are named on stderr and skipped", () => {
    const config = path.join(ROOT, "test/fixtures/config/broken-rituals-file.yml");
    const r = bosun([
      "rituals",
      "--config",
      config,
      "--from",
      "2026-12-01",
      "--to",
      "2026-12-31",
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((o: Occ) => o.task)).toEqual([
      "Release ritual",
      "Release ritual",
    ]);
    expect(r.stderr).toContain('[1].frequency: ritual "Sprint demo": frequency must be');
    const check = bosun(["config", "check", config]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('ritual "Website check"');
  });

  it("bad input: exit code 2 and one line naming the flag", () => {
    for (const [args, message] of [
      [["--from", "2026-02-30"], '--from must be a date that exists, found "2026-02-30"'],
      [["--from", "tomorrow"], '--from must be a date "YYYY-MM-DD", found "tomorrow"'],
      [
        ["--from", "2026-12-10", "--to", "2026-12-01"],
        "--to (2026-12-01) is before --from (2026-12-10)",
      ],
      [["--rituals", "no-such.yml"], "--rituals: no such file"],
    ] as const) {
      const r = bosun(["rituals", "--config", "bosun.example.yml", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe("");
    }
  });
});

describe.runIf(existsSync("/work/shared/seeds"))("bosun runbooks import", () => {
  it("R48: imports a seed page (dry run) and prints each runbook with its step count", () => {
    const r = bosun([
      "runbooks",
      "import",
      "/work/shared/seeds/000_0ad9ef0aab98fde9.txt",
      "--dry-run",
      "--config",
      "bosun.example.yml",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /conclude-current-milestone\s+│?\s*Conclude current milestone\s+│?\s*12/,
    );
    expect(r.stdout).toContain("(9 with numbered steps)");
    expect(r.stdout).toContain("Dry run: nothing stored.");
  });

  it("imports into the store, lists, shows, and opens as a dry run through the executor", () => {
    const dataDir = tempDir();
    const env = { BOSUN_DATA_DIR: dataDir };
    const config = ["--config", "bosun.example.yml"];
    const imported = bosun(
      ["runbooks", "import", "/work/shared/seeds/001_21eed65a697d884f.txt", ...config],
      env,
    );
    expect(imported.code).toBe(0);
    const list = bosun(["runbooks", "list", "--json", ...config], env);
    expect(JSON.parse(list.stdout).length).toBeGreaterThan(40);
    const show = bosun(["runbook", "show", "edit-a-dns-record", ...config], env);
    expect(show.stdout.split("\n").filter((l) => l.startsWith("- [ ] "))).toHaveLength(3);
    const open = bosun(
      ["runbook", "open", "edit-a-dns-record", "--dry-run", "--json", ...config],
      env,
    );
    expect(open.code).toBe(0);
    expect(JSON.parse(open.stdout)).toMatchObject({
      status: "dry-run",
      rule: "R48",
      line: expect.stringContaining('open issue "Edit a DNS record ('),
    });
    const unknown = bosun(["runbook", "open", "no-such-runbook", "--dry-run", ...config], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no runbook "no-such-runbook"');
  });
});
