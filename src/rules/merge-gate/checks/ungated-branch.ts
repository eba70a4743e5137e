// R9/R30: only main (and, in release-candidate mode, RC branches) is gated by the release
// train; any other base passes, patch branches citing R30.
import type { GateCheck } from "../context.js";

export const ungatedBranch: GateCheck = {
  name: "ungated-branch",
  rules: ["R9", "R30"],
  why: "after R6/R7 (a bug fix's base) and R33, any other base than main or an RC has nothing left to check",
  check(_pull, ctx) {
    if (ctx.target !== "other") return undefined;
    const mode = ctx.config.releaseTrain.mode;
    return ctx.verdict(
      "success",
      ctx.isPatch ? "R30" : "R9",
      `${ctx.base} is not gated by the release train`,
      `only ${ctx.main}${mode === "release-candidate" ? " and RC branches are" : " is"} gated`,
    );
  },
};
