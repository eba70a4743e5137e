// R12: "If there is partially merged feature work when freeze begins [the newer handbook: when
// the release candidate is created], the previously merged code must be reverted." Freeze mode:
// the rest of the work into frozen main fails and its merged parts are flagged for revert. In
// release-candidate mode main stays open (R14) and the rest may merge into it, but the parts
// merged before the RC cut are in the RC: they are flagged for revert there.
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
    const { input } = ctx;
    const freezeStart = input.calendar.freeze(input.phase.releaseIndex);
    const partly = partsMerged(
      pull,
      ctx,
      input.calendar.release(input.phase.releaseIndex - 1),
      freezeStart,
    );
    if (partly.length === 0) return undefined;
    flagForRevert(pull, ctx, partly, "when the freeze began");
    const e = ctx.approval();
    return ctx.verdict(
      "failure",
      "R12",
      `${partList(ctx, partly)} partly merged before the freeze: revert, or ${exceptionText("R13", e)}`,
      `main is frozen${ctx.version} since ${formatWhen(input.phase.since)} and this feature work was partly merged before the freeze, so the merged part must be reverted (R12); ${e.problem ?? `approvals missing from ${logins(e.missing)}`}`,
    );
  },
};

export const partlyMergedAtRcCut: GateCheck = {
  name: "partly-merged-at-rc-cut",
  rules: ["R12"],
  why: "main stays open in release-candidate mode (R14), so feature work partly merged when the RC was cut is flagged before main's pass lets the rest in",
  check(pull, ctx) {
    const { input, cls } = ctx;
    if (ctx.target !== "main-open" || input.phase.phase !== "rc") return undefined;
    if (cls.bug || cls.docsOnly || cls.nonCodeOnly) return undefined;
    const rc = input.versions.openRcBranches[0];
    if (!rc) return undefined;
    const k = input.phase.releaseIndex;
    const cut = input.calendar.rcCut(k);
    const partly = partsMerged(pull, ctx, input.calendar.rcCut(k - 1), cut);
    if (partly.length === 0) return undefined;
    flagForRevert(pull, ctx, partly, `when the RC ${rc} was cut (${formatWhen(cut)})`, rc);
    return ctx.verdict(
      "success",
      "R12",
      `${partList(ctx, partly)} partly merged when the RC was cut ${formatWhen(cut)}: revert it on ${rc}; ${ctx.main} is open`,
      `the RC ${rc}${ctx.version} was cut from ${ctx.main} at ${formatWhen(cut)} while this feature work was partly merged, so the merged part must be reverted on ${rc} (R12), unless the R16 exception brings the rest into it; in release-candidate mode ${ctx.main} stays open (R14), so this PR may merge there`,
    );
  },
};

type Parts = ReturnType<typeof partsMerged>;

/** "#40 (#31, #33)": each issue with its merged parts. */
function partList(ctx: GateContext, partly: Parts): string {
  return partly
    .map((p) => `${ctx.ref(p.issue)} (#${p.merged.map((m) => m.number).join(", #")})`)
    .join("; ");
}

/** A note on each merged part: revert it (on `branch`, when not main). */
function flagForRevert(
  pull: PullSnapshot,
  ctx: GateContext,
  partly: Parts,
  when: string,
  branch?: string,
): void {
  for (const p of partly) {
    for (const m of p.merged) {
      ctx.notes.push({
        target: `${ctx.input.repo}#${m.number}`,
        message: `R12: flag for revert${branch ? ` on ${branch}` : ""}: merged ${m.mergedAt} as part of ${ctx.ref(p.issue)}, whose work was still open (PR #${pull.number}) ${when}`,
      });
    }
  }
}

/** The PR's open feature issues that had other PRs merged into main in [from, until). */
function partsMerged(
  pull: PullSnapshot,
  ctx: GateContext,
  from: Temporal.ZonedDateTime,
  until: Temporal.ZonedDateTime,
) {
  const { input } = ctx;
  return ctx.cls.issues
    .filter((i) => i.state !== "closed")
    .map((issue) => ({
      issue,
      merged: mergedReferencing(input.merged, issue, input.repo, ctx.main).filter((m) => {
        const at = Temporal.Instant.from(m.mergedAt);
        return (
          m.number !== pull.number &&
          Temporal.Instant.compare(at, from.toInstant()) >= 0 &&
          Temporal.Instant.compare(at, until.toInstant()) < 0
        );
      }),
    }))
    .filter((p) => p.merged.length > 0);
}
