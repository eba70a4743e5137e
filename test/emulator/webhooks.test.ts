import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookContract } from "../../emulator/contract/validator.js";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { recordingOctokit } from "./helpers.js";

interface Received {
  event: string;
  delivery: string;
  signature: string;
  body: string;
}

/** A local receiver on 127.0.0.1 that can be told to fail the next N deliveries. */
async function receiver(): Promise<{
  server: Server;
  url: string;
  received: Received[];
  failNext: (n: number) => void;
}> {
  const received: Received[] = [];
  let failures = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      if (failures > 0) {
        failures -= 1;
        response.writeHead(503).end();
        return;
      }
      received.push({
        event: String(request.headers["x-github-event"]),
        delivery: String(request.headers["x-github-delivery"]),
        signature: String(request.headers["x-hub-signature-256"]),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    failNext: (n) => (failures = n),
  };
}

const SECRET = "s3cret";
let emu: RunningEmulator;
let hook: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  hook = await receiver();
  emu = await startEmulator({
    size: 100,
    seed: 5,
    webhooks: [{ url: hook.url, secret: SECRET }],
    webhookDelivery: { baseDelayMs: 20, attempts: 3 },
  });
});
afterAll(async () => {
  await emu?.close();
  hook?.server.close();
});

describe("webhooks", () => {
  it("sends every event the emulator emits, signed, and valid against @octokit/webhooks-schemas", async () => {
    const o = recordingOctokit(emu.url, []);
    const repo = { owner: "fleetdm", repo: "fleet" };
    const issue = await o.issues.create({
      ...repo,
      title: "Crash",
      labels: ["bug"],
      assignees: ["mna"],
      milestone: 1,
    });
    const n = issue.data.number;
    await o.issues.update({
      ...repo,
      issue_number: n,
      title: "Crash on login",
      body: "details",
      milestone: null,
    });
    await o.issues.removeLabel({ ...repo, issue_number: n, name: "bug" });
    await o.issues.removeAssignees({ ...repo, issue_number: n, assignees: ["mna"] });
    await o.issues.createComment({ ...repo, issue_number: n, body: "Seen it" });
    await o.issues.update({ ...repo, issue_number: n, state: "closed" });
    await o.issues.update({ ...repo, issue_number: n, state: "open" });
    await o.issues.createLabel({ ...repo, name: "customer-soylent", color: "00ff00" });
    const ms = await o.issues.createMilestone({ ...repo, title: "5.0.0" });
    await o.issues.updateMilestone({
      ...repo,
      milestone_number: ms.data.number,
      description: "Five",
      state: "closed",
    });
    const main = await o.git.getRef({ ...repo, ref: "heads/main" });
    await o.git.createRef({ ...repo, ref: "refs/heads/hooks-branch", sha: main.data.object.sha });
    await o.repos.createOrUpdateFileContents({
      ...repo,
      path: "hooks.txt",
      message: "hooks",
      content: Buffer.from("x").toString("base64"),
      branch: "hooks-branch",
    });
    const pr = await o.pulls.create({
      ...repo,
      title: "Hooks",
      head: "hooks-branch",
      base: "main",
      draft: true,
    });
    const p = pr.data.number;
    await o.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
      ...repo,
      pull_number: p,
      draft: false,
    });
    await o.issues.addLabels({ ...repo, issue_number: p, labels: ["P2"] });
    await o.pulls.update({ ...repo, pull_number: p, title: "Hooks!" });
    const rv = await o.pulls.createReview({
      ...repo,
      pull_number: p,
      event: "REQUEST_CHANGES",
      body: "no",
    });
    await o.pulls.dismissReview({ ...repo, pull_number: p, review_id: rv.data.id, message: "ok" });
    await o.pulls.merge({ ...repo, pull_number: p });
    await o.git.deleteRef({ ...repo, ref: "heads/hooks-branch" });
    await o.repos.createRelease({ ...repo, tag_name: "fleet-v5.0.0" });
    await o.repos.createCommitStatus({
      ...repo,
      sha: main.data.object.sha,
      state: "pending",
      context: "ci",
    });
    const run = await o.checks.create({ ...repo, name: "ci", head_sha: main.data.object.sha });
    await o.checks.update({ ...repo, check_run_id: run.data.id, conclusion: "failure" });
    const closedPr = await (async () => {
      await o.git.createRef({ ...repo, ref: "refs/heads/abandon", sha: main.data.object.sha });
      await o.repos.createOrUpdateFileContents({
        ...repo,
        path: "abandon.txt",
        message: "a",
        content: "YQ==",
        branch: "abandon",
      });
      return o.pulls.create({ ...repo, title: "Abandon", head: "abandon", base: "main" });
    })();
    await o.pulls.update({ ...repo, pull_number: closedPr.data.number, state: "closed" });
    await emu.admin.idle();

    const contract = new WebhookContract();
    const kinds = new Set<string>();
    const problems: string[] = [];
    for (const r of hook.received) {
      expect(await verify(SECRET, r.body, r.signature)).toBe(true);
      expect(r.delivery).toMatch(/^[0-9a-f-]{36}$/);
      const payload = JSON.parse(r.body);
      kinds.add(payload.action ? `${r.event}.${payload.action}` : r.event);
      problems.push(...contract.check(r.event, payload));
    }
    expect([...new Set(problems.map((p) => p.replace(/\/\d+\//g, "/*/")))]).toEqual([]);
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        "issues.opened",
        "issues.labeled",
        "issues.unlabeled",
        "issues.assigned",
        "issues.unassigned",
        "issues.milestoned",
        "issues.demilestoned",
        "issues.edited",
        "issues.closed",
        "issues.reopened",
        "issue_comment.created",
        "label.created",
        "milestone.created",
        "milestone.edited",
        "milestone.closed",
        "create",
        "push",
        "delete",
        "pull_request.opened",
        "pull_request.ready_for_review",
        "pull_request.labeled",
        "pull_request.edited",
        "pull_request.closed",
        "pull_request_review.submitted",
        "pull_request_review.dismissed",
        "release.created",
        "release.published",
        "status",
        "check_run.created",
        "check_run.completed",
      ]),
    );
  });

  it("retries a failed delivery with backoff and can redeliver it by id", async () => {
    const before = hook.received.length;
    hook.failNext(2);
    const o = recordingOctokit(emu.url, []);
    await o.issues.create({ owner: "fleetdm", repo: "fleet", title: "Retry me" });
    await emu.admin.idle();
    const delivered = hook.received.slice(before);
    expect(delivered.map((r) => r.event)).toEqual(["issues"]);
    const log = (await (await fetch(`${emu.url}/_emulator/deliveries`)).json()) as {
      id: number;
      guid: string;
      status: string;
      attempts: unknown[];
    }[];
    const latest = log[0]!;
    expect(latest.status).toBe("delivered");
    expect(latest.attempts).toHaveLength(3);
    const again = await fetch(`${emu.url}/_emulator/deliveries/${latest.id}/redeliver`, {
      method: "POST",
    });
    expect(again.status).toBe(202);
    await emu.admin.idle();
    const last = hook.received.at(-1)!;
    expect(last.delivery).toBe(latest.guid);
    expect(last.body).toBe(delivered[0]!.body);
  });
});
