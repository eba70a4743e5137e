// Bosun as `npm install bosun` gives it: the package is packed from a copy of the sources as a
// clean clone has them (`npm pack`, whose prepack builds dist/ afresh), installed into an empty
// folder with run-time dependencies only, and run there: `config check` on the packaged
// example, `preview` to its Ready: line and the dashboard, `app manifest`.
import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFiles, groupAlive, run, sourceFiles, userEnv, waitFor } from "./support.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

describe("the npm package, packed and installed into an empty folder", () => {
  let work: string;
  let packed: Packed;
  let tarball: string;
  let app: string;
  let installed: string;
  let install: { seconds: number; stderr: string };
  const children: ChildProcess[] = [];

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "bosun-package-"));
    const clone = path.join(work, "clone");
    copyFiles(sourceFiles(ROOT), ROOT, clone);
    // The clone's dev dependencies (the compiler, for prepack) are this checkout's.
    symlinkSync(path.join(ROOT, "node_modules"), path.join(clone, "node_modules"), "dir");
    const out = path.join(work, "packed");
    mkdirSync(out);
    const pack = run("npm", ["pack", "--json", "--pack-destination", out], { cwd: clone });
    packed = (JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[/m))) as Packed[])[0]!;
    tarball = path.join(out, packed.filename);
    console.log(
      `npm pack: ${packed.filename} ${(statSync(tarball).size / 1024).toFixed(0)} kB packed, ` +
        `${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked, ${packed.entryCount} files (${pack.seconds.toFixed(1)} s, build included)`,
    );

    app = path.join(work, "app");
    mkdirSync(app);
    writeFileSync(
      path.join(app, "package.json"),
      `${JSON.stringify({ name: "trying-bosun", private: true }, null, 2)}\n`,
    );
    // The default npm cache: a second run installs from it.
    const r = run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", tarball], {
      cwd: app,
    });
    install = { seconds: r.seconds, stderr: r.stderr };
    installed = path.join(app, "node_modules", manifest.name);
    const deps = readdirSync(path.join(app, "node_modules")).length;
    console.log(
      `npm install --omit=dev: ${r.seconds.toFixed(1)} s, ${deps} entries in node_modules`,
    );
  });

  afterAll(async () => {
    for (const child of children) {
      if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, "SIGKILL");
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("holds what preview, serve and config check need, and nothing to compile", () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of [
      "package.json",
      "bin/bosun.js",
      "bosun.example.yml",
      "examples/engineering.rituals.yml",
      "dist/src/cli/main.js",
      "dist/src/cli/commands/serve.js",
      "dist/src/cli/commands/preview.js",
      "dist/emulator/index.js",
    ])
      expect(files).toContain(needed);
    expect(files.filter((f) => f.endsWith(".ts") || f.endsWith(".map"))).toEqual([]);
    // Tests, benchmarks and the emulator's contract checks (which read dev dependencies) stay out.
    expect(
      files.filter((f) => /^(test|bench|dist\/bench|dist\/emulator\/contract)\//.test(f)),
    ).toEqual([]);
    // Installing never runs the compiler: no install-time script at all.
    for (const script of ["preinstall", "install", "postinstall", "prepare"])
      expect(manifest.scripts[script]).toBeUndefined();
    expect(manifest.scripts.prepack).toContain("build");
  });

  it("installs with no install script to approve", () => {
    expect(install.stderr).not.toMatch(/install-scripts|allowScripts/);
  });

  it("its compiled code imports only Node built-ins and its own dependencies", () => {
    const allowed = new Set([...builtinModules, ...Object.keys(manifest.dependencies)]);
    const found = new Map<string, string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".js")) {
          const text = readFileSync(p, "utf8");
          const specifiers = [
            ...text.matchAll(/^\s*(?:import|export)\s[^"';]*?\bfrom\s*["']([^"']+)["']/gm),
            ...text.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
            ...text.matchAll(/\b(?:import|require|require\.resolve)\(\s*["']([^"']+)["']\s*\)/g),
          ].map((m) => m[1]!);
          for (const specifier of specifiers) {
            if (specifier.startsWith(".")) continue;
            const spec = specifier.replace(/^node:/, "");
            const name = spec.startsWith("@")
              ? spec.split("/").slice(0, 2).join("/")
              : spec.split("/")[0]!;
            if (!allowed.has(name)) found.set(name, path.relative(installed, p));
          }
        }
      }
    };
    walk(path.join(installed, "dist"));
    walk(path.join(installed, "bin"));
    expect(Object.fromEntries(found)).toEqual({});
  });

  it("`npx bosun config check node_modules/bosun/bosun.example.yml` passes", () => {
    const r = run("npx", ["bosun", "config", "check", "node_modules/bosun/bosun.example.yml"], {
      cwd: app,
      allowFailure: true,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Repositories\s+fleet, confidential/);
  });

  it.runIf(existsSync(path.join(ROOT, "app.yml")))(
    "`npx bosun app manifest` reads the packaged app.yml",
    () => {
      const r = run("npx", ["bosun", "app", "manifest", "--url", "https://bosun.example.com"], {
        cwd: app,
        allowFailure: true,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("https://bosun.example.com");
    },
  );

  it("`npx bosun preview --size 500` reaches Ready:, serves the dashboard, and stops on SIGTERM", async () => {
    const started = performance.now();
    const child = spawn(
      "npx",
      ["bosun", "preview", "--size", "500", "--no-activity", "--port", "0", "--emulator-port", "0"],
      { cwd: app, env: userEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    children.push(child);
    let out = "";
    const collect = (b: Buffer) => {
      out += b.toString();
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const ready = await waitFor(
      "preview's Ready: line",
      () => {
        if (child.exitCode !== null) throw new Error(`preview exited ${child.exitCode}:\n${out}`);
        return /^Ready: dashboard (http:\/\/127\.0\.0\.1:\d+)\//m.exec(out)?.[1];
      },
      480_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${out}`);
    });
    console.log(
      `npx bosun preview --size 500: Ready: after ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const page = await fetch(`${ready}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("fleetdm/fleet");
    const lock = path.join(app, ".bosun", "preview", "store", "bosun.lock");
    expect(existsSync(lock)).toBe(true);

    // SIGTERM to the process group, as a terminal sends Ctrl-C: npx passes a signal only to
    // the shell it started, which exits without passing it on to Bosun.
    const stopping = performance.now();
    process.kill(-child.pid!, "SIGTERM");
    await exited;
    await waitFor(
      "every process of the preview to exit",
      () => (groupAlive(child.pid!) ? undefined : true),
      30_000,
    );
    const seconds = (performance.now() - stopping) / 1000;
    console.log(`npx bosun preview: stopped ${seconds.toFixed(2)} s after SIGTERM`);
    expect(out).toMatch(/bosun preview: stopped in \d+\.\d\d s/);
    expect(existsSync(lock)).toBe(false);
  });
});
