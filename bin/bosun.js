#!/usr/bin/env node
// The published entry point: the compiled CLI. The npm package ships dist/ (built by
// `prepack`), so installing Bosun never runs the compiler. A clone has no dist/ until it is
// built: the first run builds it when the compiler is installed (`npm ci` with dev
// dependencies), and otherwise says how.
import { existsSync } from "node:fs";

const main = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  const { spawnSync } = await import("node:child_process");
  const { createRequire } = await import("node:module");
  const { fileURLToPath, pathToFileURL } = await import("node:url");
  const root = fileURLToPath(new URL("..", import.meta.url));
  let tsc;
  try {
    const pkg = createRequire(import.meta.url).resolve("typescript/package.json");
    tsc = fileURLToPath(new URL("bin/tsc", pathToFileURL(pkg)));
  } catch {
    process.stderr.write(
      `bosun: ${root}dist/ is missing and TypeScript is not installed: run \`npm ci && npm run build\` in ${root}\n`,
    );
    process.exit(1);
  }
  process.stderr.write("bosun: first run from a clone: building dist/ (npm run build)\n");
  const built = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
await import(main.href);
