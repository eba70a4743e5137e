import { describe, expect, it } from "vitest";
import { describeRules, RULES } from "../rules/index.js";
import { configPaths, ownConfigPaths } from "../rules/rule.js";
import { buildServer } from "../server/app.js";
import { assembleSchema, configSchema } from "./assemble.js";
import { allowedKeys } from "./zod-issues.js";

const resolves = (path: string) => {
  const parts = path.split(".");
  return allowedKeys(configSchema, parts.slice(0, -1)).includes(parts.at(-1)!);
};

describe("the configuration schema assembled from the rule registry", () => {
  it("every rule's configuration paths resolve in the assembled schema", () => {
    for (const rule of RULES) {
      expect(configPaths(rule).length, rule.name).toBeGreaterThan(0);
      for (const path of configPaths(rule))
        expect(resolves(path), `${rule.name}: ${path}`).toBe(true);
    }
  });

  it("keeps bosun.yml's key order: shared sections first, then each rule's keys in registry order", () => {
    expect(allowedKeys(configSchema, [])).toEqual([
      "organisation",
      "repositories",
      "github",
      "calendar",
      "roles",
      "productGroups",
      "labels",
      "releaseTrain",
      "rituals",
      "ritualsFile",
      "kpi",
      "deployGuard",
      // Shared sections added after the rules (schema.ts `trailingShape`): older messages keep their order.
      "slack",
      "boards",
    ]);
    expect(allowedKeys(configSchema, ["releaseTrain"]).slice(-4)).toEqual([
      "mergeGate",
      "qaDeployTarget",
      "qaIssueTitle",
      "announcements",
    ]);
  });

  it("a key two rules claim is refused when the schema is assembled", () => {
    const [a] = RULES.filter((r) => ownConfigPaths(r).includes("kpi"));
    expect(() => assembleSchema([...RULES, { ...a!, name: "copy" }])).toThrow(/kpi is taken/);
  });

  it("/api/rules lists every rule, the deploy guard and the label vocabulary included, with its paths", async () => {
    const app = await buildServer({
      data: {} as never,
      summary: () => ({}) as never,
      rules: describeRules(),
    });
    const rules = (await app.inject({ url: "/api/rules" })).json() as ReturnType<
      typeof describeRules
    >;
    expect(rules.map((r) => r.name)).toEqual(RULES.map((r) => r.name));
    expect(rules.find((r) => r.name === "deploy-guard")).toMatchObject({
      kind: "guard",
      configPaths: ["deployGuard", "calendar", "releaseTrain"],
    });
    expect(rules.find((r) => r.name === "label-vocabulary")?.configPaths).toEqual([
      "labels",
      "productGroups",
    ]);
    expect(rules.find((r) => r.name === "merge-gate")?.configPaths[0]).toBe(
      "releaseTrain.mergeGate",
    );
    for (const r of rules) for (const p of r.configPaths) expect(resolves(p), p).toBe(true);
    await app.close();
  });
});
