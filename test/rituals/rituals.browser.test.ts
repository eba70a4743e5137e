import { describe, expect, it } from "vitest";
import { chromiumAvailable, dashboardInChromium } from "../support/browser.js";

const available = chromiumAvailable();

describe.skipIf(!available)("the dashboard's rituals in headless Chromium", () => {
  // The server's clock: 2026-11-24; the page asks the server for the next 30 days.
  const dash = dashboardInChromium();

  it("R47: shows the upcoming rituals with date, time, frequency and assignee", async () => {
    const page = await dash.chrome.context.newPage();
    await page.goto(dash.url);
    const rows = page.locator("#rituals-upcoming tbody tr[data-ritual]");
    await rows.first().waitFor();
    const release = page.locator('#rituals-upcoming tr[data-ritual="release-ritual"]');
    await expect(release.count()).resolves.toBe(1);
    await expect(release.textContent()).resolves.toBe(
      "2026-12-09 09:00Release ritualTriweekly@lukeheath—",
    );
    const browser = page.locator(
      '#rituals-upcoming tr[data-ritual="check-browser-compatibility-for-fleetdmcom"]',
    );
    await expect(browser.textContent()).resolves.toContain("fleetdm/fleet [#g-website]");
    await expect(page.locator("#rituals .rituals-status").textContent()).resolves.toMatch(
      /^\d+ occurrences from 2026-11-24 to 2026-12-24 \(America\/Los_Angeles\)/,
    );
    await expect(page.locator("#rituals-recent").textContent()).resolves.toContain(
      "No ritual issues yet.",
    );
    await page.close();
  });
});
