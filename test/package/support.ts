// Helpers for the tests that install Bosun the way users do: a copy of the sources as a clean
// clone has them, commands run with a clean environment, processes started in their own group.
import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

/**
 * The files a clone of the repository holds now: tracked and new files, not ignored ones
 * (no node_modules, no dist). Without git (a source tarball), everything but those folders.
 */
export function sourceFiles(root: string): string[] {
  const git = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  });
  if (git.status === 0)
    return git.stdout
      .split("\0")
      .filter(
        (f) => f !== "" && existsSync(path.join(root, f)) && statSync(path.join(root, f)).isFile(),
      );
  const skip = new Set([".git", "node_modules", "dist", ".bosun", "coverage"]);
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (skip.has(e.name)) return [];
      return e.isDirectory() ? walk(rel) : e.isFile() ? [rel] : [];
    });
  return walk("");
}

export function copyFiles(files: readonly string[], from: string, to: string): void {
  for (const f of files) {
    mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    copyFileSync(path.join(from, f), path.join(to, f));
  }
}

/**
 * The environment a user's shell would give: no Bosun or GitHub settings of this machine, and
 * none of the npm_* variables `npm test` passes down (they would steer the npm run inside).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|BOSUN_|GITHUB_|DATABASE_URL$|INIT_CWD$|NODE_OPTIONS$|VITEST)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a command to its end; throws with its output when it fails (unless `allowFailure`). */
export function run(
  command: string,
  args: string[],
  options: SpawnSyncOptions & { allowFailure?: boolean } = {},
): Ran {
  const started = performance.now();
  const r = spawnSync(command, args, {
    encoding: "utf8",
    env: userEnv(),
    timeout: 540_000,
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  const ran = {
    code: r.status,
    stdout: String(r.stdout ?? ""),
    stderr: String(r.stderr ?? ""),
    seconds: (performance.now() - started) / 1000,
  };
  if (ran.code !== 0 && !options.allowFailure)
    throw new Error(
      `${command} ${args.join(" ")} exited ${ran.code}${r.error ? ` (${r.error.message})` : ""}\n${ran.stdout}\n${ran.stderr}`,
    );
  return ran;
}

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True while any process of the group led by `pid` is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function waitFor<T>(
  what: string,
  read: () => Promise<T | undefined> | T | undefined,
  ms: number,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await Promise.resolve()
      .then(read)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
