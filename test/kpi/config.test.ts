import path from "node:path";
import { describe, expect, it } from "vitest";
import { type ConfigError, formatConfigError, loadConfig } from "../../src/handbook/load.js";
import { kpiSettings } from "../../src/rules/kpi/index.js";
import { exampleConfig, ROOT } from "../support/app.js";

const FIXTURES = path.join(ROOT, "test/fixtures/config");

async function errorsOf(name: string): Promise<ConfigError[]> {
  const result = await loadConfig(path.join(FIXTURES, name), { env: {} });
  if (result.ok) throw new Error(`${name} loaded without errors`);
  return result.errors;
}

describe("the kpi configuration section", () => {
  it("R2: defaults to the sheet's two groups, Monday 09:00 weeks and no posting", async () => {
    const config = await exampleConfig();
    expect(config.kpi).toEqual({
      groups: ["#g-endpoint-ops", "#g-mdm"],
      bots: [],
      week: { weekday: "monday", time: "09:00" },
      post: { to: "off", labels: [] },
    });
    const s = kpiSettings(config);
    expect(s.repositories).toEqual(["fleetdm/fleet"]);
    expect(s.excludedPrLabels).toEqual(["#handbook", "~ceo", ":improve documentation"]);
    expect(s.maintainers).toContain("sharon-fdm");
  });

  it("R2: reads every key", async () => {
    const result = await loadConfig(path.join(FIXTURES, "valid-kpi.yml"), { env: {} });
    if (!result.ok) throw new Error(result.errors.map(formatConfigError).join("\n"));
    expect(result.config.kpi).toEqual({
      groups: ["#g-mdm", "#g-endpoint-ops"],
      bots: ["renovate", "mend-bolt[bot]"],
      maintainers: ["lukeheath"],
      week: { weekday: "friday", time: "17:00" },
      post: { to: "issue", repository: "confidential", labels: [":kpi"] },
    });
    const s = kpiSettings(result.config);
    expect(s.columnGroups.map((g) => g.name)).toEqual(["MDM", "Endpoint ops"]);
    expect(s.botLogins).toEqual(["renovate", "mend-bolt[bot]"]);
  });

  it("R2: reports every problem with file, line, column and key path", async () => {
    const errors = await errorsOf("broken-kpi.yml");
    expect(errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [30, 11, "kpi.groups"],
      [31, 27, "kpi.bots[1]"],
      [33, 14, "kpi.week.weekday"],
      [34, 11, "kpi.week.time"],
      [36, 9, "kpi.post.to"],
      [37, 17, "kpi.post.repository"],
      [38, 3, "kpi.colums"],
    ]);
    const message = (p: string) => errors.find((e) => e.path === p)?.message;
    expect(message("kpi.post.to")).toBe('must be "off", "issue" or "comment", found "slack"');
    expect(message("kpi.post.repository")).toBe(
      'must be one of the configured repositories ("fleet" or "confidential"), found "website"',
    );
    expect(message("kpi.bots[1]")).toContain('found "not a login"');
    expect(message("kpi.colums")).toContain('unknown key "colums"');
  });

  it("R2: posting as a comment needs the issue", async () => {
    const errors = await errorsOf("broken-kpi-comment.yml");
    expect(errors).toHaveLength(1);
    expect(formatConfigError(errors[0]!)).toBe(
      `${path.join(FIXTURES, "broken-kpi-comment.yml")}:31:5 kpi.post.issue: is required with to: comment: the number of the issue to comment on`,
    );
  });
});
