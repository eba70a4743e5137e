import { generateKeyPairSync } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { quiet } from "./helpers.js";

// The plugins Bosun's GitHub layer uses must read the emulator's answers as GitHub's.

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ size: 100, seed: 8 });
});
afterAll(async () => emu?.close());

describe("@octokit/plugin-throttling", () => {
  it("recognises the primary and the secondary rate limit and retries after them", async () => {
    const seen: string[] = [];
    const Throttled = Octokit.plugin(throttling);
    const octokit = new Throttled({
      baseUrl: emu.url,
      log: quiet,
      throttle: {
        onRateLimit: (after: number) => {
          seen.push(`primary ${after}`);
          return true;
        },
        onSecondaryRateLimit: (after: number) => {
          seen.push(`secondary ${after}`);
          return true;
        },
      },
    });
    emu.admin.addFault({ kind: "secondary-rate-limit", retryAfter: 1, count: 1 });
    const first = await octokit.issues.listForRepo({ owner: "fleetdm", repo: "fleet" });
    expect(first.status).toBe(200);
    emu.admin.addFault({ kind: "primary-rate-limit", retryAfter: 0, count: 1 });
    const second = await octokit.issues.listForRepo({ owner: "fleetdm", repo: "fleet" });
    expect(second.status).toBe(200);
    expect(seen[0]).toBe("secondary 1");
    expect(seen[1]).toMatch(/^primary [0-2]$/);
  });
});

describe("@octokit/auth-app", () => {
  it("gets an installation token from the emulator and acts as the App's bot", async () => {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const app = new Octokit({
      baseUrl: emu.url,
      log: quiet,
      authStrategy: createAppAuth,
      auth: { appId: 900001, privateKey },
    });
    const { data: installation } = await app.apps.getRepoInstallation({
      owner: "fleetdm",
      repo: "fleet",
    });
    const octokit = new Octokit({
      baseUrl: emu.url,
      log: quiet,
      authStrategy: createAppAuth,
      auth: { appId: 900001, privateKey, installationId: installation.id },
    });
    const comment = await octokit.issues.createComment({
      owner: "fleetdm",
      repo: "fleet",
      issue_number: 1,
      body: "Bosun was here",
    });
    expect(comment.data.user).toMatchObject({ login: "bosun[bot]", type: "Bot" });
  });
});
