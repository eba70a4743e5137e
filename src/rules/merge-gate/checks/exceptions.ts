// R13/R15/R16: approvals that let in what would be refused. The engineering manager and QA lead
// of the PR's product group and the release ritual DRI all approve feature work into the
// freeze, the deep freeze or the RC (R13, R16); a released bug fix into the RC needs the
// engineering manager's and QA lead's approval only (R15: "no additional feature work or
// released bug fixes are merged without EM and QA approval").

import type { GateCheck } from "../context.js";
import { logins } from "../text.js";

export const exceptions: GateCheck = {
  name: "exceptions",
  rules: ["R13", "R15", "R16"],
  why: "an exception lifts a refusal, so it comes after everything that passes by right and before every refusal",
  check(_pull, ctx) {
    const { target, cls } = ctx;
    if (target !== "rc" && target !== "main-deep-frozen" && target !== "main-frozen") {
      return undefined;
    }
    if (target === "rc" && cls.release === "released") {
      const e = ctx.approval("em-qa");
      if (!e.approved) return undefined;
      return ctx.verdict(
        "success",
        "R15",
        `released bug fix${ctx.fixFor} into ${ctx.base} approved by ${logins(e.by)} (EM and QA)`,
        `the RC takes released bug fixes with EM and QA approval: the engineering manager and QA lead of ${e.group!.name} approved`,
      );
    }
    const e = ctx.approval();
    if (!e.approved) return undefined;
    const group = e.group!.name;
    if (target === "rc") {
      return ctx.verdict(
        "success",
        "R16",
        `feature merge exception into ${ctx.base} approved by ${logins(e.by)}`,
        `the engineering manager and QA lead of ${group} and the release DRI approved`,
      );
    }
    if (target === "main-deep-frozen") {
      return ctx.verdict(
        "success",
        "R13",
        `deep-freeze exception approved by ${logins(e.by)}`,
        `deep freeze (R11), but the engineering manager and QA lead of ${group} and the release DRI approved`,
      );
    }
    return ctx.verdict(
      "success",
      "R13",
      `freeze exception approved by ${logins(e.by)}`,
      `main is frozen (R9), but the engineering manager and QA lead of ${group} and the release DRI approved`,
    );
  },
};
