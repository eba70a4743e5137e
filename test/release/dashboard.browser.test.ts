import { describe, expect, it } from "vitest";
import { FULL_SYNC } from "../../src/github/sync.js";
import { chromiumAvailable, dashboardInChromium } from "../support/browser.js";

const available = chromiumAvailable();
const REPO = "fleetdm/fleet";
const at = "2026-11-20T10:00:00Z";

describe.skipIf(!available)("the release train on the dashboard, in headless Chromium", () => {
  // The server's clock: Tuesday 2026-11-24 10:00 PST, release-candidate mode.
  const dash = dashboardInChromium({
    seed: async (server) => {
      const s = server.store;
      await s.setCursor(REPO, FULL_SYNC, { cursor: "complete" });
      await s.upsertTag({ repo: REPO, name: "fleet-v4.62.0", sha: "1".repeat(40) });
      await s.upsertIssues([
        {
          repo: REPO,
          number: 12,
          isPullRequest: false,
          title: "Crash",
          state: "open",
          createdAt: at,
          updatedAt: at,
          labels: ["bug", "~unreleased bug"],
        },
        {
          repo: REPO,
          number: 101,
          isPullRequest: true,
          title: "Fix the crash",
          body: "Fixes #12",
          state: "open",
          createdAt: at,
          updatedAt: at,
          draft: false,
          headRef: "fix",
          headSha: "a".repeat(40),
          baseRef: "main",
        },
        {
          repo: REPO,
          number: 102,
          isPullRequest: true,
          title: "Hosts filters",
          body: "",
          state: "open",
          createdAt: at,
          updatedAt: at,
          draft: false,
          headRef: "feat",
          headSha: "b".repeat(40),
          baseRef: "main",
        },
      ]);
    },
  });

  it("shows the sprint timeline with today, each branch's state and the gate table", async () => {
    const page = await dash.chrome.context.newPage();
    await page.goto(dash.url);
    const section = page.locator("#release-train");
    await expect(section.locator("h2").textContent()).resolves.toBe("Release train");
    await page.waitForSelector("#gate-table tbody tr[data-pr]");
    await expect(section.locator(".train-status").textContent()).resolves.toContain(
      "sprint 15 (2026-11-16 to 2026-12-07)",
    );
    await expect(section.locator(".train-timeline .mark.today").count()).resolves.toBe(1);
    await expect(
      section.locator(".train-timeline .mark[data-kind=rc-cut]").getAttribute("title"),
    ).resolves.toContain("2026-12-04 08:00");
    await expect(
      section.locator('#train-branches tr[data-branch="main"]').textContent(),
    ).resolves.toContain("open");
    const fix = section.locator('#gate-table tr[data-pr="fleetdm/fleet#101"]');
    await expect(fix.getAttribute("data-state")).resolves.toBe("failure");
    await expect(fix.textContent()).resolves.toContain(
      'R8: remove the auto-closing keyword in "Fixes #12"',
    );
    const feature = section.locator('#gate-table tr[data-pr="fleetdm/fleet#102"]');
    await expect(feature.getAttribute("data-state")).resolves.toBe("success");
    await expect(feature.textContent()).resolves.toContain("(not on GitHub yet)");
  });
});
