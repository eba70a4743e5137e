import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";

let emu: RunningEmulator;
const issuesUrl = () => `${emu.url}/repos/fleetdm/fleet/issues`;

beforeAll(async () => {
  emu = await startEmulator({ size: 300, seed: 11, rateLimit: 50 });
});
afterAll(async () => emu?.close());
afterEach(() => {
  emu.admin.clearFaults();
  emu.admin.resetRequests();
});

describe("pagination", () => {
  it("answers per_page (capped at 100) with Link rel next/last/prev/first", async () => {
    const first = await fetch(`${issuesUrl()}?state=all&per_page=500`);
    expect(((await first.json()) as unknown[]).length).toBe(100);
    const link = first.headers.get("link")!;
    expect(link).toMatch(/page=2>; rel="next"/);
    expect(link).toMatch(/rel="last"/);
    expect(link).not.toMatch(/rel="prev"/);
    const second = await fetch(`${issuesUrl()}?state=all&per_page=100&page=2`);
    expect(second.headers.get("link")).toMatch(
      /rel="prev".*rel="first"|rel="first".*rel="prev"|rel="prev"/,
    );
    const defaults = (await (await fetch(`${issuesUrl()}?state=all`)).json()) as unknown[];
    expect(defaults.length).toBe(30);
  });

  it("octokit.paginate walks every page exactly once", async () => {
    const octokit = new Octokit({ baseUrl: emu.url });
    const all = await octokit.paginate(octokit.issues.listForRepo, {
      owner: "fleetdm",
      repo: "fleet",
      state: "all",
      per_page: 25,
    });
    const numbers = all.map((i) => i.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.length).toBe(emu.admin.core.state.repo("fleetdm", "fleet")!.issues.length);
  });
});

describe("issue filters with GitHub's semantics", () => {
  type I = {
    number: number;
    state: string;
    labels: { name: string }[];
    milestone: unknown;
    assignees: unknown[];
    user: { login: string };
    pull_request?: unknown;
    created_at: string;
    updated_at: string;
    comments: number;
  };
  const list = async (query: string): Promise<I[]> => {
    const octokit = new Octokit({ baseUrl: emu.url });
    return (await octokit.paginate(`GET /repos/fleetdm/fleet/issues?${query}`, {
      per_page: 100,
    })) as I[];
  };

  it("state defaults to open; closed and all work; PRs come with a pull_request key", async () => {
    const open = await list("");
    expect(open.every((i) => i.state === "open")).toBe(true);
    const closed = await list("state=closed");
    expect(closed.every((i) => i.state === "closed")).toBe(true);
    const all = await list("state=all");
    expect(all.length).toBe(open.length + closed.length);
    expect(all.some((i) => i.pull_request)).toBe(true);
  });

  it("labels must all match, case-insensitively", async () => {
    const both = await list("state=all&labels=BUG,~released%20bug");
    expect(both.length).toBeGreaterThan(0);
    for (const i of both)
      expect(i.labels.map((l) => l.name)).toEqual(expect.arrayContaining(["bug", "~released bug"]));
  });

  it("milestone takes a number, * and none; assignee takes a login, * and none; creator a login", async () => {
    expect((await list("state=all&milestone=none")).every((i) => i.milestone === null)).toBe(true);
    expect((await list("state=all&milestone=*")).every((i) => i.milestone !== null)).toBe(true);
    const inOne = await list("state=all&milestone=1");
    expect(inOne.every((i) => (i.milestone as { number: number }).number === 1)).toBe(true);
    expect((await list("state=all&assignee=none")).every((i) => i.assignees.length === 0)).toBe(
      true,
    );
    expect((await list("state=all&assignee=*")).every((i) => i.assignees.length > 0)).toBe(true);
    const byBot = await list("state=all&creator=dependabot[bot]");
    expect(byBot.length).toBeGreaterThan(0);
    expect(byBot.every((i) => i.user.login === "dependabot[bot]")).toBe(true);
  });

  it("since keeps items updated at or after it; sort and direction order the list", async () => {
    const all = await list("state=all");
    const median = all.map((i) => i.updated_at).sort()[Math.floor(all.length / 2)]!;
    const since = await list(`state=all&since=${median}`);
    expect(since.every((i) => i.updated_at >= median)).toBe(true);
    const asc = await list("state=all&sort=updated&direction=asc");
    expect(asc.map((i) => i.updated_at)).toEqual(asc.map((i) => i.updated_at).sort());
    const created = await list("state=all");
    expect(created.map((i) => i.created_at)).toEqual(
      created
        .map((i) => i.created_at)
        .sort()
        .reverse(),
    );
    const comments = await list("state=all&sort=comments");
    expect(comments[0]!.comments).toBeGreaterThanOrEqual(comments.at(-1)!.comments);
  });
});

describe("conditional requests and rate limits", () => {
  it("answers 304 to a matching If-None-Match without spending the rate limit", async () => {
    const first = await fetch(`${issuesUrl()}?per_page=5`);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const remaining = Number(first.headers.get("x-ratelimit-remaining"));
    const again = await fetch(`${issuesUrl()}?per_page=5`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(Number(again.headers.get("x-ratelimit-remaining"))).toBe(remaining);
    expect(again.headers.get("x-ratelimit-resource")).toBe("core");
    const changed = await fetch(`${issuesUrl()}?per_page=6`, {
      headers: { "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(Number(changed.headers.get("x-ratelimit-remaining"))).toBe(remaining - 1);
  });

  it("answers 403 with x-ratelimit-remaining 0 once the budget is spent", async () => {
    const token = { authorization: "token emulator:budget-test" };
    let last: Response | undefined;
    for (let i = 0; i < 51; i++)
      last = await fetch(`${issuesUrl()}?per_page=1&page=${i + 1}`, { headers: token });
    expect(last!.status).toBe(403);
    expect(last!.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(((await last!.json()) as { message: string }).message).toMatch(
      /API rate limit exceeded/,
    );
  });

  it("fault switches: primary and secondary limits, 5xx and slow answers, for N requests or a path", async () => {
    emu.admin.addFault({ kind: "primary-rate-limit", count: 1 });
    const primary = await fetch(issuesUrl());
    expect(primary.status).toBe(403);
    expect(primary.headers.get("x-ratelimit-remaining")).toBe("0");
    expect((await fetch(issuesUrl())).status).toBe(200);

    emu.admin.addFault({ kind: "secondary-rate-limit", status: 429, retryAfter: 7, count: 1 });
    const secondary = await fetch(issuesUrl());
    expect(secondary.status).toBe(429);
    expect(secondary.headers.get("retry-after")).toBe("7");

    const added = await fetch(`${emu.url}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        kind: "server-error",
        status: 503,
        path: "^GET /repos/[^/]+/[^/]+/labels$",
        count: 2,
      }),
    });
    expect(added.status).toBe(201);
    expect((await fetch(issuesUrl())).status).toBe(200);
    expect((await fetch(`${emu.url}/repos/fleetdm/fleet/labels`)).status).toBe(503);
    expect((await fetch(`${emu.url}/repos/fleetdm/fleet/labels`)).status).toBe(503);
    expect((await fetch(`${emu.url}/repos/fleetdm/fleet/labels`)).status).toBe(200);

    emu.admin.addFault({ kind: "slow", delayMs: 150, count: 1 });
    const started = performance.now();
    expect((await fetch(issuesUrl())).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("counts requests per endpoint for benchmarks", async () => {
    await fetch(issuesUrl());
    await fetch(`${issuesUrl()}/1`);
    await fetch(`${issuesUrl()}/2`);
    const counts = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as {
      total: number;
      byEndpoint: Record<string, number>;
    };
    expect(counts.byEndpoint).toEqual({
      "GET /repos/:owner/:repo/issues": 1,
      "GET /repos/:owner/:repo/issues/:issue_number": 2,
    });
    expect(counts.total).toBe(3);
  });
});

describe("bad input gets GitHub's status codes and bodies", () => {
  const post = (path: string, body: string) =>
    fetch(`${emu.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });

  it("unknown endpoints and objects: 404 with GitHub's body, never a silent 200", async () => {
    for (const path of [
      "/repos/fleetdm/fleet/hooks",
      "/nope",
      "/repos/fleetdm/nope",
      "/repos/fleetdm/fleet/issues/999999",
    ]) {
      const response = await fetch(`${emu.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        message: "Not Found",
        documentation_url: "https://docs.github.com/rest",
        status: "404",
      });
    }
  });

  it("malformed JSON: 400 Problems parsing JSON", async () => {
    const response = await post("/repos/fleetdm/fleet/issues", "{not json");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe("Problems parsing JSON");
  });

  it("missing fields, unknown labels and milestones: 422 Validation Failed with errors", async () => {
    const missing = await post("/repos/fleetdm/fleet/issues", JSON.stringify({ body: "no title" }));
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "Issue", field: "title", code: "missing_field" }],
    });
    const label = await post(
      "/repos/fleetdm/fleet/issues",
      JSON.stringify({ title: "x", labels: ["no such label"] }),
    );
    expect(label.status).toBe(422);
    expect(await label.json()).toMatchObject({
      errors: [{ resource: "Label", field: "name", code: "invalid" }],
    });
    const milestone = await post(
      "/repos/fleetdm/fleet/issues",
      JSON.stringify({ title: "x", milestone: 4242 }),
    );
    expect(milestone.status).toBe(422);
    expect(await milestone.json()).toMatchObject({
      errors: [{ resource: "Issue", field: "milestone", code: "invalid" }],
    });
    const before = emu.admin.core.state.repo("fleetdm", "fleet")!.issues.length;
    expect(before).toBe(emu.admin.core.state.repo("fleetdm", "fleet")!.repo.nextNumber - 1);
  });
});
