// The merge gate's order: the names in the order the handbook gives, each with its rules and
// the reason for its position.
import { describe, expect, it } from "vitest";
import { mergeGate } from "../index.js";
import { GATE_CHECKS, GATE_DEFAULT } from "./index.js";

const ALL = [...GATE_CHECKS, GATE_DEFAULT];

describe("merge gate checks", () => {
  it("run in the documented order, the freeze deciding when none did", () => {
    expect(GATE_CHECKS.map((c) => c.name)).toEqual([
      "references",
      "base-branch",
      "released-from-main",
      "rc-cherry-pick",
      "ungated-branch",
      "partly-merged-at-rc-cut",
      "allowed-into-main",
      "exceptions",
      "manager-confirmation",
      "rc-branch",
      "deep-freeze",
      "partly-merged",
    ]);
    expect(GATE_DEFAULT.name).toBe("freeze");
  });

  it("each names its handbook rules and says on one line why it sits where it does", () => {
    for (const c of ALL) {
      expect(c.rules.length, c.name).toBeGreaterThan(0);
      for (const rule of c.rules) expect(rule, c.name).toMatch(/^R\d+$/);
      expect(c.why.trim().length, c.name).toBeGreaterThan(0);
      expect(c.why, c.name).not.toContain("\n");
    }
    expect(new Set(ALL.map((c) => c.name)).size).toBe(ALL.length);
  });

  it("every rule the merge gate declares is applied by a check", () => {
    const applied = new Set(ALL.flatMap((c) => c.rules));
    expect(mergeGate.ids.filter((id) => !applied.has(id))).toEqual([]);
  });
});
