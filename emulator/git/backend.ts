import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GitIdentity, git, gitBuffer } from "./run.js";

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorDate: number;
  committerName: string;
  committerEmail: string;
  committerDate: number;
  message: string;
}

export interface RefInfo {
  ref: string;
  sha: string;
  type: "commit" | "tag" | "tree" | "blob";
}

export interface FileChange {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions: number;
  deletions: number;
  sha: string;
  previousFilename?: string;
}

export interface Comparison {
  mergeBase: string;
  aheadBy: number;
  behindBy: number;
  commits: CommitInfo[];
  files: FileChange[];
}

export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size: number;
  path: string;
}

// Fields end with NUL, records with NUL + RS: a root commit's empty parent list makes two NULs
// in a row inside a record, so NUL NUL cannot end one.
const SHOW_FORMAT = "%H%x00%T%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B%x00%x1e";

/**
 * One bare git repository per emulated repository, driven by the git CLI: refs, commits,
 * trees, merges and cherry-picks are real git objects. Writes to one repository are
 * serialised so compare-and-swap on refs stays meaningful.
 */
export class GitBackend {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(readonly root: string) {}

  static async temporary(): Promise<GitBackend> {
    const root = join(tmpdir(), `bosun-emulator-git-${process.pid}-${Date.now().toString(36)}`);
    await mkdir(root, { recursive: true });
    return new GitBackend(root);
  }

  dir(owner: string, name: string): string {
    return join(this.root, owner.toLowerCase(), `${name.toLowerCase()}.git`);
  }

  async init(owner: string, name: string, defaultBranch: string): Promise<string> {
    const dir = this.dir(owner, name);
    await mkdir(dir, { recursive: true });
    await git(dir, ["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`]);
    return dir;
  }

  async destroy(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  /** Runs fn with the repository's write lock held. */
  exclusive<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(dir) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.locks.set(
      dir,
      next.catch(() => undefined),
    );
    return next;
  }

  async fastImport(dir: string, stream: string): Promise<void> {
    await git(dir, ["fast-import", "--quiet", "--force"], { input: stream });
  }

  /** The commit a revision names, or undefined when it does not resolve. */
  async resolveCommit(dir: string, rev: string): Promise<string | undefined> {
    if (rev.startsWith("-")) return undefined;
    const { stdout, code } = await git(
      dir,
      ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`],
      {
        okCodes: [1, 128],
      },
    );
    return code === 0 ? stdout.trim() : undefined;
  }

  async refs(dir: string, prefix = "refs/"): Promise<RefInfo[]> {
    const { stdout } = await git(dir, [
      "for-each-ref",
      "--format=%(objectname) %(objecttype) %(refname)",
      prefix,
    ]);
    return stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [sha, type, ref] = line.split(" ") as [string, RefInfo["type"], string];
        return { sha, type, ref };
      });
  }

  /** Tags with the commit they point at (annotated tags peeled). */
  async tags(dir: string): Promise<{ name: string; commit: string }[]> {
    const { stdout } = await git(dir, [
      "for-each-ref",
      "--sort=-creatordate",
      "--format=%(refname:strip=2) %(objectname) %(*objectname)",
      "refs/tags/",
    ]);
    return stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [name, object, peeled] = line.split(" ");
        return { name: name!, commit: peeled || object! };
      });
  }

  async updateRef(dir: string, ref: string, sha: string, expectedOld?: string): Promise<void> {
    const args = ["update-ref", ref, sha];
    if (expectedOld !== undefined) args.push(expectedOld);
    await git(dir, args);
  }

  async deleteRef(dir: string, ref: string): Promise<void> {
    await git(dir, ["update-ref", "-d", ref]);
  }

  async objectType(dir: string, sha: string): Promise<string | undefined> {
    const { stdout, code } = await git(dir, ["cat-file", "-t", sha], { okCodes: [1, 128] });
    return code === 0 ? stdout.trim() : undefined;
  }

  async commit(dir: string, sha: string): Promise<CommitInfo | undefined> {
    const list = await this.commits(dir, [sha], { noWalk: true });
    return list[0];
  }

  /** Commits from `git log`, newest first; noWalk shows exactly the given revisions. */
  async commits(
    dir: string,
    revs: string[],
    options: { noWalk?: boolean; limit?: number; reverse?: boolean } = {},
  ): Promise<CommitInfo[]> {
    const args = ["log", `--format=${SHOW_FORMAT}`];
    if (options.noWalk) args.push("--no-walk=unsorted");
    if (options.limit) args.push(`--max-count=${options.limit}`);
    if (options.reverse) args.push("--reverse");
    const { stdout, code } = await git(dir, [...args, ...revs, "--"], { okCodes: [128] });
    if (code !== 0) return [];
    return stdout
      .split("\0\x1e")
      .map((chunk) => chunk.replace(/^\n/, ""))
      .filter((chunk) => chunk.length > 0)
      .map(parseCommit);
  }

  async countCommits(dir: string, range: string): Promise<number> {
    const { stdout } = await git(dir, ["rev-list", "--count", range]);
    return Number(stdout.trim());
  }

  async mergeBase(dir: string, a: string, b: string): Promise<string | undefined> {
    const { stdout, code } = await git(dir, ["merge-base", a, b], { okCodes: [1] });
    return code === 0 ? stdout.trim() : undefined;
  }

  async diff(dir: string, from: string, to: string): Promise<FileChange[]> {
    const [numstat, raw] = await Promise.all([
      git(dir, ["diff-tree", "-r", "-M", "--numstat", "-z", from, to]),
      git(dir, ["diff-tree", "-r", "-M", "--raw", "-z", "--abbrev=40", from, to]),
    ]);
    const counts = new Map<string, [number, number]>();
    const numTokens = numstat.stdout.split("\0");
    for (let i = 0; i < numTokens.length; i++) {
      const token = numTokens[i];
      if (!token) continue;
      const [add, del, path] = token.split("\t");
      // Renames print "add\tdel\t" followed by two NUL-separated paths.
      let name = path;
      if (!name) {
        name = numTokens[i + 2];
        i += 2;
      }
      if (name) counts.set(name, [Number(add) || 0, Number(del) || 0]);
    }
    const files: FileChange[] = [];
    const rawTokens = raw.stdout.split("\0");
    for (let i = 0; i < rawTokens.length; i++) {
      const meta = rawTokens[i];
      if (!meta?.startsWith(":")) continue;
      const [, , , newSha, statusCode] = meta.slice(1).split(" ") as string[];
      const letter = (statusCode ?? "M")[0];
      let filename = rawTokens[++i] ?? "";
      let previousFilename: string | undefined;
      if (letter === "R" || letter === "C") {
        previousFilename = filename;
        filename = rawTokens[++i] ?? "";
      }
      const [additions, deletions] = counts.get(filename) ?? [0, 0];
      const status =
        letter === "A"
          ? "added"
          : letter === "D"
            ? "removed"
            : letter === "R"
              ? "renamed"
              : letter === "C"
                ? "copied"
                : "modified";
      files.push({
        filename,
        status,
        additions,
        deletions,
        sha: newSha ?? "",
        ...(previousFilename ? { previousFilename } : {}),
      });
    }
    return files;
  }

  async compare(dir: string, base: string, head: string): Promise<Comparison | undefined> {
    const mergeBase = await this.mergeBase(dir, base, head);
    if (!mergeBase) return undefined;
    const [aheadBy, behindBy, commits, files] = await Promise.all([
      this.countCommits(dir, `${base}..${head}`),
      this.countCommits(dir, `${head}..${base}`),
      // GitHub lists at most 250 commits, oldest first.
      this.commits(dir, [`${base}..${head}`], { limit: 250, reverse: true }),
      this.diff(dir, mergeBase, head),
    ]);
    return { mergeBase, aheadBy, behindBy, commits, files };
  }

  /** Entries at `path` in `rev` (the entry itself when it is a file). */
  async lsTree(dir: string, rev: string, path: string): Promise<TreeEntry[] | undefined> {
    const clean = path.replace(/^\/+|\/+$/g, "");
    const target = clean === "" ? rev : `${rev}:${clean}`;
    const type = await this.objectType(dir, target);
    if (!type) return undefined;
    if (type === "tree") {
      const { stdout } = await git(dir, ["ls-tree", "-l", "-z", target]);
      return parseLsTree(stdout, clean);
    }
    const parent = clean.includes("/") ? clean.slice(0, clean.lastIndexOf("/")) : "";
    const { stdout } = await git(dir, ["ls-tree", "-l", "-z", rev, "--", clean]);
    return parseLsTree(stdout, parent).filter((e) => e.path === clean);
  }

  /** Blob bytes; git hands them over base64-free through a binary-safe pipe. */
  async readBlob(dir: string, sha: string): Promise<Buffer> {
    return gitBuffer(dir, ["cat-file", "blob", sha]);
  }

  /**
   * Writes files onto `parent`'s tree and returns the new tree; a null content deletes.
   * Uses a private index file so concurrent callers never share one.
   */
  async writeTree(
    dir: string,
    parent: string | undefined,
    files: { path: string; content: string | null; mode?: string }[],
  ): Promise<string> {
    const index = join(
      dir,
      `emulator-index-${process.pid}-${Math.floor(performance.now() * 1000)}`,
    );
    const env = { GIT_INDEX_FILE: index };
    try {
      if (parent) await git(dir, ["read-tree", parent], { env });
      else await git(dir, ["read-tree", "--empty"], { env });
      for (const file of files) {
        if (file.content === null) {
          await git(dir, ["update-index", "--force-remove", "--", file.path], { env });
          continue;
        }
        const { stdout } = await git(dir, ["hash-object", "-w", "--stdin"], {
          input: file.content,
        });
        await git(
          dir,
          [
            "update-index",
            "--add",
            "--cacheinfo",
            `${file.mode ?? "100644"},${stdout.trim()},${file.path}`,
          ],
          { env },
        );
      }
      return (await git(dir, ["write-tree"], { env })).stdout.trim();
    } finally {
      await rm(index, { force: true });
    }
  }

  async commitTree(
    dir: string,
    tree: string,
    parents: string[],
    message: string,
    identity: GitIdentity,
  ): Promise<string> {
    const args = ["commit-tree", tree];
    for (const parent of parents) args.push("-p", parent);
    const { stdout } = await git(dir, args, { input: message, identity });
    return stdout.trim();
  }

  /** Three-way merge of two commits; undefined on conflict. */
  async mergeTree(dir: string, ours: string, theirs: string): Promise<string | undefined> {
    const { stdout, code } = await git(dir, ["merge-tree", "--write-tree", ours, theirs], {
      okCodes: [1],
    });
    return code === 0 ? stdout.split("\n")[0]?.trim() : undefined;
  }

  /**
   * Applies `commit`'s change onto `onto` and returns the new commit, or undefined on
   * conflict. Same trick as GitHub clients use through the API: a temporary commit with
   * onto's tree whose parent is commit's parent makes a plain merge equal a cherry-pick.
   */
  async cherryPick(
    dir: string,
    commit: string,
    onto: string,
    identity: GitIdentity,
  ): Promise<string | undefined> {
    const info = await this.commit(dir, commit);
    const ontoInfo = await this.commit(dir, onto);
    if (!info || !ontoInfo) return undefined;
    const parent = info.parents[0];
    if (!parent) return undefined;
    const temp = await this.commitTree(dir, ontoInfo.tree, [parent], "cherry-pick", identity);
    const tree = await this.mergeTree(dir, temp, commit);
    if (!tree) return undefined;
    const message = `${info.message.trimEnd()}\n\n(cherry picked from commit ${commit})\n`;
    return this.commitTree(dir, tree, [onto], message, {
      ...identity,
      name: info.authorName,
      email: info.authorEmail,
    });
  }
}

function parseCommit(chunk: string): CommitInfo {
  const [sha, tree, parents, an, ae, at, cn, ce, ct, message] = chunk.split("\0");
  return {
    sha: sha!,
    tree: tree!,
    parents: parents ? parents.split(" ").filter(Boolean) : [],
    authorName: an!,
    authorEmail: ae!,
    authorDate: Number(at) * 1000,
    committerName: cn!,
    committerEmail: ce!,
    committerDate: Number(ct) * 1000,
    message: message ?? "",
  };
}

function parseLsTree(stdout: string, parentPath: string): TreeEntry[] {
  return stdout
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const [meta, name] = line.split("\t") as [string, string];
      const [mode, type, sha, size] = meta.split(/\s+/) as [
        string,
        TreeEntry["type"],
        string,
        string,
      ];
      return {
        mode,
        type,
        sha,
        size: size === "-" ? 0 : Number(size),
        path: parentPath ? `${parentPath}/${name.split("/").pop()}` : name,
      };
    });
}
