// The merge gate's checks, in the order they run. The first check that returns a verdict
// decides; when none does, GATE_DEFAULT does. The order is the semantics: each comment gives
// the handbook's reason for an entry's position. Checks for different targets (see Target in
// ../context.ts) never both decide, so their relative order only reads as the handbook does.
import type { GateCheck, GateDefault } from "../context.js";
import { allowedIntoMain } from "./allowed-into-main.js";
import { baseBranch } from "./base-branch.js";
import { deepFreeze } from "./deep-freeze.js";
import { exceptions } from "./exceptions.js";
import { freeze } from "./freeze.js";
import { managerConfirmation } from "./manager-confirmation.js";
import { partlyMerged, partlyMergedAtRcCut } from "./partly-merged.js";
import { rcBranch } from "./rc-branch.js";
import { rcCherryPick } from "./rc-cherry-pick.js";
import { references } from "./references.js";
import { releasedFromMain } from "./released-from-main.js";
import { ungatedBranch } from "./ungated-branch.js";

export const GATE_CHECKS: readonly GateCheck[] = [
  // R8: every bug-fix PR references its issue without a closing keyword, on any branch and in
  // any phase; the issue it references is what classifies it for R6/R7 and R15.
  references,
  // R6/R7: bug fixes PR into main (or cherry-pick into the RC, R15); R33 repositories too,
  // since only the release train, not R6-R8, is skipped there.
  baseBranch,
  // R33: released straight from main, so none of the release train (R9-R16) applies.
  releasedFromMain,
  // R15: the RC takes unreleased bug fixes already merged into main; they need no exception.
  rcCherryPick,
  // R9/R30: only main and, in release-candidate mode, RC branches are gated.
  ungatedBranch,
  // R12: in release-candidate mode main stays open (R14), but feature work partly merged when
  // the RC was cut is flagged for revert on the RC before main's pass.
  partlyMergedAtRcCut,
  // R9/R10/R11/R14: main is open, or the freeze lets bug fixes and docs through, or the deep
  // freeze lets blockers and unreleased bug fixes through: no exception needed.
  allowedIntoMain,
  // R13/R15/R16: what is still undecided would be refused; the three roles' approval (a released
  // bug fix into the RC: the EM's and QA lead's) lets it in.
  exceptions,
  // R10: a non-code change into frozen main, not excepted: its manager's confirmation lets it in.
  managerConfirmation,
  // R15/R16: into the RC, neither an unreleased bug fix nor approved: refused.
  rcBranch,
  // R11: into main in the deep freeze, neither a blocker or unreleased fix nor excepted: waits.
  deepFreeze,
  // R12: frozen feature work already partly merged before the freeze: revert the parts.
  partlyMerged,
];

/** R9: what no check decided is feature work into frozen main, not excepted: it waits. */
export const GATE_DEFAULT: GateDefault = freeze;
