// R15: while an RC is open, unreleased bug fixes merge into it as cherry-picks of a fix already
// merged into main.
import { carriesLabel } from "../../../handbook/labels.js";
import type { GateCheck } from "../context.js";
import { mergedReferencing } from "../references.js";

export const rcCherryPick: GateCheck = {
  name: "rc-cherry-pick",
  rules: ["R15"],
  why: "the RC takes unreleased bug fixes by right, so they are decided before any exception is asked for",
  check(_pull, ctx) {
    const { cls, config, main, base, input } = ctx;
    if (ctx.target !== "rc" || cls.release !== "unreleased") return undefined;
    const issue = ctx.bugIssues.find((i) => carriesLabel(config.labels, "unreleasedBug", i.labels));
    const onMain = issue ? mergedReferencing(input.merged, issue, input.repo, main) : [];
    if (issue && onMain.length === 0) {
      return ctx.verdict(
        "failure",
        "R15",
        `merge the fix for ${ctx.ref(issue)} into ${main} first, then cherry-pick it into ${base}`,
        `no merged PR into ${main} references ${ctx.ref(issue)}; unreleased bug fixes reach the RC as cherry-picks of a fix already on ${main}`,
      );
    }
    return ctx.verdict(
      "success",
      "R15",
      `unreleased bug fix${ctx.fixFor} cherry-picked into ${base}`,
      `unreleased bug fixes merge into the RC${onMain.length ? ` (on ${main} as #${onMain.map((m) => m.number).join(", #")})` : ""}`,
    );
  },
};
