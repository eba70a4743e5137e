import { existsSync } from "node:fs";
import path from "node:path";
import { UserError } from "./errors.js";

/** Options every command accepts, from flags first, then the environment, then defaults. */
export interface GlobalOptions {
  config?: string;
  server?: string;
  json?: boolean;
}

export function configPath(opts: GlobalOptions): string {
  // An empty variable is an unset one, as shells and CI systems often leave them.
  return path.resolve(opts.config ?? (process.env.BOSUN_CONFIG || "bosun.yml"));
}

export function dataDir(): string {
  return path.resolve(process.env.BOSUN_DATA_DIR || ".bosun");
}

export function databaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url && url.length > 0 ? url : undefined;
}

/** The server a read command should ask instead of opening the store itself, if any. */
export async function serverUrl(opts: GlobalOptions): Promise<string | undefined> {
  const explicit = opts.server ?? process.env.BOSUN_SERVER;
  if (explicit) {
    try {
      return new URL(explicit).toString().replace(/\/$/, "");
    } catch {
      throw new UserError(
        `--server must be a URL such as http://127.0.0.1:8080, found ${JSON.stringify(explicit)}`,
      );
    }
  }
  // A local server holding the embedded store is the only one that can read it: ask it.
  if (databaseUrl()) return undefined;
  // The store's own folder first, then the one `bosun preview` keeps beside it.
  for (const dir of [dataDir(), path.join(dataDir(), "preview", "store")]) {
    if (!existsSync(path.join(dir, "bosun.lock"))) continue;
    const { readLock } = await import("../store/lock.js");
    const url = readLock(dir)?.serverUrl;
    if (url) return url;
  }
  return undefined;
}
