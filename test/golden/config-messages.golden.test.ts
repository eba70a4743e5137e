// Every broken configuration under test/fixtures/config/ gives byte-identical messages before
// and after the configuration schema is assembled from the rule registry.
// Regenerate only on purpose: UPDATE_GOLDEN=1 npx vitest run test/golden
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatConfigError, loadConfig } from "../../src/handbook/load.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/config");
const GOLDEN = path.join(import.meta.dirname, "config-messages.golden.txt");

describe("golden configuration messages", () => {
  it("every fixture under test/fixtures/config/ gives the committed messages", async () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".yml") && !f.endsWith(".rituals.yml"))
      .sort();
    const out: string[] = [];
    for (const f of files) {
      // Relative, as a user names the file: messages carry the path as given.
      const shown = path.relative(process.cwd(), path.join(FIXTURES, f));
      const result = await loadConfig(shown, { env: {} });
      out.push(`## ${f}: ${result.ok ? "ok" : `${result.errors.length} problem(s)`}`);
      if (!result.ok) {
        for (const e of result.errors) {
          out.push(formatConfigError(e).replaceAll(path.resolve(FIXTURES), "<fixtures>"));
          out.push(`  found=${e.found ?? "-"} allowed=${e.allowed ?? "-"}`);
        }
        if (result.partial) {
          const rules = result.partial.skippedRules.map((r) => r.rule).join(", ") || "none";
          out.push(`  partial: skipped rituals ${result.partial.skipped.length}; rules ${rules}`);
        }
      }
    }
    const text = `${out.join("\n")}\n`;
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
    expect(files.length).toBeGreaterThan(20);
    expect(text).toBe(readFileSync(GOLDEN, "utf8"));
  });
});
