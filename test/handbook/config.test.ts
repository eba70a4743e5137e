import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  type ConfigError,
  formatConfigError,
  loadConfig,
  parseConfig,
} from "../../src/handbook/load.js";
import { formatPattern, parsePattern } from "../../src/handbook/patterns.js";
import { ritualsFileSchema } from "../../src/handbook/schema.js";
import { renderSummary, summarizeConfig } from "../../src/handbook/summary.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURES = path.join(ROOT, "test/fixtures/config");
const EXAMPLE = path.join(ROOT, "bosun.example.yml");
const SHARED_RITUALS = "/work/shared/fixtures/fleet/engineering.rituals.yml";
const fixture = (name: string) => path.join("test/fixtures/config", name);

async function errorsOf(name: string): Promise<ConfigError[]> {
  const result = await loadConfig(path.join(FIXTURES, name));
  if (result.ok) throw new Error(`${name} loaded without errors`);
  return result.errors;
}

describe("bosun.example.yml", () => {
  it("loads with no errors", async () => {
    const result = await loadConfig(EXAMPLE, { env: {} });
    if (!result.ok) throw new Error(result.errors.map(formatConfigError).join("\n"));
    const { config } = result;
    expect(config.organisation).toBe("fleetdm");
    expect(config.repositories.map((r) => r.name)).toEqual(["fleet", "confidential"]);
    expect(config.productGroups.map((g) => g.label)).toEqual(["#g-endpoint-ops", "#g-mdm"]);
    expect(config.roles.engineeringOutputDri).toBe("lukeheath");
    expect(config.roles.releaseRitualDri).toBe("lukeheath");
    expect(config.roles.onCall.rotation.length).toBeGreaterThanOrEqual(4);
    expect(config.releaseTrain.mode).toBe("release-candidate");
    expect(config.releaseTrain.freeze).toEqual({ weekday: "tuesday", time: "09:00" });
    expect(config.rituals).toHaveLength(20);
    expect(config.ritualsFile).toBe("examples/engineering.rituals.yml");
  });

  it("switches to the freeze mode by changing one key", () => {
    const text = readFileSync(EXAMPLE, "utf8").replace("mode: release-candidate", "mode: freeze");
    const result = parseConfig(text, EXAMPLE);
    expect(result.ok && result.config.releaseTrain.mode).toBe("freeze");
  });

  it("summarises on one terminal screen", async () => {
    const result = await loadConfig(EXAMPLE, { env: {} });
    if (!result.ok) throw new Error("invalid example");
    const summary = summarizeConfig(result.config, Temporal.Instant.from("2026-03-04T18:00:00Z"));
    expect(summary.nextRcCut).toBe("2026-03-06T08:00:00-08:00");
    expect(summary.groups[1]).toMatchObject({
      label: "#g-mdm",
      engineeringManager: "georgekarrv",
      qaLead: "AndreyKizimenko",
    });
    expect(summary.rituals.count).toBe(20);
    const text = renderSummary(summary);
    expect(text.split("\n").length).toBeLessThanOrEqual(25);
    expect(text).toContain("next RC cut   2026-03-06 08:00 -08:00");
  });

  it("takes the webhook secret from BOSUN_WEBHOOK_SECRET over the file", async () => {
    const text = `${readFileSync(EXAMPLE, "utf8")}\n`.replace(
      "apiUrl: https://api.github.com",
      "apiUrl: https://api.github.com\n  webhookSecret: from-file",
    );
    const fromFile = parseConfig(text, EXAMPLE, { env: {} });
    const fromEnv = parseConfig(text, EXAMPLE, { env: { BOSUN_WEBHOOK_SECRET: "from-env" } });
    expect(fromFile.ok && fromFile.config.github.webhookSecret).toBe("from-file");
    expect(fromEnv.ok && fromEnv.config.github.webhookSecret).toBe("from-env");
  });
});

describe("defaults", () => {
  it("fills every default of a minimal configuration", async () => {
    const result = await loadConfig(path.join(FIXTURES, "valid-minimal.yml"), { env: {} });
    if (!result.ok) throw new Error(result.errors.map(formatConfigError).join("\n"));
    const { config } = result;
    expect(config.repositories).toEqual([
      { name: "fleet", defaultBranch: "main", kpi: true, releasedFromMain: false },
      { name: "confidential", defaultBranch: "main", kpi: false, releasedFromMain: false },
    ]);
    expect(config.github).toEqual({ apiUrl: "https://api.github.com" });
    expect(config.calendar).toEqual({
      timeZone: "America/Los_Angeles",
      businessHours: { start: "09:00", end: "17:00" },
      workDays: ["monday", "tuesday", "wednesday", "thursday", "friday"],
      holidays: [],
    });
    expect(config.roles.onCall.handoff).toEqual({ weekday: "monday", time: "09:00" });
    expect(config.productGroups[0]?.members).toEqual([]);
    expect(config.labels).toEqual({
      bug: "bug",
      releasedBug: "~released bug",
      unreleasedBug: "~unreleased bug",
      releaseBlocker: "~release blocker",
      story: "story",
      engineeringInitiated: "~engineering-initiated",
      product: ":product",
      release: ":release",
      pushed: "~pushed",
      ceo: "~ceo",
      customerPrefix: "customer-",
      bugStates: [
        { state: "inbox", label: ":incoming", aliases: [] },
        { state: "acknowledged", label: ":reproduce", aliases: [] },
        { state: "reproduced", label: ":release", aliases: [] },
      ],
      kpiExcludedPrLabels: ["#handbook", "~ceo", ":improve documentation"],
      aliases: {
        bug: [],
        releasedBug: [],
        unreleasedBug: [],
        releaseBlocker: [],
        story: [],
        engineeringInitiated: [],
        product: [],
        release: [],
        pushed: [],
        ceo: [],
      },
    });
    expect(config.releaseTrain).toEqual({
      mode: "release-candidate",
      sprint: { lengthWeeks: 3, anchor: "2026-01-05" },
      rcCut: { weekday: "friday", time: "08:00", which: "last" },
      freeze: { weekday: "tuesday", time: "09:00" },
      deepFreezeHours: 24,
      release: { weekday: "monday", time: "09:00" },
      branches: { main: "main", rc: "rc-minor-fleet-v{version}", patch: "patch-fleet-v{version}" },
      milestone: "{version}",
      tentativeMilestone: "{version}-tentative",
      tag: "fleet-v{version}",
      onHoliday: "previous",
      overrides: [],
      mergeGate: {
        context: "bosun/merge-gate",
        docsPaths: ["docs/**", "handbook/**", "articles/**", "website/**", "**/*.md"],
        nonCodePaths: [".github/**"],
        approvalsOnHeadOnly: false,
      },
      qaIssueTitle: "Release QA: {version}",
    });
    expect(config.rituals[0]).toEqual({
      task: "Weekly bug review",
      startedOn: "2026-01-07",
      frequency: "Weekly",
      description: "",
      dri: "lukeheath",
      autoIssue: { labels: ["bug"], repo: "fleet" },
    });
  });
});

describe("label settings: one name or a list of aliases", () => {
  const example = readFileSync(EXAMPLE, "utf8");
  const BLOCKER = 'releaseBlocker: ["~release blocker", "~release-blocker"]';
  const withBlocker = (value: string) => {
    expect(example).toContain(BLOCKER);
    return parseConfig(example.replace(BLOCKER, `releaseBlocker: ${value}`), EXAMPLE, { env: {} });
  };
  const problems = (value: string) => {
    const result = withBlocker(value);
    if (result.ok) throw new Error(`${value} loaded without errors`);
    return result.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it("R11: the first name is the one Bosun writes, the others are aliases it reads", async () => {
    const result = await loadConfig(EXAMPLE, { env: {} });
    if (!result.ok) throw new Error("invalid example");
    const l = result.config.labels;
    expect([l.releaseBlocker, l.aliases.releaseBlocker]).toEqual([
      "~release blocker",
      ["~release-blocker"],
    ]);
    expect([l.unreleasedBug, l.aliases.unreleasedBug]).toEqual([
      "~unreleased bug",
      ["~unreleased-bug"],
    ]);
    expect([l.releasedBug, l.aliases.releasedBug]).toEqual(["~released bug", []]);
    const one = withBlocker('"~release-blocker"');
    expect(
      one.ok && [one.config.labels.releaseBlocker, one.config.labels.aliases.releaseBlocker],
    ).toEqual(["~release-blocker", []]);
  });

  it("R11: a bug state's label takes aliases too", () => {
    const text = example.replace(
      '{ state: acknowledged, label: ":reproduce" }',
      '{ state: acknowledged, label: [":reproduce", ":repro"] }',
    );
    const result = parseConfig(text, EXAMPLE, { env: {} });
    expect(result.ok && result.config.labels.bugStates[1]).toEqual({
      state: "acknowledged",
      label: ":reproduce",
      aliases: [":repro"],
    });
  });

  it("R11: one name keeps the messages of a text setting; a list names the bad entry", () => {
    expect(problems('""')).toEqual([
      'labels.releaseBlocker: must not be empty: a GitHub label, found ""',
    ]);
    expect(problems("5")).toEqual(["labels.releaseBlocker: must be text, found 5"]);
    expect(problems('["~release blocker", ""]')).toEqual([
      'labels.releaseBlocker[1]: must not be empty: a GitHub label, found ""',
    ]);
    expect(problems("[]")).toEqual(["labels.releaseBlocker: must list at least 1 item, found 0"]);
  });
});

describe("broken configurations name file, line, column and key path", () => {
  // [fixture, line, column, key path, part of the message]
  const cases: [string, number, number, string, string][] = [
    [
      "broken-unknown-top-level-key.yml",
      37,
      1,
      "community",
      'unknown key "community"; allowed keys: organisation, repositories, github, calendar, roles, productGroups, labels, releaseTrain, rituals, ritualsFile',
    ],
    [
      "broken-unknown-nested-key.yml",
      29,
      5,
      "releaseTrain.sprint.lenghtWeeks",
      'unknown key "lenghtWeeks" (did you mean "lengthWeeks"?); allowed keys: lengthWeeks, anchor',
    ],
    [
      "broken-mode.yml",
      27,
      9,
      "releaseTrain.mode",
      'must be "freeze" or "release-candidate", found "frozen"',
    ],
    [
      "broken-time-zone.yml",
      27,
      13,
      "calendar.timeZone",
      'unknown time zone), found "America/Pacific"',
    ],
    ["broken-time.yml", 30, 11, "releaseTrain.rcCut.time", 'found "25:00"'],
    [
      "broken-date.yml",
      28,
      13,
      "releaseTrain.sprint.anchor",
      'must be a date that exists in the calendar, as "YYYY-MM-DD", found "2026-02-30"',
    ],
    [
      "broken-duplicate-group-label.yml",
      23,
      12,
      "productGroups[1].label",
      'duplicate product group label "#g-endpoint-ops": already used by productGroups[0]',
    ],
    [
      "broken-ritual-autoissue-no-repo.yml",
      35,
      7,
      "rituals[0].autoIssue.repo",
      'ritual "Weekly bug review": autoIssue.repo is required: add the key "repo"',
    ],
    [
      "broken-ritual-frequency.yml",
      32,
      16,
      "rituals[0].frequency",
      'ritual "Weekly bug review": frequency must be "Daily", "Weekly", "Biweekly", "Triweekly", "Monthly", "Quarterly", "Annually" or "Every patch release", found "Fortnightly"',
    ],
    [
      "broken-ritual-unknown-repo.yml",
      36,
      13,
      "rituals[0].autoIssue.repo",
      'autoIssue.repo must be one of the configured repositories ("fleet" or "confidential"), found "website"',
    ],
    [
      "broken-yaml-syntax.yml",
      14,
      5,
      "",
      "YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
    [
      "broken-wrong-type.yml",
      29,
      18,
      "releaseTrain.sprint.lengthWeeks",
      'must be a number, found "three"',
    ],
    // A missing key points at its parent mapping.
    [
      "broken-missing-key.yml",
      28,
      5,
      "releaseTrain.sprint.anchor",
      'is required: add the key "anchor"',
    ],
    [
      "broken-pattern.yml",
      30,
      9,
      "releaseTrain.branches.rc",
      'must be a pattern containing "{version}", e.g. "rc-minor-fleet-v{version}", found "rc-minor-fleet"',
    ],
    [
      "broken-duplicate-key.yml",
      10,
      3,
      "roles.engineeringOutputDri",
      'duplicate key "engineeringOutputDri"',
    ],
    ["broken-rituals-file-missing.yml", 29, 14, "ritualsFile", "the rituals file was not found:"],
  ];

  it.each(cases)("%s -> line %i, column %i, %s", async (name, line, column, keyPath, message) => {
    const errors = await errorsOf(name);
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toMatchObject({ file: path.join(FIXTURES, name), line, column, path: keyPath });
    expect(error?.message).toContain(message);
  });

  it("formats an error as file:line:column path: message", () => {
    const text = readFileSync(path.join(FIXTURES, "broken-mode.yml"), "utf8");
    const result = parseConfig(text, "bosun.yml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatConfigError)).toEqual([
      'bosun.yml:27:9 releaseTrain.mode: must be "freeze" or "release-candidate", found "frozen"',
    ]);
    expect(result.errors[0]).toMatchObject({
      found: '"frozen"',
      allowed: '"freeze" or "release-candidate"',
    });
  });

  it("reports all the problems of a file together, in file order", async () => {
    const errors = await errorsOf("broken-multi.yml");
    expect(errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [3, 1, "repos"],
      [7, 10, "repositories[1].kpi"],
      [16, 25, "roles.onCall.handoff.weekday"],
      [23, 5, "productGroups[1].engineeringManager"],
      [28, 9, "releaseTrain.mode"],
      [34, 16, "rituals[0].frequency"],
    ]);
    expect(errors[1]?.message).toBe('must be true or false, found "no"');
  });

  it("reports empty logins and empty values", async () => {
    const errors = await errorsOf("broken-empty-login.yml");
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [10, "roles.headOfProductDesign"],
      [24, "productGroups[1].engineeringManager"],
    ]);
    expect(errors[1]?.message).toContain("must not be empty: a GitHub login");
  });

  it("points errors of a rituals file into that file, naming each ritual by its task", async () => {
    const errors = await errorsOf("broken-rituals-file.yml");
    const file = path.join(FIXTURES, "broken.rituals.yml");
    expect(errors.map((e) => [e.file, e.line, e.column, e.path])).toEqual([
      [file, 9, 14, "[1].startedOn"],
      [file, 10, 14, "[1].frequency"],
      [file, 13, 5, "[1].autoIssue.repo"],
      [file, 21, 11, "[2].autoIssue.repo"],
    ]);
    expect(errors.map((e) => e.message.split(":")[0])).toEqual([
      'ritual "Sprint demo"',
      'ritual "Sprint demo"',
      'ritual "Sprint demo"',
      'ritual "Website check"',
    ]);
  });

  it("reports a missing configuration file at line 1, column 1 with what to do", async () => {
    const result = await loadConfig(fixture("no-such-file.yml"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      file: fixture("no-such-file.yml"),
      line: 1,
      column: 1,
    });
    expect(result.errors[0]?.message).toContain("Copy bosun.example.yml to bosun.yml");
  });

  it("refuses inline rituals together with ritualsFile", () => {
    const text = `${readFileSync(EXAMPLE, "utf8")}rituals: []\n`;
    const result = parseConfig(text, "bosun.yml");
    expect(!result.ok && result.errors.map((e) => [e.path, e.message])).toEqual([
      ["rituals", 'cannot be used together with "ritualsFile": keep one of them'],
    ]);
  });

  it("explains that GitHub authentication is not configured in the file", () => {
    const text = readFileSync(EXAMPLE, "utf8").replace(
      "apiUrl: https://api.github.com",
      "apiUrl: https://api.github.com\n  token: ghp_x",
    );
    const result = parseConfig(text, "bosun.yml");
    expect(!result.ok && result.errors[0]).toMatchObject({
      line: 28,
      column: 3,
      path: "github.token",
    });
    expect(!result.ok && result.errors[0]?.message).toContain("environment variables");
  });

  it("reports an empty file and a file that is not a mapping", () => {
    const empty = parseConfig("", "bosun.yml");
    const list = parseConfig("- a\n- b\n", "bosun.yml");
    expect(!empty.ok && empty.errors[0]?.message).toContain("the file is empty");
    expect(!list.ok && list.errors[0]?.message).toContain("must be a mapping");
  });
});

describe("the real rituals file", () => {
  const shared = existsSync(SHARED_RITUALS);

  it("examples/engineering.rituals.yml loads unchanged", () => {
    const text = readFileSync(path.join(ROOT, "examples/engineering.rituals.yml"), "utf8");
    const result = ritualsFileSchema.safeParse(parseYaml(text));
    expect(result.success).toBe(true);
    expect(result.data?.map((r) => r.frequency)).toContain("Every patch release");
    const oncall = result.data?.find((r) => r.task === "Oncall handoff");
    expect(oncall?.moreInfoUrl).toBeUndefined();
  });

  it.runIf(shared)("the copy in examples/ is byte-identical to the shared fixture", () => {
    expect(readFileSync(path.join(ROOT, "examples/engineering.rituals.yml"))).toEqual(
      readFileSync(SHARED_RITUALS),
    );
  });

  it.runIf(shared)("the shared fixture loads as a ritualsFile", () => {
    const text = readFileSync(EXAMPLE, "utf8").replace(
      "ritualsFile: examples/engineering.rituals.yml",
      `ritualsFile: ${path.relative(ROOT, SHARED_RITUALS)}`,
    );
    const result = parseConfig(text, EXAMPLE);
    if (!result.ok) throw new Error(result.errors.map(formatConfigError).join("\n"));
    expect(result.config.rituals).toHaveLength(20);
  });
});

describe("version patterns", () => {
  it("build and parse back a name", () => {
    expect(formatPattern("rc-minor-fleet-v{version}", "4.62.0")).toBe("rc-minor-fleet-v4.62.0");
    expect(parsePattern("rc-minor-fleet-v{version}", "rc-minor-fleet-v4.62.0")).toBe("4.62.0");
    expect(parsePattern("{version}-tentative", "4.62.0-tentative")).toBe("4.62.0");
    expect(parsePattern("{version}-tentative", "4.62.0")).toBeUndefined();
  });
});

describe("hostile or mistaken configuration text is a file:line error", () => {
  const example = readFileSync(EXAMPLE, "utf8");

  it("a YAML alias bomb (billion laughs) is refused with file:line, not a stack trace", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const result = parseConfig(`${example}\nbomb:\n  ${levels.join("\n  ")}\n`, "bosun.yml", {
      env: {},
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [first] = result.errors;
    expect(formatConfigError(first!)).toMatch(/^bosun\.yml:\d+:\d+ .*alias/i);
  });

  it("a holiday listed twice is a config error at its line", () => {
    const HOLIDAY = '    - { date: "2026-12-25", name: "Christmas Day" }\n';
    expect(example).toContain(HOLIDAY);
    const text = example.replace(HOLIDAY, `${HOLIDAY}    - "2026-12-25"\n`);
    const result = parseConfig(text, "bosun.yml", { env: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const line = text.split("\n").indexOf('    - "2026-12-25"') + 1;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: "bosun.yml", line });
    expect(result.errors[0]?.message).toMatch(/2026-12-25.*(twice|already|duplicate)/);
  });
});

describe("an unreasonable number of rituals", () => {
  it("R47: 20,000 daily auto-issue rituals are refused with the limit", () => {
    const one = (i: number) =>
      `- task: "Daily ${i}"\n  startedOn: "2026-01-01"\n  frequency: "Daily"\n  description: "d"\n  dri: "lukeheath"\n  autoIssue: { labels: ["P2"], repo: "fleet" }\n`;
    const rituals = Array.from({ length: 20_000 }, (_, i) => one(i)).join("");
    const result = parseConfig(readFileSync(EXAMPLE, "utf8"), EXAMPLE, {
      env: {},
      readFile: () => rituals,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatConfigError).join("\n")).toMatch(
      /at most 1000 rituals, found 20000/,
    );
  }, 60_000);
});
