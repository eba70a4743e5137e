// R11: in the final hours before the release only ~release blocker and ~unreleased bug fixes
// merge into main.
import { exceptionText } from "../approvals.js";
import type { GateCheck } from "../context.js";
import { logins } from "../text.js";

export const deepFreeze: GateCheck = {
  name: "deep-freeze",
  rules: ["R11"],
  why: "what reaches it in the deep freeze is neither a blocker or unreleased bug fix nor excepted (R13), so it waits",
  check(_pull, ctx) {
    if (ctx.target !== "main-deep-frozen") return undefined;
    const e = ctx.approval();
    const labels = ctx.config.labels;
    return ctx.verdict(
      "failure",
      "R11",
      `deep freeze${ctx.version} until ${ctx.releaseWhen()}: only ${labels.releaseBlocker} or ${labels.unreleasedBug} fixes; ${exceptionText("R13", e)}`,
      `the final ${ctx.config.releaseTrain.deepFreezeHours} hours before the release are a deep freeze; ${e.problem ?? `approvals missing from ${logins(e.missing)}`}`,
    );
  },
};
