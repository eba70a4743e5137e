import { execFile, spawn } from "node:child_process";

export interface GitIdentity {
  name: string;
  email: string;
  /** Epoch milliseconds; the commit carries this time, not the wall clock. */
  at: number;
}

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} failed (${code}): ${stderr.trim()}`);
  }
}

/** Environment that isolates the emulator's git from the user's configuration. */
function baseEnv(identity?: GitIdentity): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
  };
  if (identity) {
    const date = `${Math.floor(identity.at / 1000)} +0000`;
    env.GIT_AUTHOR_NAME = identity.name;
    env.GIT_AUTHOR_EMAIL = identity.email;
    env.GIT_AUTHOR_DATE = date;
    env.GIT_COMMITTER_NAME = identity.name;
    env.GIT_COMMITTER_EMAIL = identity.email;
    env.GIT_COMMITTER_DATE = date;
  }
  return env;
}

export interface RunOptions {
  input?: string | Buffer;
  identity?: GitIdentity;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 for "merge conflict"). */
  okCodes?: number[];
}

export interface RunResult {
  stdout: string;
  code: number;
}

/** Runs git in a (bare) repository directory; rejects with GitError on failure. */
export function git(dir: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const fullArgs = ["--git-dir", dir, ...args];
  const env = { ...baseEnv(options.identity), ...options.env };
  if (options.input === undefined) {
    return new Promise((resolve, reject) => {
      execFile("git", fullArgs, { env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        if (error && !(typeof code === "number" && options.okCodes?.includes(code))) {
          reject(new GitError(args, typeof code === "number" ? code : null, String(stderr)));
        } else resolve({ stdout: String(stdout), code: typeof code === "number" ? code : 1 });
      });
    });
  }
  // Large inputs (fast-import streams) go through spawn so they are streamed, not buffered twice.
  return new Promise((resolve, reject) => {
    const child = spawn("git", fullArgs, { env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      if (code === 0 || (code !== null && options.okCodes?.includes(code))) {
        resolve({ stdout, code: code ?? 0 });
      } else reject(new GitError(args, code, Buffer.concat(err).toString("utf8")));
    });
    child.stdin.on("error", () => {
      // The close handler reports the failure with git's own message.
    });
    child.stdin.end(options.input);
  });
}

/** Runs git and returns raw stdout bytes (file contents may be binary). */
export function gitBuffer(dir: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["--git-dir", dir, ...args],
      { env: baseEnv(), maxBuffer: 256 * 1024 * 1024, encoding: "buffer" },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new GitError(args, (error as { code?: number }).code ?? null, stderr.toString("utf8")),
          );
        else resolve(stdout);
      },
    );
  });
}
