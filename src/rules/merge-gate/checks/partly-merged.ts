// R12: feature work partly merged into main when the freeze began is flagged for revert.
import { Temporal } from "temporal-polyfill";
import { formatWhen } from "../../../time/format.js";
import type { PullSnapshot } from "../../release-train/snapshot.js";
import { exceptionText } from "../approvals.js";
import type { GateCheck, GateContext } from "../context.js";
import { mergedReferencing } from "../references.js";
import { logins } from "../text.js";

export const partlyMerged: GateCheck = {
  name: "partly-merged",
  rules: ["R12"],
  why: "frozen feature work without an exception (R13) fails; when parts of it already merged, R12's revert is the more useful failure than R9's wait",
  check(pull, ctx) {
    if (ctx.target !== "main-frozen") return undefined;
    const partly = partsMerged(pull, ctx);
    if (partly.length === 0) return undefined;
    const { input } = ctx;
    for (const p of partly) {
      for (const m of p.merged) {
        ctx.notes.push({
          target: `${input.repo}#${m.number}`,
          message: `R12: flag for revert: merged ${m.mergedAt} as part of ${ctx.ref(p.issue)}, whose work was still open (PR #${pull.number}) when the freeze began`,
        });
      }
    }
    const e = ctx.approval();
    const list = partly.map(
      (p) => `${ctx.ref(p.issue)} (#${p.merged.map((m) => m.number).join(", #")})`,
    );
    return ctx.verdict(
      "failure",
      "R12",
      `${list.join("; ")} partly merged before the freeze: revert, or ${exceptionText("R13", e)}`,
      `main is frozen${ctx.version} since ${formatWhen(input.phase.since)} and this feature work was partly merged before the freeze, so the merged part must be reverted (R12); ${e.problem ?? `approvals missing from ${logins(e.missing)}`}`,
    );
  },
};

/** The PR's feature issues that already had PRs merged into main before the freeze. */
function partsMerged(pull: PullSnapshot, ctx: GateContext) {
  const { input } = ctx;
  const from = input.calendar.release(input.phase.releaseIndex - 1).toInstant();
  const freezeStart = input.calendar.freeze(input.phase.releaseIndex).toInstant();
  return ctx.cls.issues
    .filter((i) => i.state !== "closed")
    .map((issue) => ({
      issue,
      merged: mergedReferencing(input.merged, issue, input.repo, ctx.main).filter((m) => {
        const at = Temporal.Instant.from(m.mergedAt);
        return (
          m.number !== pull.number &&
          Temporal.Instant.compare(at, from) >= 0 &&
          Temporal.Instant.compare(at, freezeStart) < 0
        );
      }),
    }))
    .filter((p) => p.merged.length > 0);
}
