// The merge gate's verdict on one open pull request: success or failure, with a one-line
// description citing the handbook rule (R6-R16, R30, R33) and a longer reason for the audit
// log. The named checks in checks/ run in the order checks/index.ts gives; the first that
// decides gives the verdict. Pure: the release phase, versions and the pull request's data
// come in as arguments.
import type { PullSnapshot } from "../release-train/snapshot.js";
import { GATE_CHECKS, GATE_DEFAULT } from "./checks/index.js";
import { type GateInput, gateContext, type Verdict } from "./context.js";

export { classify } from "./classify.js";
export type { GateInput, Verdict } from "./context.js";

/** The merge gate's verdict on one open pull request. */
export function gateVerdict(pull: PullSnapshot, input: GateInput): Verdict {
  const ctx = gateContext(pull, input);
  for (const step of GATE_CHECKS) {
    const verdict = step.check(pull, ctx);
    if (verdict) return verdict;
  }
  return GATE_DEFAULT.check(pull, ctx);
}
