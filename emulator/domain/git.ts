import { iso } from "../clock.js";
import type { Core } from "../core.js";
import type { CommitInfo } from "../git/backend.js";
import type { GitIdentity } from "../git/run.js";
import { HttpError, notFound, unprocessable, validationFailed } from "../http/errors.js";
import type { RepoData } from "../state/model.js";
import { envelope } from "../webhooks/payloads.js";

export function identityOf(core: Core, login: string): GitIdentity {
  const user = core.state.ensureUser(login);
  return {
    name: user.name ?? login,
    email: `${user.id}+${login}@users.noreply.github.com`,
    at: core.clock.now(),
  };
}

export function gitDir(core: Core, data: RepoData): string {
  return core.git.dir(data.repo.owner, data.repo.name);
}

/** Normalises "heads/x" / "refs/heads/x" to the full ref name git wants. */
export function fullRef(ref: string): string {
  return ref.startsWith("refs/") ? ref : `refs/${ref}`;
}

function webhookCommit(core: Core, data: RepoData, c: CommitInfo): Record<string, unknown> {
  return {
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message.trimEnd(),
    timestamp: iso(c.committerDate),
    url: `${core.render.base}/${data.repo.owner}/${data.repo.name}/commit/${c.sha}`,
    author: { name: c.authorName, email: c.authorEmail },
    committer: { name: c.committerName, email: c.committerEmail },
    added: [],
    removed: [],
    modified: [],
  };
}

const ZERO = "0000000000000000000000000000000000000000";

/** The push webhook for a ref update (before/after may be the zero sha). */
export async function pushEvent(
  core: Core,
  data: RepoData,
  actor: string,
  ref: string,
  before: string | null,
  after: string | null,
): Promise<void> {
  const dir = gitDir(core, data);
  const commits = after
    ? await core.git.commits(dir, before ? [`${before}..${after}`] : [after], {
        limit: 20,
        reverse: true,
      })
    : [];
  const head = after ? await core.git.commit(dir, after) : undefined;
  const env = envelope(core, data, actor);
  const repository = env.repository as Record<string, unknown>;
  // Push payloads carry epoch seconds for these two timestamps, unlike every other event.
  repository.pushed_at = Math.floor(data.repo.pushedAt / 1000);
  repository.created_at = Math.floor(data.repo.createdAt / 1000);
  const user = core.state.ensureUser(actor);
  core.hooks.emit("push", {
    ref,
    before: before ?? ZERO,
    after: after ?? ZERO,
    created: before === null,
    deleted: after === null,
    forced: false,
    base_ref: null,
    compare: `${core.render.base}/${data.repo.owner}/${data.repo.name}/compare/${(before ?? ZERO).slice(0, 12)}...${(after ?? ZERO).slice(0, 12)}`,
    commits: commits.map((c) => webhookCommit(core, data, c)),
    head_commit: head ? webhookCommit(core, data, head) : null,
    pusher: { name: actor, email: `${user.id}+${actor}@users.noreply.github.com` },
    ...env,
    repository,
  });
}

function refKind(ref: string): { refType: "branch" | "tag"; name: string } | undefined {
  if (ref.startsWith("refs/heads/")) return { refType: "branch", name: ref.slice(11) };
  if (ref.startsWith("refs/tags/")) return { refType: "tag", name: ref.slice(10) };
  return undefined;
}

export async function createRef(
  core: Core,
  data: RepoData,
  actor: string,
  ref: string,
  sha: string,
): Promise<void> {
  if (!ref.startsWith("refs/") || ref.split("/").length < 3) {
    throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
  }
  const dir = gitDir(core, data);
  await core.git.exclusive(dir, async () => {
    if (!(await core.git.objectType(dir, sha))) throw unprocessable("Object does not exist");
    if ((await core.git.refs(dir, ref)).some((r) => r.ref === ref))
      throw unprocessable("Reference already exists");
    await core.git.updateRef(dir, ref, sha, ZERO);
  });
  data.repo.pushedAt = core.clock.now();
  core.state.touch();
  const kind = refKind(ref);
  if (kind) {
    core.hooks.emit("create", {
      ref: kind.name,
      ref_type: kind.refType,
      master_branch: data.repo.defaultBranch,
      description: data.repo.description,
      pusher_type: "user",
      ...envelope(core, data, actor),
    });
  }
  await pushEvent(core, data, actor, ref, null, sha);
}

export async function updateRef(
  core: Core,
  data: RepoData,
  actor: string,
  ref: string,
  sha: string,
  force: boolean,
): Promise<void> {
  const dir = gitDir(core, data);
  const before = await core.git.exclusive(dir, async () => {
    const current = (await core.git.refs(dir, ref)).find((r) => r.ref === ref);
    if (!current) throw unprocessable("Reference does not exist");
    if (!(await core.git.objectType(dir, sha))) throw unprocessable("Object does not exist");
    if (!force && current.sha !== sha) {
      const base = await core.git.mergeBase(dir, current.sha, sha);
      if (base !== current.sha) throw unprocessable("Update is not a fast forward");
    }
    await core.git.updateRef(dir, ref, sha, current.sha);
    return current.sha;
  });
  data.repo.pushedAt = core.clock.now();
  core.state.touch();
  await pushEvent(core, data, actor, ref, before, sha);
}

export async function deleteRef(
  core: Core,
  data: RepoData,
  actor: string,
  ref: string,
): Promise<void> {
  const dir = gitDir(core, data);
  const before = await core.git.exclusive(dir, async () => {
    const current = (await core.git.refs(dir, ref)).find((r) => r.ref === ref);
    if (!current) throw unprocessable("Reference does not exist");
    await core.git.deleteRef(dir, ref);
    return current.sha;
  });
  core.state.touch();
  const kind = refKind(ref);
  if (kind) {
    core.hooks.emit("delete", {
      ref: kind.name,
      ref_type: kind.refType,
      pusher_type: "user",
      ...envelope(core, data, actor),
    });
  }
  await pushEvent(core, data, actor, ref, before, null);
}

/** PUT /contents: one commit on a branch writing (or replacing) one file. */
export async function writeContents(
  core: Core,
  data: RepoData,
  actor: string,
  input: { path: string; contentBase64: string; message: string; branch?: string; sha?: string },
): Promise<{ commit: string; blob: string; size: number; created: boolean }> {
  const dir = gitDir(core, data);
  const branch = input.branch ?? data.repo.defaultBranch;
  const ref = `refs/heads/${branch}`;
  const content = Buffer.from(input.contentBase64, "base64").toString("utf8");
  const result = await core.git.exclusive(dir, async () => {
    const parent = await core.git.resolveCommit(dir, ref);
    if (!parent) throw notFound();
    const existing = (await core.git.lsTree(dir, parent, input.path))?.[0];
    if (existing && existing.type !== "blob") throw unprocessable("path is a directory");
    if (existing && input.sha !== existing.sha) {
      if (!input.sha)
        throw validationFailed({
          resource: "Contents",
          field: "sha",
          code: "missing_field",
          message: '"sha" wasn\'t supplied.',
        });
      throw new HttpError(409, {
        message: `${input.path} does not match ${input.sha}`,
        documentation_url: "https://docs.github.com/rest",
        status: "409",
      });
    }
    const tree = await core.git.writeTree(dir, parent, [{ path: input.path, content }]);
    const commit = await core.git.commitTree(
      dir,
      tree,
      [parent],
      `${input.message}\n`,
      identityOf(core, actor),
    );
    await core.git.updateRef(dir, ref, commit, parent);
    const entry = (await core.git.lsTree(dir, commit, input.path))![0]!;
    return { parent, commit, blob: entry.sha, size: entry.size, created: !existing };
  });
  data.repo.pushedAt = core.clock.now();
  core.state.touch();
  await pushEvent(core, data, actor, ref, result.parent, result.commit);
  return result;
}
