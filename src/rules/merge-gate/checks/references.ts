// R8: a bug-fix PR names its issue, without a keyword that would close it on merge: neither in
// its description nor in a commit message (GitHub closes the issue when such a commit lands on
// the default branch, whatever the description says).
import type { PullSnapshot } from "../../release-train/snapshot.js";
import type { GateCheck, GateContext, Verdict } from "../context.js";
import { closingReferences, type IssueReference, issueReferences } from "../references.js";

export const references: GateCheck = {
  name: "references",
  rules: ["R8"],
  why: "a bug fix names its issue whatever its base or the train's state, and that issue is what every later check classifies it by",
  check(pull, ctx) {
    if (!ctx.cls.bug) return undefined;
    const { verdict } = ctx;
    const closing = closingReferences(pull.body, ctx.input.repo);
    if (closing.length > 0) {
      const first = closing[0]!;
      return verdict(
        "failure",
        "R8",
        `remove the auto-closing keyword in "${first.text}"; write "For ${plain(first)}" so the issue stays open`,
        `the body uses the auto-closing keyword "${first.keyword}" (${closing.map((c) => c.text).join(", ")}); bug issues are closed after QA (R6) or after the release (R7), not by the merge`,
      );
    }
    const inCommits = closingCommits(pull, ctx);
    if (inCommits) return inCommits;
    const named = issueReferences(pull.body, ctx.input.repo).length > 0;
    if (!named || ctx.cls.issues.length === 0) {
      return verdict(
        "failure",
        "R8",
        named
          ? "the issue this bug fix references is not a known issue; reference it as #N in the description"
          : "a bug-fix PR references its issue (#N) in the description",
        named
          ? "the description references only pull requests or issues Bosun has not seen"
          : "the description references no issue",
      );
    }
    if (!pull.commits) {
      const head = short(pull.headSha ?? "");
      return verdict(
        "failure",
        "R8",
        `waiting to read the commit messages at ${head}: a closing keyword there would close${ctx.fixFor || " the issue"} on merge`,
        `the description references the issue without a closing keyword, but the commits at ${head} are not read yet (GitHub's pull request commits API): their messages are not checked; the next sync reads them and the gate decides again`,
      );
    }
    if (!pull.commits.complete) {
      ctx.notes.push({
        target: `${ctx.input.repo}#${pull.number}`,
        message: `R8: only the first ${pull.commits.list.length} commits were checked for closing keywords (GitHub lists no more of a pull request)`,
      });
    }
    return undefined;
  },
};

/** A refusal naming the first commit whose message uses a closing keyword, if any does. */
function closingCommits(pull: PullSnapshot, ctx: GateContext): Verdict | undefined {
  const found = (pull.commits?.list ?? []).flatMap((c) => {
    const refs = closingReferences(c.message, ctx.input.repo);
    return refs.length > 0 ? [{ commit: c, refs }] : [];
  });
  if (found.length === 0) return undefined;
  const { commit, refs } = found[0]!;
  const first = refs[0]!;
  const sha = short(commit.sha);
  const others =
    found.length > 1
      ? ` (and ${found.length - 1} more commit${found.length > 2 ? "s" : ""}: ${found
          .slice(1)
          .map((f) => short(f.commit.sha))
          .join(", ")})`
      : "";
  return ctx.verdict(
    "failure",
    "R8",
    `commit ${sha} says "${first.text}": reword it to "For ${plain(first)}" so the issue stays open`,
    `the message of commit ${sha} ("${commit.message.split("\n")[0]}") uses the auto-closing keyword "${first.keyword}" (${refs.map((r) => r.text).join(", ")})${others}; GitHub closes the issue when that commit lands on the default branch, whatever the description says, and bug issues are closed after QA (R6) or after the release (R7). Reword the commit (git rebase -i ${sha}^, "reword", then force-push) to say "For ${plain(first)}"; a squash merge with an edited message would keep it open too, but the gate cannot see the message a merge will use, so it refuses while a commit of the branch carries the keyword`,
  );
}

/** "Fixes: #12" -> "#12": the reference without its keyword. */
const plain = (r: IssueReference) => r.text.slice(r.keyword!.length).replace(/^:?\s*/, "");

const short = (sha: string) => sha.slice(0, 7);
