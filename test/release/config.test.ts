import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatConfigError, loadConfig } from "../../src/handbook/load.js";
import { EXAMPLE, ROOT } from "../support/app.js";

const FIXTURES = path.join(ROOT, "test/fixtures/config");

async function errorsOf(name: string) {
  const result = await loadConfig(path.join(FIXTURES, name));
  if (result.ok) throw new Error(`${name} loaded without errors`);
  return result.errors.map((e) => formatConfigError({ ...e, file: name }));
}

describe("release train and deploy guard configuration", () => {
  it("the example documents deployGuard and the merge gate with the handbook's defaults", async () => {
    const result = await loadConfig(EXAMPLE, { env: {} });
    if (!result.ok) throw new Error(result.errors.map(formatConfigError).join("\n"));
    expect(result.config.deployGuard).toEqual({
      environments: [
        {
          name: "dogfood",
          noDeployHours: { start: "07:00", end: "17:00" },
          noDeployDays: ["monday", "tuesday", "wednesday", "thursday", "friday"],
          neverOlder: true,
        },
      ],
      branches: ["main", "master", "develop", "latest", "rc-minor-*", "patch-*"],
    });
    expect(result.config.releaseTrain.mergeGate).toEqual({
      context: "bosun/merge-gate",
      docsPaths: ["docs/**", "handbook/**", "articles/**", "website/**", "**/*.md"],
      nonCodePaths: [".github/**"],
      approvalsOnHeadOnly: false,
    });
  });

  it("R27: defaults apply when deployGuard is left out", async () => {
    const result = await loadConfig(path.join(FIXTURES, "valid-minimal.yml"));
    if (!result.ok) throw new Error(result.errors.map(formatConfigError).join("\n"));
    expect(result.config.deployGuard.environments[0]).toMatchObject({
      name: "dogfood",
      noDeployHours: { start: "07:00", end: "17:00" },
    });
  });

  it("R27: a no-deploy window that ends before it starts is refused where it is written", async () => {
    expect(await errorsOf("broken-deploy-guard-hours.yml")).toEqual([
      'broken-deploy-guard-hours.yml:32:22 deployGuard.environments[0].noDeployHours.end: must end after they start (start "17:00", end "07:00")',
    ]);
  });

  it("an environment name and an unknown key are each reported with file:line:column", async () => {
    const errors = await errorsOf("broken-deploy-guard-env.yml");
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBe(
      'broken-deploy-guard-env.yml:31:13 deployGuard.environments[0].name: must be a short name in lower case, e.g. "dogfood", found "Dog Food"',
    );
    expect(errors[1]).toMatch(
      /^broken-deploy-guard-env\.yml:33:3 deployGuard\.branchs: .*branches/,
    );
  });

  it("R11: a deep freeze that would begin before the freeze is refused", async () => {
    expect(await errorsOf("broken-deep-freeze.yml")).toEqual([
      "broken-deep-freeze.yml:30:20 releaseTrain.deepFreezeHours: must be at most 144: the freeze (tuesday 09:00) begins 144 hours before the release (monday 09:00), and the deep freeze cannot begin before it, found 160",
    ]);
  });
});
