// R6/R7, R9-R11, R14: what merges into main now without an exception. Main is open before the
// freeze and always in release-candidate mode (R14); in the freeze bug fixes (R9) and docs-only
// changes (R10) still merge; in the deep freeze only release blockers and unreleased bug fixes
// do (R11).
import { formatWhen } from "../../../time/format.js";
import type { PullSnapshot } from "../../release-train/snapshot.js";
import type { GateCheck, GateContext, Verdict } from "../context.js";
import { releaseBaseText } from "./base-branch.js";

export const allowedIntoMain: GateCheck = {
  name: "allowed-into-main",
  rules: ["R6", "R7", "R9", "R10", "R11", "R14"],
  why: "what the freeze and deep freeze let through needs no exception, so it passes before R13 is asked",
  check(pull, ctx) {
    return mayMerge(ctx) ? successForMain(pull, ctx) : undefined;
  },
};

function mayMerge({ target, cls }: GateContext): boolean {
  switch (target) {
    case "main-open":
      return true;
    case "main-deep-frozen":
      return cls.blocker || (cls.unreleased && !cls.released);
    case "main-frozen":
      return cls.bug || cls.docsOnly;
    default:
      return false;
  }
}

function successForMain(pull: PullSnapshot, ctx: GateContext): Verdict {
  const { cls, main } = ctx;
  const mode = ctx.config.releaseTrain.mode;
  if (cls.bug) {
    const rule = cls.released ? "R7" : "R6";
    return ctx.verdict(
      "success",
      rule,
      `fix for ${ctx.bugKind}${ctx.fixFor} into ${main}${mode === "freeze" ? "; bug fixes are exempt from the freeze (R9)" : ""}`,
      `${ctx.bugKind} fixes go into ${main}${cls.released ? ` (${releaseBaseText(pull, ctx)}; the issue stays open until the release)` : ""}`,
    );
  }
  if (cls.docsOnly) {
    return ctx.verdict(
      "success",
      "R10",
      `docs-only change (${pull.files!.length} file${pull.files!.length === 1 ? "" : "s"}); may merge${mode === "freeze" ? ", also during the freeze" : ""}`,
      `every changed file matches releaseTrain.mergeGate.docsPaths`,
    );
  }
  return ctx.verdict(
    "success",
    mode === "freeze" ? "R9" : "R14",
    // Stable across RC cuts: in release-candidate mode main never closes, so no rewrite.
    mode === "freeze"
      ? `${main} is open until the freeze ${formatWhen(ctx.input.phase.until)}`
      : `${main} is open (release-candidate mode: the RC branch is gated instead)`,
    mode === "freeze"
      ? "feature work merges until the freeze"
      : "in release-candidate mode main stays open; the RC branch is gated instead",
  );
}
