// `expect(ruleOutput).toPlan([...])`: compares a rule's effects as readable lines, so a failure
// reads like a diff of what Bosun would do.
import { expect } from "vitest";
import { describeEffect } from "../../src/effects/effects.js";
import type { PlannedEffect } from "../../src/effects/plan.js";

expect.extend({
  toPlan(received: { effects: PlannedEffect[] }, expected: string[]) {
    const actual = received.effects.map((e) => describeEffect(e.effect));
    const pass = this.equals(actual, expected);
    return {
      pass,
      message: () => `expected the plan ${pass ? "not " : ""}to be the effects below`,
      actual,
      expected,
    };
  },
});

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must match vitest's own declaration
  interface Matchers<T = any> {
    toPlan(expected: string[]): T;
  }
}
