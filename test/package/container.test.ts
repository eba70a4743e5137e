// The container image, without a Docker daemon (none runs on the build machines): the
// Dockerfile's build-stage commands run here in a copy of the build context (as .dockerignore
// shapes it), each container path mapped into a temporary folder; then the image's entry point
// starts with the image's environment, against the in-process GitHub emulator, and answers
// the image's HEALTHCHECK, /healthz and /readyz, and stops on SIGTERM. compose.yaml is checked
// for the pieces the scaled set-up needs.
import { spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { copyFiles, freePort, run, sourceFiles, waitFor } from "./support.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Dockerfile instructions by stage: continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const stages: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`not an instruction: ${line}`);
    const op = m[1]!.toUpperCase();
    const args = m[2]!.replace(/\s+/g, " ").trim();
    if (op === "FROM") {
      const [from, as, name] = args.split(" ");
      stages.push({
        from: from!,
        ...(as?.toUpperCase() === "AS" ? { name } : {}),
        instructions: [],
      });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${op} before FROM`);
      stage.instructions.push({ op, args });
    }
  }
  return stages;
}

const all = (stage: Stage, op: string) =>
  stage.instructions.filter((i) => i.op === op).map((i) => i.args);

/** `ENV A=1 B=2` as pairs. */
const envOf = (stage: Stage): Record<string, string> =>
  Object.fromEntries(
    all(stage, "ENV").flatMap((args) =>
      args.split(" ").map((pair) => {
        const at = pair.indexOf("=");
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    ),
  );

/** A .dockerignore pattern as a test on a context-relative path (or any folder above it). */
function ignored(patterns: string[]): (file: string) => boolean {
  const res = patterns.map((p) => {
    const body = p
      .replace(/^\/+|\/+$/g, "")
      .split("**")
      .map((part) =>
        part
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, "[^/]*")
          .replace(/\?/g, "[^/]"),
      )
      .join(".*");
    return new RegExp(`^${body}(/.*)?$`);
  });
  return (file) => res.some((re) => re.test(file));
}

describe("the container image's commands, run without Docker", () => {
  const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
  const stages = parseDockerfile(dockerfile);
  const build = stages[0]!;
  const runtime = stages.at(-1)!;
  let work: string;
  let fs: (containerPath: string) => string;
  let emu: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  let entry: string[];
  let cwd: string;

  it("is conventional: Node 22 slim, two stages, non-root, a volume, a port, a health check", () => {
    expect(stages.map((s) => s.from)).toEqual(["node:22-slim", "node:22-slim"]);
    expect(build.name).toBe("build");
    expect(all(runtime, "USER")).toEqual(["node"]);
    expect(all(runtime, "WORKDIR")).toEqual(["/app"]);
    expect(all(runtime, "VOLUME")).toEqual(["/data"]);
    expect(all(runtime, "EXPOSE")).toEqual(["8080"]);
    expect(envOf(runtime)).toMatchObject({
      BOSUN_DATA_DIR: "/data",
      BOSUN_HOST: "0.0.0.0",
      BOSUN_PORT: "8080",
    });
    expect(JSON.parse(all(runtime, "ENTRYPOINT")[0]!)).toEqual(["node", "bin/bosun.js"]);
    expect(JSON.parse(all(runtime, "CMD")[0]!)).toEqual(["serve"]);
    expect(all(runtime, "HEALTHCHECK")[0]).toMatch(/ CMD \["node", "-e", ".*\/healthz/);
    // Every build command is the shared script's, so what runs below is what Docker runs.
    for (const cmd of all(build, "RUN")) expect(cmd).toMatch(/^sh scripts\/container-build\.sh /);
  });

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "bosun-container-"));
    fs = (p: string) => path.join(work, "fs", p);
    const skip = ignored(
      readFileSync(path.join(ROOT, ".dockerignore"), "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#")),
    );
    const context = path.join(work, "context");
    const files = sourceFiles(ROOT).filter((f) => !skip(f));
    copyFiles(files, ROOT, context);

    // The build stage, instruction by instruction.
    let dir = "/";
    for (const { op, args } of build.instructions) {
      if (op === "WORKDIR") {
        dir = path.posix.resolve(dir, args);
        mkdirSync(fs(dir), { recursive: true });
      } else if (op === "COPY") {
        // COPY src... dest: "." is the whole context; several sources, or a dest ending in "/",
        // go into the dest folder.
        const parts = args.split(" ");
        const to = parts.at(-1)!;
        const sources = parts.slice(0, -1);
        const dest = fs(path.posix.resolve(dir, to));
        for (const src of sources) {
          if (src === ".") copyFiles(files, context, dest);
          else if (to.endsWith("/") || sources.length > 1) {
            mkdirSync(dest, { recursive: true });
            copyFileSync(path.join(context, src), path.join(dest, path.basename(src)));
          } else throw new Error(`COPY ${args}: the test copies into folders only`);
        }
      } else if (op === "RUN") {
        // Container paths in the command (`/app`) point into the mapped file system.
        const command = args.replace(
          /(^|\s)(\/[\w/.-]+)/g,
          (_m, sp: string, p: string) => `${sp}${fs(p)}`,
        );
        const r = run("sh", ["-c", command], { cwd: fs(dir) });
        console.log(`RUN ${args}: ${r.seconds.toFixed(1)} s`);
      } else if (op !== "ENV" && op !== "ARG") {
        throw new Error(`the test does not know how to run ${op} in the build stage`);
      }
    }

    // The runtime stage: its files, its environment, its entry point.
    for (const args of all(runtime, "COPY")) {
      const [from, src, dest] = args.split(" ");
      expect(from).toBe(`--from=${build.name}`);
      expect(src).toBe(dest); // copied to the same path: already in place here
    }
    for (const cmd of all(runtime, "RUN")) {
      // Only folders and their owner; the owner needs root and a node user, which a container has.
      expect(cmd).toMatch(/^mkdir -p [/\w ]+ && chown node:node [/\w ]+$/);
      for (const p of cmd.split(" && ")[0]!.split(" ").slice(2))
        mkdirSync(fs(p), { recursive: true });
    }
    cwd = fs(all(runtime, "WORKDIR")[0]!);
    const image = envOf(runtime);
    emu = await startEmulator({ size: 120, seed: 4 });
    writeFileSync(
      fs(image.BOSUN_CONFIG!),
      readFileSync(path.join(ROOT, "bosun.example.yml"), "utf8")
        .replace(/^ {2}apiUrl: .*$/m, `  apiUrl: ${emu.url}`)
        // The rituals file the image holds.
        .replace(
          /^ritualsFile: .*$/m,
          `ritualsFile: ${fs("/app/examples/engineering.rituals.yml")}`,
        ),
    );
    env = {
      PATH: process.env.PATH,
      HOME: fs("/home/node"),
      ...image,
      BOSUN_DATA_DIR: fs(image.BOSUN_DATA_DIR!),
      BOSUN_CONFIG: fs(image.BOSUN_CONFIG!),
      // docker run -e ...: a port free on this machine, the emulator's token, a secret.
      BOSUN_PORT: String(await freePort()),
      GITHUB_TOKEN: "emulator-token",
      BOSUN_WEBHOOK_SECRET: "container-secret",
    };
    entry = [
      ...JSON.parse(all(runtime, "ENTRYPOINT")[0]!),
      ...JSON.parse(all(runtime, "CMD")[0]!),
    ] as string[];
  });

  afterAll(async () => {
    await emu?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const node = (args: string[]) =>
    args.map((a, i) => (i === 0 && a === "node" ? process.execPath : a));

  it("builds /app: the packed package with its run-time dependencies, no compiler", () => {
    const app = fs("/app");
    for (const f of [
      "bin/bosun.js",
      "dist/src/cli/main.js",
      "bosun.example.yml",
      "package-lock.json",
    ])
      expect(existsSync(path.join(app, f)), f).toBe(true);
    expect(existsSync(path.join(app, "node_modules/fastify"))).toBe(true);
    expect(existsSync(path.join(app, "node_modules/typescript"))).toBe(false);
    expect(existsSync(path.join(app, "node_modules/vitest"))).toBe(false);
    expect(existsSync(path.join(app, "src"))).toBe(false);
    const mb = (p: string) => Number(run("du", ["-sm", p]).stdout.split("\t")[0]);
    console.log(`/app: ${mb(app)} MB, node_modules ${mb(path.join(app, "node_modules"))} MB`);
    expect(statSync(path.join(app, "bin/bosun.js")).isFile()).toBe(true);
  });

  it("the entry point serves on 0.0.0.0, answers the HEALTHCHECK, /healthz and /readyz, stops on SIGTERM", async () => {
    const [command, ...args] = node(entry);
    const child = spawn(command!, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const collect = (b: Buffer) => {
      out += b.toString();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      const url = await waitFor(
        "Bosun is serving",
        () => {
          if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}`);
          return /Bosun is serving .* at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        },
        120_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${out}`);
      });
      expect(url).toBe(`http://127.0.0.1:${env.BOSUN_PORT}`);
      expect(out).toContain(`PGlite in ${env.BOSUN_DATA_DIR}`);

      const check = all(runtime, "HEALTHCHECK")[0]!;
      const probe = node(JSON.parse(check.slice(check.indexOf(" CMD ") + 5)) as string[]);
      const health = run(probe[0]!, probe.slice(1), { env, allowFailure: true });
      expect(health.code, health.stderr).toBe(0);
      const healthz = await fetch(`${url}/healthz`);
      expect(healthz.status).toBe(200);
      expect(await healthz.json()).toMatchObject({ status: "ok", store: { backend: "pglite" } });

      const ready = await waitFor(
        "/readyz to answer 200",
        async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined),
        180_000,
      );
      expect(ready).toBe(true);

      const stopping = performance.now();
      child.kill("SIGTERM");
      const code = await exited;
      const seconds = (performance.now() - stopping) / 1000;
      console.log(`container entry point: stopped ${seconds.toFixed(2)} s after SIGTERM`);
      expect(code).toBe(0);
      expect(seconds).toBeLessThan(10);
      expect(existsSync(path.join(env.BOSUN_DATA_DIR!, "bosun.lock"))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("started without a token, or without DATABASE_URL and a writable data folder, it says what to set and exits non-zero", () => {
    const [command, ...args] = node(entry);
    const noToken = run(command!, args, {
      cwd,
      env: { ...env, GITHUB_TOKEN: "" },
      allowFailure: true,
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("no GitHub credentials: set GITHUB_TOKEN");
    expect(noToken.stderr).toContain("GITHUB_APP_ID");

    const file = path.join(work, "a-file");
    writeFileSync(file, "");
    const noVolume = run(command!, args, {
      cwd,
      env: { ...env, BOSUN_DATA_DIR: path.join(file, "data") },
      allowFailure: true,
    });
    expect(noVolume.code).toBe(2);
    expect(noVolume.stderr).toMatch(/the data folder .* cannot be written/);
    expect(noVolume.stderr).toContain("mount a volume there");
    expect(noVolume.stderr).toContain("DATABASE_URL");
  });
});

describe("compose.yaml", () => {
  interface Service {
    build?: string;
    image?: string;
    environment?: Record<string, string>;
    volumes?: string[];
    ports?: string[];
    depends_on?: unknown;
    healthcheck?: { test: string[] };
  }
  const compose = parse(readFileSync(path.join(ROOT, "compose.yaml"), "utf8")) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };

  it("runs Bosun on PostgreSQL 16, started once the database is healthy", () => {
    const bosun = compose.services.bosun!;
    const db = compose.services.db!;
    expect(bosun.build).toBe(".");
    expect(db.image).toBe("postgres:16");
    expect(db.healthcheck?.test.join(" ")).toContain("pg_isready");
    expect(bosun.depends_on).toEqual({ db: { condition: "service_healthy" } });
    expect(bosun.environment?.DATABASE_URL).toMatch(/^postgres:\/\/bosun:.*@db:5432\/bosun$/);
    // The token comes from the environment (.env), never from the file.
    expect(bosun.environment?.GITHUB_TOKEN).toMatch(/^\$\{GITHUB_TOKEN:-\}$/);
    expect(bosun.environment?.BOSUN_CONFIG).toBe("/config/bosun.yml");
    expect(bosun.volumes).toContain("./bosun.yml:/config/bosun.yml:ro");
    const [volume] = String(db.volumes?.[0]).split(":");
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(bosun.ports).toEqual(["8080:8080"]);
  });
});
