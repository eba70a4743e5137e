// R15/R16: the RC branch takes unreleased bug fixes only; anything else waits for the R16
// exception.
import { exceptionText } from "../approvals.js";
import type { GateCheck } from "../context.js";
import { logins } from "../text.js";

export const rcBranch: GateCheck = {
  name: "rc-branch",
  rules: ["R15", "R16"],
  why: "what reaches it is neither an unreleased bug fix (R15) nor excepted (R16), so the RC refuses it",
  check(_pull, ctx) {
    if (ctx.target !== "rc") return undefined;
    const { cls, main, base } = ctx;
    const e = ctx.approval();
    const what = cls.released
      ? `${ctx.fixFor.trim() || "this"} is a released bug (R7: into ${main})`
      : cls.docsOnly
        ? "docs-only change"
        : "feature work";
    return ctx.verdict(
      "failure",
      "R15",
      `${what}: ${base} takes unreleased bug fixes only; ${exceptionText("R16", e)}`,
      `the RC ${base} takes only unreleased bug fixes; ${e.problem ?? `approvals missing from ${logins(e.missing)} (engineering manager, QA lead, release DRI)`}`,
    );
  },
};
