import { describe, expect, it } from "vitest";
import { effectTarget } from "../../src/effects/effects.js";
import {
  assemblePlan,
  idempotencyKey,
  parseIdempotencyKey,
  planned,
} from "../../src/effects/plan.js";

describe("idempotency keys", () => {
  it.each([
    {
      rule: "R14",
      type: "createRef" as const,
      target: "fleetdm/fleet@rc-minor-fleet-v4.62.0",
      discriminator: "4.62.0",
    },
    {
      rule: "labels",
      type: "createLabel" as const,
      target: "fleetdm/fleet",
      discriminator: "~released bug",
    },
    {
      rule: "R47",
      type: "notify" as const,
      target: "notify:#help-engineering",
      discriminator: "2026-12-01T09:00:00-08:00[America/Los_Angeles]",
    },
    { rule: "R9", type: "setCommitStatus" as const, target: "o/r@abc", discriminator: "100%:done" },
  ])("round-trips $rule $type on $target", (parts) => {
    const key = idempotencyKey(parts);
    expect(parseIdempotencyKey(key)).toEqual(parts);
  });

  it("is readable when nothing needs escaping", () => {
    expect(
      idempotencyKey({
        rule: "R14",
        type: "createRef",
        target: "fleetdm/fleet@rc",
        discriminator: "4.62.0",
      }),
    ).toBe("R14:createRef:fleetdm/fleet@rc:4.62.0");
  });

  it("rejects strings that are not keys", () => {
    expect(() => parseIdempotencyKey("R14:createRef")).toThrow(/not a Bosun idempotency key/);
    expect(() => parseIdempotencyKey("a:b::d")).toThrow(/not a Bosun idempotency key/);
  });

  it("names an intention, not its wording: a reworded reason keeps the key", () => {
    const effect = { type: "addLabels" as const, repo: "o/r", number: 7, labels: ["bug"] };
    expect(planned("R18", effect, "bug", "first wording").key).toBe(
      planned("R18", effect, "bug", "second wording").key,
    );
  });
});

describe("effect targets", () => {
  it("uses the forms bosun why accepts", () => {
    expect(effectTarget({ type: "comment", repo: "o/r", number: 3, body: "hi" })).toBe("o/r#3");
    expect(
      effectTarget({ type: "createRef", repo: "o/r", ref: "refs/heads/rc-1", sha: "abc" }),
    ).toBe("o/r@rc-1");
    expect(effectTarget({ type: "createLabel", repo: "o/r", name: "bug", color: "fff" })).toBe(
      "o/r",
    );
  });
});

describe("assemblePlan", () => {
  it("collapses effects that share a key into the first", () => {
    const a = planned(
      "R18",
      { type: "addLabels", repo: "o/r", number: 1, labels: ["bug"] },
      "bug",
      "first",
    );
    const b = planned(
      "R18",
      { type: "addLabels", repo: "o/r", number: 1, labels: ["bug"] },
      "bug",
      "second",
    );
    const plan = assemblePlan("p1", "2026-01-01T00:00:00Z", [
      { effects: [a] },
      { effects: [b], observations: [] },
    ]);
    expect(plan.effects).toHaveLength(1);
    expect(plan.effects[0]!.reason).toBe("first");
  });
});
