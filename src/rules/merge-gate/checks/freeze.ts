// R9: main is frozen from the Tuesday before the release: feature work waits unless excepted
// (R13); bug fixes and docs-only changes (R10) were let through before.

import { formatWhen } from "../../../time/format.js";
import { exceptionText } from "../approvals.js";
import type { GateDefault } from "../context.js";
import { logins } from "../text.js";

export const freeze: GateDefault = {
  name: "freeze",
  rules: ["R9", "R10"],
  why: "the verdict when no check decided: feature work into frozen main, not excepted (R13) and not partly merged (R12)",
  check(pull, ctx) {
    const e = ctx.approval();
    const filesNote = pull.files === null ? " (changed files not synced yet)" : "";
    return ctx.verdict(
      "failure",
      "R9",
      `${ctx.main} is frozen${ctx.version} until ${ctx.releaseWhen()}; ${exceptionText("R13", e)}`,
      `main is frozen since ${formatWhen(ctx.input.phase.since)}: no feature work merges, bug fixes and docs-only changes (R10) do${filesNote}; ${e.problem ?? `approvals missing from ${logins(e.missing)} (engineering manager, QA lead, release DRI)`}`,
    );
  },
};
