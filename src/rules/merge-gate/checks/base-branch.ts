// R6/R7: bug fixes go into main (an unreleased fix reaches the RC by a cherry-pick PR, R15;
// patch branches are R30's).
import type { GateCheck } from "../context.js";

export const baseBranch: GateCheck = {
  name: "base-branch",
  rules: ["R6", "R7"],
  why: "where a bug fix goes is R6/R7's whatever the repository ships from, so it comes before R33's pass",
  check(_pull, ctx) {
    const { cls, main, base } = ctx;
    if (!cls.bug || ctx.target !== "other" || ctx.isPatch) return undefined;
    const train = ctx.config.releaseTrain;
    const latest = ctx.input.versions.latestRelease;
    const rule = cls.released ? "R7" : "R6";
    return ctx.verdict(
      "failure",
      rule,
      `a fix for ${ctx.bugKind}${ctx.fixFor} goes into ${main}, not ${base}`,
      `${cls.released ? `released bugs branch off the latest release tag${latest ? ` (${train.tag.replaceAll("{version}", latest)})` : ""}` : "unreleased bugs branch off main"} and the PR goes into ${main}`,
    );
  },
};
