import { iso } from "../clock.js";
import type { CommitInfo, FileChange } from "../git/backend.js";
import type { RepoData } from "../state/model.js";
import { nodeId, type RenderContext } from "./context.js";
import { repoUrl } from "./issues.js";
import { simpleUser } from "./users.js";

/** Maps a commit author back to a user: noreply addresses carry the login. */
function loginOf(ctx: RenderContext, email: string): string | undefined {
  const match = /^\d+\+(.+)@users\.noreply\.github\.com$/.exec(email);
  return match?.[1] && ctx.state.user(match[1]) ? match[1] : undefined;
}

const VERIFICATION = {
  verified: false,
  reason: "unsigned",
  signature: null,
  payload: null,
  verified_at: null,
};

/** The git-commit shape (GET/POST /git/commits). */
export function gitCommit(
  ctx: RenderContext,
  data: RepoData,
  c: CommitInfo,
): Record<string, unknown> {
  const url = `${repoUrl(ctx, data)}/git/commits/${c.sha}`;
  return {
    sha: c.sha,
    node_id: nodeId("Commit", c.sha),
    url,
    html_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/commit/${c.sha}`,
    author: { name: c.authorName, email: c.authorEmail, date: iso(c.authorDate) },
    committer: { name: c.committerName, email: c.committerEmail, date: iso(c.committerDate) },
    tree: { sha: c.tree, url: `${repoUrl(ctx, data)}/git/trees/${c.tree}` },
    message: c.message.trimEnd(),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${repoUrl(ctx, data)}/git/commits/${p}`,
      html_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/commit/${p}`,
    })),
    verification: VERIFICATION,
  };
}

/** The commit shape (REST commits, compare, PR commits). */
export function commitShape(
  ctx: RenderContext,
  data: RepoData,
  c: CommitInfo,
): Record<string, unknown> {
  const url = `${repoUrl(ctx, data)}/commits/${c.sha}`;
  const author = loginOf(ctx, c.authorEmail);
  const committer = loginOf(ctx, c.committerEmail);
  return {
    url,
    sha: c.sha,
    node_id: nodeId("Commit", c.sha),
    html_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/commit/${c.sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${repoUrl(ctx, data)}/git/commits/${c.sha}`,
      author: { name: c.authorName, email: c.authorEmail, date: iso(c.authorDate) },
      committer: { name: c.committerName, email: c.committerEmail, date: iso(c.committerDate) },
      message: c.message.trimEnd(),
      comment_count: 0,
      tree: { sha: c.tree, url: `${repoUrl(ctx, data)}/git/trees/${c.tree}` },
      verification: VERIFICATION,
    },
    author: author ? simpleUser(ctx, author) : null,
    committer: committer ? simpleUser(ctx, committer) : null,
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${repoUrl(ctx, data)}/commits/${p}`,
      html_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/commit/${p}`,
    })),
  };
}

export function diffEntry(
  ctx: RenderContext,
  data: RepoData,
  ref: string,
  f: FileChange,
): Record<string, unknown> {
  const path = encodeURI(f.filename);
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/blob/${ref}/${path}`,
    raw_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/raw/${ref}/${path}`,
    contents_url: `${repoUrl(ctx, data)}/contents/${path}?ref=${ref}`,
    ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
  };
}

export function gitRef(
  ctx: RenderContext,
  data: RepoData,
  ref: string,
  sha: string,
  type: string,
): Record<string, unknown> {
  return {
    ref,
    node_id: nodeId("Ref", `${data.repo.id}:${ref}`),
    url: `${repoUrl(ctx, data)}/git/${ref}`,
    object: {
      sha,
      type,
      url: `${repoUrl(ctx, data)}/git/${type === "tag" ? "tags" : "commits"}/${sha}`,
    },
  };
}
