import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";
import { emulatorClient } from "../support/github.js";

// GitHub refuses deep pages on repository-wide lists with 422; per-issue lists are not capped.
describe("the emulator's deep-pagination cap", () => {
  let emu: RunningEmulator;
  const repo = { owner: "fleetdm", repo: "fleet" };
  const setCap = (pages: number | null) =>
    fetch(`${emu.url}/_emulator/pagination-cap`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pages }),
    });

  beforeAll(async () => {
    emu = await startEmulator({ size: 80, seed: 5, paginationCap: 2 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it("answers pages past the cap on every repository-wide list with GitHub's 422", async () => {
    const gh = emulatorClient(emu.url);
    const lists = [
      "GET /repos/{owner}/{repo}/issues",
      "GET /repos/{owner}/{repo}/issues/comments",
      "GET /repos/{owner}/{repo}/issues/events",
      "GET /repos/{owner}/{repo}/pulls",
    ] as const;
    for (const route of lists) {
      const first = await gh.request(route, { ...repo, state: "all", per_page: 1 });
      expect(first.headers.link, route).toMatch(/page=2>; rel="last"/);
      const second = await gh.request(route, { ...repo, state: "all", per_page: 1, page: 2 });
      expect(second.status, route).toBe(200);
      expect(second.headers.link ?? "", route).not.toMatch(/rel="next"/);
      const third = gh.request(route, { ...repo, state: "all", per_page: 1, page: 3 });
      await expect(third, route).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining("pagination is limited for this resource"),
      });
    }
  });

  it("leaves per-issue lists alone, and the admin switch turns the cap off and on", async () => {
    const gh = emulatorClient(emu.url);
    const events = await gh.request("GET /repos/{owner}/{repo}/issues/events", {
      ...repo,
      per_page: 1,
    });
    const busy = (events.data as { issue: { number: number } }[])[0]!.issue.number;
    const perIssue = await gh.request("GET /repos/{owner}/{repo}/issues/{issue_number}/events", {
      ...repo,
      issue_number: busy,
      per_page: 1,
      page: 3,
    });
    expect(perIssue.status).toBe(200);

    expect((await setCap(0)).status).toBe(400);
    expect(await (await setCap(null)).json()).toEqual({ pages: null });
    const deep = await gh.request("GET /repos/{owner}/{repo}/issues", {
      ...repo,
      state: "all",
      per_page: 1,
      page: 5,
    });
    expect(deep.status).toBe(200);
    await setCap(2);
    await expect(
      gh.request("GET /repos/{owner}/{repo}/issues", {
        ...repo,
        state: "all",
        per_page: 1,
        page: 5,
      }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
