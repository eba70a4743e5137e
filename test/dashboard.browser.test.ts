import { describe, expect, it } from "vitest";
import { chromiumAvailable, dashboardInChromium } from "./support/browser.js";

const available = chromiumAvailable();

describe.skipIf(!available)("dashboard shell in headless Chromium", () => {
  const dash = dashboardInChromium();

  it("shows the repositories, the handbook roles, recent actions and the rules", async () => {
    const page = await dash.chrome.context.newPage();
    const response = await page.goto(dash.url);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toContain("Bosun");
    await expect(page.locator("#repositories h2").textContent()).resolves.toBe("Repositories");
    const rows = page.locator("#repositories tbody tr");
    await expect(rows.count()).resolves.toBe(dash.server.config.repositories.length);
    await expect(rows.first().textContent()).resolves.toContain(
      `${dash.server.config.organisation}/${dash.server.config.repositories[0]!.name}`,
    );
    await expect(page.locator("#repositories").textContent()).resolves.toContain("not synced yet");
    await expect(page.locator("#handbook").textContent()).resolves.toContain(
      dash.server.config.productGroups[0]!.label,
    );
    await expect(page.locator("#recent-actions").textContent()).resolves.toContain(
      "No actions yet",
    );
    await expect(page.locator("#rules").textContent()).resolves.toContain("label-vocabulary");
    await page.close();
  });
});
