// R33: a repository released straight from main is not gated by the release train.
import type { GateCheck } from "../context.js";

export const releasedFromMain: GateCheck = {
  name: "released-from-main",
  rules: ["R33"],
  why: "R33 skips the release train, so it passes everything after R6-R8 and before any freeze or RC check",
  check(_pull, ctx) {
    if (!ctx.input.releasedFromMain) return undefined;
    return ctx.verdict(
      "success",
      "R33",
      `${ctx.input.repo} ships from ${ctx.main}; the release train does not gate it`,
      `the repository is configured with releasedFromMain: true (repositories[].releasedFromMain)`,
    );
  },
};
