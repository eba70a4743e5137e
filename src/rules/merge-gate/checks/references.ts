// R8: a bug-fix PR names its issue, without a keyword that would close it on merge.
import type { GateCheck } from "../context.js";
import { closingReferences, issueReferences } from "../references.js";

export const references: GateCheck = {
  name: "references",
  rules: ["R8"],
  why: "a bug fix names its issue whatever its base or the train's state, and that issue is what every later check classifies it by",
  check(pull, ctx) {
    if (!ctx.cls.bug) return undefined;
    const { verdict } = ctx;
    const closing = closingReferences(pull.body, ctx.input.repo);
    if (closing.length > 0) {
      const first = closing[0]!;
      const plain = first.text.slice(first.keyword!.length).replace(/^:?\s*/, "");
      return verdict(
        "failure",
        "R8",
        `remove the auto-closing keyword in "${first.text}"; write "For ${plain}" so the issue stays open`,
        `the body uses the auto-closing keyword "${first.keyword}" (${closing.map((c) => c.text).join(", ")}); bug issues are closed after QA (R6) or after the release (R7), not by the merge`,
      );
    }
    const named = issueReferences(pull.body, ctx.input.repo).length > 0;
    if (!named || ctx.cls.issues.length === 0) {
      return verdict(
        "failure",
        "R8",
        named
          ? "the issue this bug fix references is not a known issue; reference it as #N in the description"
          : "a bug-fix PR references its issue (#N) in the description",
        named
          ? "the description references only pull requests or issues Bosun has not seen"
          : "the description references no issue",
      );
    }
    return undefined;
  },
};
