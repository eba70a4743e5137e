// Issue references in a pull request's body (R8): which issues it names, and whether it names
// any with one of GitHub's auto-closing keywords; and which merged pull requests name an issue
// (R12, R15). Pure text work; no GitHub calls.

export interface IssueReference {
  /** `owner/name`; the pull request's own repository for a bare `#N`. */
  repo: string;
  number: number;
  /** The auto-closing keyword in front of it, as written ("Fixes"), if any. */
  keyword?: string;
  /** The reference as written, for messages. */
  text: string;
}

/** GitHub's closing keywords: close/closes/closed, fix/fixes/fixed, resolve/resolves/resolved. */
export const CLOSING_KEYWORDS = [
  "close",
  "closes",
  "closed",
  "fix",
  "fixes",
  "fixed",
  "resolve",
  "resolves",
  "resolved",
] as const;

const OWNER = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})";
const NAME = "[A-Za-z0-9._-]{1,100}";
// One reference: an issue or pull URL on any host (GitHub Enterprise too), owner/repo#N, or #N.
const REF = `(?:https?://[^\\s/]+/(${OWNER})/(${NAME})/(?:issues|pull)/(\\d+)\\b|(?<![\\w/])(${OWNER})/(${NAME})#(\\d+)\\b|(?<![\\w/&#])#(\\d+)\\b)`;
const KEYWORD = `\\b(${CLOSING_KEYWORDS.join("|")})\\b:?[ \\t]*`;
const REF_RE = new RegExp(`(?:${KEYWORD})?${REF}`, "gi");

/**
 * Text GitHub does not read for references: fenced and inline code, and HTML comments (pull
 * request templates often leave "<!-- Fixes #... -->" behind).
 */
export function visibleText(body: string): string {
  return body
    .replace(/<!--[\s\S]*?(?:-->|$)/g, " ")
    .replace(/(```|~~~)[\s\S]*?(?:\1|$)/g, " ")
    .replace(/`[^`\n]*`/g, " ");
}

/** Every issue reference in `body`, in order; `repo` resolves bare `#N`. */
export function issueReferences(body: string | null | undefined, repo: string): IssueReference[] {
  if (!body) return [];
  const out: IssueReference[] = [];
  for (const m of visibleText(body).matchAll(REF_RE)) {
    const [text, keyword, urlOwner, urlName, urlNumber, owner, name, number, bare] = m;
    const ref =
      urlNumber !== undefined
        ? { repo: `${urlOwner}/${urlName}`, number: Number(urlNumber) }
        : number !== undefined
          ? { repo: `${owner}/${name}`, number: Number(number) }
          : { repo, number: Number(bare) };
    out.push({ ...ref, text: text.trim(), ...(keyword ? { keyword } : {}) });
  }
  return out;
}

/** The references written with a closing keyword ("Fixes #12", "closes: fleetdm/fleet#12"). */
export function closingReferences(body: string | null | undefined, repo: string): IssueReference[] {
  return issueReferences(body, repo).filter((r) => r.keyword !== undefined);
}

/** Same repository regardless of case, as GitHub compares owner and name. */
export function sameRepo(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Merged pull requests into `base` whose bodies reference `issue` (R12's parts, R15's fix on main). */
export function mergedReferencing<M extends { baseRef: string | null; body: string }>(
  merged: readonly M[],
  issue: { repo: string; number: number },
  repo: string,
  base: string,
): M[] {
  return merged.filter(
    (m) =>
      m.baseRef === base &&
      issueReferences(m.body, repo).some(
        (r) => r.number === issue.number && sameRepo(r.repo, issue.repo),
      ),
  );
}
