// The deploy guard as a CI step: action.yml (a composite action) and the example workflow in
// docs/ are well-formed, agree with each other and with the CLI's flags, and the action's script,
// run as GitHub runs it, fails the job when Bosun refuses and writes the answer to the summary.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, testServer } from "../support/app.js";
import { BIN, tempDir } from "../support/cli.js";

interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}
interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs?: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}
interface Workflow {
  name?: string;
  on: unknown;
  jobs: Record<string, { "runs-on": unknown; steps: Step[] }>;
}

const readYaml = <T>(file: string) => parse(readFileSync(path.join(ROOT, file), "utf8")) as T;
const action = readYaml<Action>("action.yml");
const workflow = readYaml<Workflow>("docs/examples/deploy-workflow.yml");

/** The workflow steps that use this repository's action (`owner/bosun@ref` or a local path). */
const usesAction = (step: Step) => /^([\w.-]+\/bosun@[\w./-]+|\.\/?)$/.test(step.uses ?? "");

/** The long flags a `bosun ... --help` lists. */
function helpFlags(...args: string[]): Set<string> {
  const r = spawnSync(process.execPath, [BIN, ...args, "--help"], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return new Set([...r.stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

const flagsIn = (text: string) => [...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]);

describe("action.yml", () => {
  it("is a composite action whose every step names its shell", () => {
    expect(action.name).toBeTruthy();
    expect(action.description).toBeTruthy();
    expect(action.runs.using).toBe("composite");
    expect(action.runs.steps.length).toBeGreaterThan(0);
    for (const step of action.runs.steps) {
      expect(step.run !== undefined || step.uses !== undefined, step.name).toBe(true);
      if (step.run !== undefined) expect(step.shell, step.name).toBe("bash");
    }
  });

  it("declares the inputs: server, environment and image required; override, token, version not", () => {
    const required = Object.entries(action.inputs)
      .filter(([, i]) => i.required === true)
      .map(([k]) => k);
    expect(required.sort()).toEqual(["environment", "image", "server"]);
    expect(Object.keys(action.inputs).sort()).toEqual(
      ["environment", "image", "override", "server", "token", "version"].sort(),
    );
    expect(action.inputs.version?.default).toBe("latest");
    for (const [name, input] of Object.entries(action.inputs))
      expect(input.description, name).toBeTruthy();
  });

  it("passes inputs to its script through the environment only, and only declared ones", () => {
    for (const step of action.runs.steps) {
      expect(step.run ?? "", "no expression pasted into a script").not.toMatch(/\$\{\{/);
      for (const [name, value] of Object.entries(step.env ?? {})) {
        const m = String(value).match(/^\$\{\{ inputs\.([\w-]+) \}\}$/);
        expect(m, `${name}: ${value}`).not.toBe(null);
        expect(action.inputs, name).toHaveProperty(m![1]!);
      }
    }
    const env = action.runs.steps[0]?.env ?? {};
    expect(env.BOSUN_API_TOKEN).toMatch(/^\$\{\{ inputs\.token \}\}$/);
    for (const [name, output] of Object.entries(action.outputs ?? {}))
      expect(output.value, name).toMatch(/^\$\{\{ steps\.check\.outputs\.[\w-]+ \}\}$/);
  });

  it("runs `npx --yes bosun@<version> deploy check` with flags the CLI accepts", () => {
    const run = action.runs.steps[0]?.run ?? "";
    expect(run).toMatch(/npx --yes "bosun@\$\{BOSUN_DEPLOY_VERSION:-latest\}" "\$\{args\[@\]\}"/);
    const argLines = run.split("\n").filter((l) => /^\s*args\+?=\(/.test(l));
    expect(argLines[0]).toMatch(/^\s*args=\(deploy check /);
    const flags = argLines.flatMap(flagsIn);
    expect(flags.sort()).toEqual(["--env", "--image", "--override", "--server"]);
    const accepted = new Set([...helpFlags("deploy", "check"), ...helpFlags()]);
    for (const flag of flags) expect(accepted, flag).toContain(flag);
  });
});

describe("docs/examples/deploy-workflow.yml", () => {
  it("is a workflow: a trigger, jobs with runs-on and steps that each run or use something", () => {
    expect(workflow.on).toBeTruthy();
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
    for (const [id, job] of Object.entries(workflow.jobs)) {
      expect(job["runs-on"], id).toBeTruthy();
      expect(Array.isArray(job.steps), id).toBe(true);
      for (const step of job.steps) {
        expect((step.run === undefined) !== (step.uses === undefined), JSON.stringify(step)).toBe(
          true,
        );
      }
    }
  });

  it("uses the action before the deploy, with declared inputs only and every required one", () => {
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const guard = steps.findIndex(usesAction);
    expect(guard, "a step uses <owner>/bosun@<ref>").toBeGreaterThanOrEqual(0);
    expect(steps.findIndex((s) => s.name === "Deploy")).toBeGreaterThan(guard);
    for (const step of steps.filter(usesAction)) {
      const given = Object.keys(step.with ?? {});
      for (const key of given) expect(action.inputs, `with: ${key}`).toHaveProperty(key);
      for (const [name, input] of Object.entries(action.inputs))
        if (input.required) expect(given, `required input ${name}`).toContain(name);
    }
  });

  it("records the deploy with flags `bosun deploy record` accepts", () => {
    const runs = Object.values(workflow.jobs)
      .flatMap((j) => j.steps)
      .flatMap((s) => (s.run?.includes("deploy record") ? [s.run] : []));
    expect(runs.length).toBe(1);
    const accepted = new Set([...helpFlags("deploy", "record"), ...helpFlags()]);
    const flags = flagsIn(runs[0]!.split("deploy record")[1] ?? "");
    expect(flags.length).toBeGreaterThan(0);
    for (const flag of flags) expect(accepted, flag).toContain(flag);
  });
});

describe("the action's script against a Bosun server", () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let url: string;
  const dir = tempDir("bosun-action-");

  beforeAll(async () => {
    // Tue 2026-11-24 10:00 PST: inside dogfood's no-deploy hours (R27).
    server = await testServer();
    url = await server.app.listen({ port: 0, host: "127.0.0.1" });
    // `npx --yes bosun@<version>` without a registry: the compiled CLI, and what npx was asked.
    mkdirSync(path.join(dir, "bin"));
    const npx = path.join(dir, "bin", "npx");
    writeFileSync(
      npx,
      `#!/bin/sh\n[ "$1" = "--yes" ] || exit 97\nshift\nprintf '%s\\n' "$1" >>"${path.join(dir, "npx.log")}"\ncase "$1" in bosun@*) shift ;; *) exit 98 ;; esac\nexec "${process.execPath}" "${BIN}" "$@"\n`,
    );
    chmodSync(npx, 0o755);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the action's step as a runner does: inputs into its env, bash -eo pipefail. */
  function runAction(inputs: Record<string, string>, name: string) {
    const step = action.runs.steps[0]!;
    const value = (expr: string) => {
      const input = expr.match(/^\$\{\{ inputs\.([\w-]+) \}\}$/)![1]!;
      return inputs[input] ?? action.inputs[input]?.default ?? "";
    };
    const files = {
      script: path.join(dir, `${name}.sh`),
      output: path.join(dir, `${name}.output`),
      summary: path.join(dir, `${name}.summary`),
    };
    writeFileSync(files.script, step.run!);
    writeFileSync(files.output, "");
    writeFileSync(files.summary, "");
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      DATABASE_URL: "",
      BOSUN_SERVER: "",
      BOSUN_CONFIG: "",
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, value(v)])),
    };
    return new Promise<{ code: number | null; log: string; outputs: string; summary: string }>(
      (resolve) => {
        const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", files.script], {
          cwd: dir,
          env,
        });
        let log = "";
        child.stdout.on("data", (d) => (log += d));
        child.stderr.on("data", (d) => (log += d));
        child.on("close", (code) =>
          resolve({
            code,
            log,
            outputs: readFileSync(files.output, "utf8"),
            summary: readFileSync(files.summary, "utf8"),
          }),
        );
      },
    );
  }

  const image = "fleetdm/fleet:v4.62.0";

  it("R27: a refused deploy fails the step (exit 1) and the summary says why", async () => {
    const r = await runAction({ server: url, environment: "dogfood", image }, "refused");
    expect(r.code, r.log).toBe(1);
    expect(r.outputs).toContain("allowed=false\n");
    expect(r.outputs).toContain("verdict=refused\n");
    expect(r.summary).toMatch(/^### Bosun deploy check: Refused\n/);
    expect(r.summary).toContain(`Refused: ${image} to dogfood`);
    expect(r.summary).toMatch(/NO {2}R27: .*inside dogfood's no-deploy hours/);
    expect(r.log).toMatch(/::stop-commands::(bosun-\d+)\n[\s\S]*Refused: [\s\S]*\n::\1::\n/);
    expect(r.log).toContain("::error title=Bosun refused the deploy::");
    expect(readFileSync(path.join(dir, "npx.log"), "utf8")).toBe("bosun@latest\n");
  });

  it("R27: with an override the deploy is allowed (exit 0), the version input is used", async () => {
    const r = await runAction(
      {
        server: url,
        environment: "dogfood",
        image,
        override: "agreed in #g-sales",
        version: "0.1.0",
        token: "t0ken-for-later",
      },
      "allowed",
    );
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toContain("allowed=true\n");
    expect(r.summary).toMatch(/^### Bosun deploy check: Allowed\n/);
    expect(r.summary).toContain(`Allowed: ${image} to dogfood`);
    expect(r.log).not.toContain("::error");
    expect(readFileSync(path.join(dir, "npx.log"), "utf8")).toMatch(/\nbosun@0\.1\.0\n$/);
  });

  it("bad input fails the step with exit 2 and an error verdict", async () => {
    const r = await runAction({ server: url, environment: "prod", image }, "bad");
    expect(r.code, r.log).toBe(2);
    expect(r.outputs).toContain("verdict=error\n");
    expect(r.summary).toContain("Not checked (exit code 2)");
    expect(r.summary).toContain('no environment "prod" in deployGuard.environments');
  });
});
