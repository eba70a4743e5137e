// Bosun as a GitHub App: app.yml asks for what the code needs (every effect the applier performs,
// every webhook event the worker handles) and `bosun app manifest` prints it without secrets.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EffectType } from "../../src/effects/effects.js";
import {
  type AppDefinition,
  appDefinitionPath,
  appManifest,
  readAppDefinition,
} from "../../src/github/app-manifest.js";
import { HANDLED_EVENTS } from "../../src/github/webhooks/events.js";
import { ROOT } from "../support/app.js";
import { bosun, tempDir } from "../support/cli.js";

type Level = "read" | "write";
type Need = { permission: string; level: Level };

/**
 * The GitHub permission each effect's API calls need (src/github/applier.ts). A Record, so a new
 * effect type without a row here does not compile; `null`: not a GitHub call.
 */
const EFFECT_PERMISSIONS: Record<EffectType, Need | null> = {
  createLabel: { permission: "issues", level: "write" },
  createIssue: { permission: "issues", level: "write" },
  // The issues API, on issues and on pull requests: a pull request needs pull_requests.
  addLabels: { permission: "pull_requests", level: "write" },
  removeLabel: { permission: "pull_requests", level: "write" },
  comment: { permission: "pull_requests", level: "write" },
  closeIssue: { permission: "issues", level: "write" },
  assign: { permission: "pull_requests", level: "write" },
  setMilestone: { permission: "pull_requests", level: "write" },
  setCommitStatus: { permission: "statuses", level: "write" },
  createRef: { permission: "contents", level: "write" },
  renameMilestone: { permission: "issues", level: "write" },
  closeMilestone: { permission: "issues", level: "write" },
  createMilestone: { permission: "issues", level: "write" },
  setVariable: { permission: "actions_variables", level: "write" },
  notify: null, // Slack, not GitHub
  // GitHub Projects boards of the organisation (GraphQL); label boards use the issues API.
  moveToColumn: { permission: "organization_projects", level: "write" },
};

/** The same effects on issues need issues: write too (the issues API on an issue). */
const ALSO_ON_ISSUES: EffectType[] = [
  "addLabels",
  "removeLabel",
  "comment",
  "assign",
  "setMilestone",
];

/** What GitHub requires of an App to deliver each event (GitHub's webhook events reference). */
const EVENT_PERMISSIONS: Record<string, string[]> = {
  issues: ["issues"],
  issue_comment: ["issues", "pull_requests"],
  pull_request: ["pull_requests"],
  pull_request_review: ["pull_requests"],
  label: ["metadata"],
  milestone: ["issues", "pull_requests"],
  push: ["contents"],
  create: ["contents"],
  delete: ["contents"],
  release: ["contents"],
  status: ["statuses"],
  check_run: ["checks"],
  organization: ["members"],
  membership: ["members"],
  member: ["members"],
};

/** Sync reads (src/github/sync.ts, pull-files.ts): the permission each needs, at least read. */
const SYNC_READS: Record<string, string> = {
  "repos.get": "metadata",
  "GET /repos/{owner}/{repo}/labels": "issues",
  "GET /repos/{owner}/{repo}/milestones": "issues",
  "GET /repos/{owner}/{repo}/issues": "issues",
  "GET /repos/{owner}/{repo}/issues/events": "issues",
  "GET /repos/{owner}/{repo}/pulls": "pull_requests",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": "pull_requests",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews": "pull_requests",
  "GET /repos/{owner}/{repo}/git/matching-refs/{ref}": "contents",
  "GET /repos/{owner}/{repo}/issues/comments": "issues",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/events": "issues",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}": "pull_requests",
  // GraphQL: pull requests with their reviews (conversations.ts), branch fields past the limit.
  "pullRequests(": "pull_requests",
};

const source = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const grants = (def: AppDefinition, need: Need) => {
  const level = def.default_permissions[need.permission];
  return level === "write" || level === need.level;
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("app.yml", () => {
  const def = readAppDefinition();

  it("is the package's app.yml, shipped in the npm package", () => {
    expect(appDefinitionPath()).toBe(path.join(ROOT, "app.yml"));
    const pkg = JSON.parse(source("package.json")) as { files?: string[] };
    expect(pkg.files).toContain("app.yml");
  });

  it("subscribes to exactly the events the webhook worker handles", () => {
    expect(new Set(def.default_events).size).toBe(def.default_events.length);
    expect([...def.default_events].sort()).toEqual([...HANDLED_EVENTS].sort());
  });

  it("has each permission GitHub requires to deliver each of its events", () => {
    expect(Object.keys(EVENT_PERMISSIONS).sort()).toEqual([...HANDLED_EVENTS].sort());
    for (const event of def.default_events) {
      const needs = EVENT_PERMISSIONS[event] ?? [];
      expect(
        needs.filter((p) => def.default_permissions[p] !== undefined),
        `${event} needs one of ${needs.join(", ")}`,
      ).not.toEqual([]);
    }
  });

  it("README's webhook step lists the same events", () => {
    const readme = source("README.md");
    const sentence = readme.match(
      /`default_events`(?:\)|\])?: ((?:`[a-z_]+`(?:,\s+|\s+and\s+)?)+)/,
    );
    expect(sentence, "README: the events in app.yml's `default_events`: `issues`, ...").not.toBe(
      null,
    );
    const listed = [...(sentence?.[1] ?? "").matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...HANDLED_EVENTS].sort());
  });

  it("grants what every effect the applier performs needs", () => {
    // Every member of the Effect union (each `type: "..."` of effects.ts): the table covers
    // each, and the applier applies each (the Record type checks the table at compile time).
    const declared = [
      ...new Set(
        [...source("src/effects/effects.ts").matchAll(/\btype: "(\w+)"/g)].map((m) => m[1]),
      ),
    ];
    const applied = [
      ...new Set([...source("src/github/applier.ts").matchAll(/case "(\w+)":/g)].map((m) => m[1])),
    ];
    expect(declared.length).toBeGreaterThan(10);
    expect(Object.keys(EFFECT_PERMISSIONS).sort()).toEqual([...declared].sort());
    expect([...applied].sort()).toEqual([...declared].sort());
    for (const [type, need] of Object.entries(EFFECT_PERMISSIONS)) {
      if (need)
        expect(grants(def, need), `${type} needs ${need.permission}: ${need.level}`).toBe(true);
    }
    for (const type of ALSO_ON_ISSUES) {
      expect(grants(def, { permission: "issues", level: "write" }), type).toBe(true);
    }
  });

  it("grants what every sync read needs, and asks for nothing the code does not use", () => {
    const sync = ["sync.ts", "pull-files.ts", "conversations.ts"]
      .map((f) => source(`src/github/${f}`))
      .join("");
    for (const [call, permission] of Object.entries(SYNC_READS)) {
      expect(sync, call).toContain(call);
      expect(grants(def, { permission, level: "read" }), `${call} needs ${permission}`).toBe(true);
    }
    const used = new Set([
      ...Object.values(EFFECT_PERMISSIONS).flatMap((n) => (n ? [n.permission] : [])),
      ...Object.values(EVENT_PERMISSIONS).flat(),
      ...Object.values(SYNC_READS),
    ]);
    expect(Object.keys(def.default_permissions).filter((p) => !used.has(p))).toEqual([]);
  });

  it("holds no secret: a definition with one is refused, naming the key", () => {
    const dir = tempDir("bosun-app-");
    dirs.push(dir);
    const file = path.join(dir, "app.yml");
    writeFileSync(
      file,
      source("app.yml").replace("  active: true", "  active: true\n  secret: hunter2"),
    );
    expect(() => readAppDefinition(file)).toThrow(/app\.yml hook_attributes: .*secret/);
  });
});

describe("appManifest", () => {
  const def = readAppDefinition();

  it("points every URL below --url, keeping a path prefix", () => {
    const m = appManifest(def, { url: "https://example.org/tools/bosun/", name: "Bosun for us" });
    expect(m).toMatchObject({
      name: "Bosun for us",
      url: "https://example.org/tools/bosun",
      hook_attributes: { url: "https://example.org/tools/bosun/webhooks/github", active: true },
      redirect_url: "https://example.org/tools/bosun/",
      public: false,
    });
    expect(m.default_permissions).toEqual(def.default_permissions);
    expect(m.default_events).toEqual(def.default_events);
    expect(def.url).toBe("https://bosun.example.com"); // the definition itself is unchanged
  });

  it("refuses a URL GitHub could not post to and a name GitHub would refuse", () => {
    for (const url of ["bosun.example.com", "ftp://x", "https://u:p@x.org", "https://x.org/?a=1"])
      expect(() => appManifest(def, { url }), url).toThrow(/^--url: /);
    expect(() => appManifest(def, { name: "x".repeat(35) })).toThrow(/^--name: .*1 to 34/);
    expect(() => appManifest(def, { name: "  " })).toThrow(/^--name: /);
  });
});

describe("bosun app manifest", () => {
  const secret = "whsec-0f9e8d7c6b5a-never-printed";
  const env = {
    BOSUN_WEBHOOK_SECRET: secret,
    GITHUB_TOKEN: "ghp_never_printed_either",
    GITHUB_APP_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----never",
  };

  it("--json prints the manifest with the hook URL derived from --url, and no secret", () => {
    const r = bosun(["app", "manifest", "--url", "https://bosun.example.org", "--json"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const manifest = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      name: "Bosun",
      url: "https://bosun.example.org",
      hook_attributes: { url: "https://bosun.example.org/webhooks/github" },
      redirect_url: "https://bosun.example.org/",
      default_permissions: { issues: "write", metadata: "read" },
    });
    expect([...(manifest.default_events as string[])].sort()).toEqual([...HANDLED_EVENTS].sort());
    const keys: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          keys.push(k);
          walk(x);
        }
    };
    walk(manifest);
    expect(keys.filter((k) => /secret|token|key|password/i.test(k))).toEqual([]);
    for (const value of Object.values(env)) expect(r.stdout + r.stderr).not.toContain(value);
  });

  it("without --json explains how to register it; without --url it warns of the placeholder", () => {
    const r = bosun(["app", "manifest", "--name", "Bosun for fleetdm"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('GitHub App manifest for "Bosun for fleetdm"');
    expect(r.stdout).toContain("/settings/apps/new");
    expect(r.stdout).toContain("https://api.github.com/app-manifests/<code>/conversions");
    expect(r.stderr).toMatch(/^bosun: no --url: .*bosun\.example\.com\/webhooks\/github/);
    for (const value of Object.values(env)) expect(r.stdout + r.stderr).not.toContain(value);
  });

  it("bad input is one line and exit code 2, with nothing on stdout", () => {
    const r = bosun(["app", "manifest", "--url", "bosun.example.org", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^bosun: --url: .*found "bosun\.example\.org"\n$/);
  });
});
