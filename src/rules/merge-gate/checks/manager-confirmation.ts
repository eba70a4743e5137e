// R10: during the freeze, anyone may let a PR of only docs changes or only bug fixes through;
// "if the PR contains other changes, please confirm with your manager". Other changes that are
// code are feature work, which the freeze does not merge without R13's exception ("we do not
// merge other code changes"); so the manager's confirmation alone lets in the changes that are
// neither docs, bug fixes nor code: every file matches `releaseTrain.mergeGate.nonCodePaths` or
// `docsPaths` (CI configuration, say). Not in the deep freeze (R11: only blockers and
// unreleased bug fixes).
import type { GateCheck } from "../context.js";
import { logins } from "../text.js";

export const managerConfirmation: GateCheck = {
  name: "manager-confirmation",
  rules: ["R10"],
  why: "a non-code change into frozen main that no exception let in (R13) needs its manager's confirmation, and with it merges; without it, it waits for it",
  check(pull, ctx) {
    const { cls } = ctx;
    if (ctx.target !== "main-frozen" || cls.bug || !cls.nonCodeOnly) return undefined;
    const m = ctx.manager();
    const files = `${pull.files!.length} file${pull.files!.length === 1 ? "" : "s"}`;
    if (m.approved) {
      return ctx.verdict(
        "success",
        "R10",
        `no code (${files}, releaseTrain.mergeGate.nonCodePaths); confirmed by manager @${m.by}: may merge during the freeze`,
        `main is frozen (R9), but a change of docs and non-code files only (neither docs-only nor a bug fix) merges once the author's engineering manager confirms, and @${m.by} approved`,
      );
    }
    return ctx.verdict(
      "failure",
      "R10",
      m.problem
        ? `${ctx.main} is frozen${ctx.version}; no manager can confirm this non-code PR: ${m.short}`
        : `${ctx.main} is frozen${ctx.version}: no code (${files}), but not docs-only: confirm with your manager; R10 needs ${m.managers.length > 1 ? "one of " : ""}${logins(m.managers)}`,
      `main is frozen (R9); a change of docs and non-code files only (releaseTrain.mergeGate.nonCodePaths) that is neither docs-only nor a bug fix merges once the author's engineering manager confirms; ${m.problem ?? `no approval from ${logins(m.managers)}`}`,
    );
  },
};
