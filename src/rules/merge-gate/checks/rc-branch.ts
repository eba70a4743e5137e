// R15/R16: the RC branch takes unreleased bug fixes by right; a released bug fix waits for the
// EM's and QA lead's approval (R15), anything else for the R16 exception.
import { exceptionText } from "../approvals.js";
import type { GateCheck } from "../context.js";
import { logins } from "../text.js";

export const rcBranch: GateCheck = {
  name: "rc-branch",
  rules: ["R15", "R16"],
  why: "what reaches it is neither an unreleased bug fix (R15) nor approved (R15, R16), so the RC refuses it",
  check(_pull, ctx) {
    if (ctx.target !== "rc") return undefined;
    const { cls, main, base } = ctx;
    if (cls.release === "released") {
      const e = ctx.approval("em-qa");
      return ctx.verdict(
        "failure",
        "R15",
        `${ctx.fixFor.trim() || "this"} is a released bug (R7: into ${main}): the RC takes it only with EM and QA approval; ${exceptionText("R15", e)}`,
        `the RC ${base} takes unreleased bug fixes, and released bug fixes with EM and QA approval; ${e.problem ?? `approvals missing from ${logins(e.missing)} (engineering manager, QA lead)`}`,
      );
    }
    const e = ctx.approval();
    const what = cls.docsOnly ? "docs-only change" : "feature work";
    return ctx.verdict(
      "failure",
      "R15",
      `${what}: ${base} takes unreleased bug fixes only; ${exceptionText("R16", e)}`,
      `the RC ${base} takes only unreleased bug fixes; ${e.problem ?? `approvals missing from ${logins(e.missing)} (engineering manager, QA lead, release DRI)`}`,
    );
  },
};
