import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The folder holding Bosun's package.json. Sources run from emulator/ under vitest and from
 * dist/emulator/ after a build, so non-TypeScript assets (the OpenAPI fixture) are found by
 * walking up rather than by a fixed relative path.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "emulator"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the Bosun package root from the emulator");
    dir = parent;
  }
  cached = dir;
  return dir;
}
