// An embedded (PGlite) store is a directory that only one process may open at a time:
// PGlite is single-process, and two writers would corrupt it. The lock is a file,
// `<dataDir>/bosun.lock`, created with O_EXCL so that exactly one opener wins, holding the
// JSON that lets the loser say who is in the way (and lets the CLI find a running server).
//
// A lock left behind by a process that died (kill -9, SIGINT without cleanup) is taken
// over when its pid is not alive on this host. A lock from another host cannot be
// checked, so it is refused with the advice to remove it.
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join, relative, resolve } from "node:path";
import { StoreLockedError } from "./errors.js";
import type { LockInfo } from "./lock-info.js";

export type { LockInfo } from "./lock-info.js";

export const LOCK_FILE = "bosun.lock";

// Locks this process holds, by path. A lock naming our own pid that is not in here was
// left by an earlier process that had the same pid (typical for pid 1 in a container).
const held = new Map<string, LockInfo>();

export interface LockHolder {
  command?: string;
  serverUrl?: string;
}

export interface LockHandle {
  readonly path: string;
  readonly info: LockInfo;
  release(): void;
}

export interface AcquireOptions {
  /** Told when a stale lock is taken over. */
  onWarning?: (message: string) => void;
}

export function lockPath(dataDir: string): string {
  return join(dataDir, LOCK_FILE);
}

/** The lock's content, or null when there is no lock or it cannot be read. */
export function readLock(dataDir: string): LockInfo | null {
  try {
    return parseLock(readFileSync(lockPath(dataDir), "utf8"));
  } catch {
    return null;
  }
}

/**
 * Records details in the lock this process holds (a server's URL once it listens).
 * Throws if the lock is missing or belongs to another process.
 */
export function updateLock(dataDir: string, patch: Pick<LockInfo, "serverUrl">): LockInfo {
  const current = readLock(dataDir);
  if (!current || current.pid !== process.pid || current.hostname !== hostname()) {
    throw new Error(`cannot update ${lockPath(dataDir)}: this process does not hold it`);
  }
  const next: LockInfo = { ...current, ...patch };
  // Write beside and rename over, so a reader never sees a half-written lock.
  const temp = `${lockPath(dataDir)}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, JSON.stringify(next));
  } finally {
    closeSync(fd);
  }
  renameSync(temp, lockPath(dataDir));
  return next;
}

export function acquireLock(
  dataDir: string,
  holder: LockHolder = {},
  options: AcquireOptions = {},
): LockHandle {
  const path = resolve(lockPath(dataDir));
  const info: LockInfo = {
    pid: process.pid,
    hostname: hostname(),
    command: holder.command ?? defaultCommand(),
    startedAt: new Date().toISOString(),
    ...(holder.serverUrl ? { serverUrl: holder.serverUrl } : {}),
  };
  // Each round either creates the lock, refuses, or removes a stale lock and tries again;
  // a bounded number of rounds guards against two processes trading a stale lock forever.
  for (let round = 0; round < 5; round++) {
    if (tryCreate(path, info)) return handleFor(path, info);
    const existing = readExisting(path);
    if (existing === "missing") continue;
    if (existing !== "unreadable" && isAlive(path, existing)) {
      throw new StoreLockedError(dataDir, existing, lockedMessage(dataDir, existing));
    }
    if (removeIfUnchanged(path, existing)) {
      const who =
        existing === "unreadable"
          ? "an unreadable lock"
          : `a stale lock from \`${existing.command}\` (pid ${existing.pid}, no longer running)`;
      options.onWarning?.(`took over ${who} in ${displayDir(dataDir)}`);
    }
  }
  throw new Error(`could not take the lock ${path}: it keeps changing; is another Bosun starting?`);
}

function tryCreate(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(info));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readExisting(path: string): LockInfo | "missing" | "unreadable" {
  // Between another process's create and its write the file is empty; give it a moment
  // before calling it unreadable.
  for (let attempt = 0; attempt < 3; attempt++) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
      throw error;
    }
    const parsed = parseLock(text);
    if (parsed) return parsed;
    sleepSync(50);
  }
  return "unreadable";
}

/**
 * Removes the lock only if it is still the one judged stale. Renaming first makes the
 * check and the removal one step: if a racer replaced the stale lock with a live one in
 * between, we notice and put theirs back.
 */
function removeIfUnchanged(path: string, judged: LockInfo | "unreadable"): boolean {
  const grave = `${path}.stale.${process.pid}.${Date.now()}`;
  try {
    renameSync(path, grave);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  const moved = parseLock(readFileSync(grave, "utf8"));
  const same =
    judged === "unreadable"
      ? moved === null
      : moved !== null && moved.pid === judged.pid && moved.startedAt === judged.startedAt;
  if (!same) {
    try {
      renameSync(grave, path);
    } catch {
      // Nothing sensible remains to do; the next round re-reads whatever is there.
    }
    return false;
  }
  unlinkSync(grave);
  return true;
}

function handleFor(path: string, info: LockInfo): LockHandle {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.delete(path);
    process.removeListener("exit", release);
    const current = (() => {
      try {
        return parseLock(readFileSync(path, "utf8"));
      } catch {
        return null;
      }
    })();
    // Never remove a lock that someone else has since taken over.
    if (current && current.pid === info.pid && current.startedAt === info.startedAt) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone: the goal is met.
      }
    }
  };
  held.set(path, info);
  process.on("exit", release);
  return { path, info, release };
}

function parseLock(text: string): LockInfo | null {
  try {
    const value = JSON.parse(text) as Partial<LockInfo> | null;
    if (!value || typeof value.pid !== "number" || typeof value.startedAt !== "string") {
      return null;
    }
    return {
      pid: value.pid,
      hostname: typeof value.hostname === "string" ? value.hostname : "",
      command: typeof value.command === "string" ? value.command : "bosun",
      startedAt: value.startedAt,
      ...(typeof value.serverUrl === "string" ? { serverUrl: value.serverUrl } : {}),
    };
  } catch {
    return null;
  }
}

function isAlive(path: string, lock: LockInfo): boolean {
  if (lock.hostname && lock.hostname !== hostname()) return true;
  if (lock.pid === process.pid) return held.get(path)?.startedAt === lock.startedAt;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockedMessage(dataDir: string, lock: LockInfo): string {
  const where = displayDir(dataDir);
  const since = formatSince(lock.startedAt);
  if (lock.hostname && lock.hostname !== hostname()) {
    return `the store in ${where} is locked by \`${lock.command}\` on host ${lock.hostname} (pid ${lock.pid}, since ${since}); if nothing runs there, remove ${lockPath(where)}`;
  }
  if (lock.serverUrl) {
    return `the store in ${where} is in use by \`${lock.command}\` (pid ${lock.pid}, since ${since}, serving ${lock.serverUrl}); stop it or use --server ${lock.serverUrl}`;
  }
  return `the store in ${where} is in use by \`${lock.command}\` (pid ${lock.pid}, since ${since}); wait for it to finish or stop it`;
}

function displayDir(dataDir: string): string {
  const rel = relative(process.cwd(), dataDir);
  if (rel === "") return "./";
  if (rel.startsWith("..") || rel.startsWith("/"))
    return dataDir.endsWith("/") ? dataDir : `${dataDir}/`;
  return `${rel}/`;
}

function formatSince(startedAt: string): string {
  const date = new Date(startedAt);
  if (Number.isNaN(date.getTime())) return startedAt;
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay
    ? time
    : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

function defaultCommand(): string {
  return ["bosun", ...process.argv.slice(2)].join(" ");
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
