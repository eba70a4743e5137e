// R6/R7: bug fixes go into main (an unreleased fix reaches the RC by a cherry-pick PR, R15;
// patch branches are R30's), and a released-bug fix branches off the latest release tag (R7).
import { formatPattern } from "../../../handbook/patterns.js";
import type { PullSnapshot } from "../../release-train/snapshot.js";
import type { GateCheck, GateContext, Verdict } from "../context.js";

export const baseBranch: GateCheck = {
  name: "base-branch",
  rules: ["R6", "R7"],
  why: "where a bug fix goes and what it branches off are R6/R7's whatever the repository ships from, so it comes before R33's pass",
  check(pull, ctx) {
    const { cls, main, base } = ctx;
    if (!cls.bug || ctx.isPatch) return undefined;
    if (ctx.target === "other") {
      const train = ctx.config.releaseTrain;
      const latest = ctx.input.versions.latestRelease;
      const rule = cls.released ? "R7" : "R6";
      return ctx.verdict(
        "failure",
        rule,
        `a fix for ${ctx.bugKind}${ctx.fixFor} goes into ${main}, not ${base}`,
        `${cls.released ? `released bugs branch off the latest release tag${latest ? ` (${formatPattern(train.tag, latest)})` : ""}` : "unreleased bugs branch off main"} and the PR goes into ${main}`,
      );
    }
    if (!cls.released || base !== main) return undefined;
    return releaseBaseVerdict(pull, ctx);
  },
};

/**
 * Where a released-bug fix into main branched off (R7: "fix branches off the latest release
 * tag"), from the head's comparison with the latest release tag T (`compare/T...head`) and the
 * pull request's own commits (those main does not have, `pulls/{n}/commits`). The criterion:
 * the head carries no commit of main that T does not contain, i.e. every commit of T..head is
 * one of the pull request's own. So a fix branched off T, or off a commit T contains (an older
 * release, main before the RC cut), passes; one branched off main after T, or that merged main
 * in since, fails: it would bring unreleased feature work along.
 * - `on-tag`: it holds;
 * - `off-main`: it does not; `at` is where the branch leaves main (the parent of its oldest own
 *   commit), or with `merged` the newest commit of main merged in later; `containsTag` whether the head contains T (merge base = T's commit), `mainCommits`
 *   how many commits of main after T it carries (at least);
 * - `unrelated`: the head and T share no history (GitHub's compare answered 404);
 * - `unknown`: not decidable now; `pending` when a sync will decide it (not read at this head
 *   yet), not when it never can (no release tag here, too many commits to list).
 */
export type ReleaseBase =
  | { state: "on-tag"; tag: string }
  | {
      state: "off-main";
      tag: string;
      at?: string;
      containsTag: boolean;
      /** `at` is the newest commit of main the head carries, merged in after branching. */
      merged?: boolean;
      /** Commits of main after the tag that the head carries: exactly, or at least (`atLeast`). */
      mainCommits: number;
      atLeast?: boolean;
    }
  | { state: "unrelated"; tag: string }
  | { state: "unknown"; why: string; pending: boolean };

export function releaseBase(pull: PullSnapshot, ctx: GateContext): ReleaseBase {
  const latest = ctx.input.versions.latestRelease;
  const head = short(pull.headSha ?? "");
  if (!latest) {
    return {
      state: "unknown",
      why: `no release is tagged yet (releaseTrain.tag "${ctx.config.releaseTrain.tag}")`,
      pending: false,
    };
  }
  const tag = formatPattern(ctx.config.releaseTrain.tag, latest);
  if (ctx.input.tags && !ctx.input.tags.includes(tag)) {
    return {
      state: "unknown",
      why: `${ctx.input.repo} has no tag ${tag} to compare with`,
      pending: false,
    };
  }
  const cmp = pull.releaseCompare;
  if (!cmp || cmp.tag !== tag) {
    return {
      state: "unknown",
      why: `the head ${head} is not compared with ${tag} yet`,
      pending: true,
    };
  }
  if (cmp.status === "unrelated") return { state: "unrelated", tag };
  const own = pull.commits;
  if (!own) {
    return { state: "unknown", why: `the commits at ${head} are not read yet`, pending: true };
  }
  const ownShas = new Set(own.list.map((c) => c.sha));
  const at = branchPoint(own.list, ownShas);
  const containsTag = cmp.mergeBaseSha !== null && cmp.mergeBaseSha === cmp.tagSha;
  if (cmp.commits.length >= cmp.aheadBy) {
    const foreign = cmp.commits.filter((s) => !ownShas.has(s));
    if (foreign.length === 0) return { state: "on-tag", tag };
    return {
      state: "off-main",
      tag,
      containsTag,
      // Where it left main, when that commit is one the tag lacks; else (main merged in later)
      // the newest commit of main it carries.
      ...(at && foreign.includes(at) ? { at } : { at: foreign.at(-1)!, merged: true }),
      mainCommits: foreign.length,
    };
  }
  // Not every commit after the tag is listed: more of them than own commits settles it.
  if (own.complete && cmp.aheadBy > own.list.length) {
    return {
      state: "off-main",
      tag,
      containsTag,
      ...(at && at !== cmp.tagSha ? { at } : {}),
      mainCommits: cmp.aheadBy - own.list.length,
      atLeast: true,
    };
  }
  return {
    state: "unknown",
    why: `${cmp.aheadBy} commits follow ${tag} in ${head}, more than Bosun lists to tell its own from main's`,
    pending: false,
  };
}

/** What a success into main may say about a released-bug fix's base, truthfully. */
export function releaseBaseText(pull: PullSnapshot, ctx: GateContext): string {
  const b = releaseBase(pull, ctx);
  return b.state === "on-tag"
    ? `branched off ${b.tag}: the head carries no commit of ${ctx.main} that ${b.tag} does not contain`
    : b.state === "unknown"
      ? `its base was not checked: ${b.why}`
      : `it did not branch off ${b.tag}`;
}

function releaseBaseVerdict(pull: PullSnapshot, ctx: GateContext): Verdict | undefined {
  const b = releaseBase(pull, ctx);
  const head = short(pull.headSha ?? "");
  const criterion = `the head may carry no commit of ${ctx.main} that the tag does not contain`;
  switch (b.state) {
    case "on-tag":
      return undefined;
    case "unknown":
      if (b.pending) {
        return ctx.verdict(
          "failure",
          "R7",
          `waiting to check where this released-bug fix${ctx.fixFor} branched off: ${b.why}`,
          `released bugs branch off the latest release tag, and ${b.why}: nothing about the base is decided; the next sync reads it (GitHub's compare and pull request commits APIs) and the gate decides again`,
        );
      }
      ctx.notes.push({
        target: `${ctx.input.repo}#${pull.number}`,
        message: `R7: the base of this released-bug fix was not checked: ${b.why}`,
      });
      return undefined;
    case "unrelated":
      return ctx.verdict(
        "failure",
        "R7",
        `shares no history with ${b.tag}; rebase onto ${b.tag}`,
        `released bugs branch off the latest release tag, ${b.tag}; GitHub's compare API finds no common history between ${b.tag} and the head ${head}`,
      );
    case "off-main": {
      const where = b.at
        ? b.merged
          ? `merged ${ctx.main} at ${short(b.at)}`
          : `branched off ${ctx.main} at ${short(b.at)}`
        : `branched off ${ctx.main}`;
      const rebase = b.at && !b.merged ? ` (git rebase --onto ${b.tag} ${short(b.at)})` : "";
      const carried = `${b.atLeast ? "at least " : ""}${b.mainCommits} commit${b.mainCommits === 1 ? "" : "s"} of ${ctx.main}`;
      return ctx.verdict(
        "failure",
        "R7",
        b.containsTag
          ? `${where}, after ${b.tag}; rebase onto ${b.tag}`
          : `${where}, which ${b.tag} does not contain; rebase onto ${b.tag}`,
        b.containsTag
          ? `released bugs branch off the latest release tag, ${b.tag}: ${criterion}; the head ${head} contains ${b.tag} but also ${carried} after it; rebase the fix onto ${b.tag}${rebase} and force-push`
          : `released bugs branch off the latest release tag, ${b.tag}: ${criterion}; the head ${head} carries ${carried} that ${b.tag} does not contain (merge base with ${b.tag}: ${short(pull.releaseCompare?.mergeBaseSha ?? "") || "none"}); rebase the fix onto ${b.tag}${rebase} and force-push`,
      );
    }
  }
}

/**
 * Where the pull request's commits leave main: the first parent, outside them, of the oldest
 * commit whose parent is not one of them. Undefined when GitHub listed none.
 */
function branchPoint(
  list: readonly { sha: string; parents: readonly string[] }[],
  own: ReadonlySet<string>,
): string | undefined {
  for (const c of list) {
    const outside = c.parents.find((p) => !own.has(p));
    if (outside) return outside;
  }
  return undefined;
}

const short = (sha: string) => sha.slice(0, 7);
