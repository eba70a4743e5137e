import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServer } from "./support/app.js";
import { chromiumAvailable, launchChromium } from "./support/browser.js";

const available = chromiumAvailable();

describe.skipIf(!available)("dashboard shell in headless Chromium", () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let url: string;

  beforeAll(async () => {
    server = await testServer();
    url = await server.app.listen({ port: 0, host: "127.0.0.1" });
    chrome = await launchChromium();
  });

  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it("shows the repositories, the handbook roles, recent actions and the rules", async () => {
    const page = await chrome.context.newPage();
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toContain("Bosun");
    await expect(page.locator("#repositories h2").textContent()).resolves.toBe("Repositories");
    const rows = page.locator("#repositories tbody tr");
    await expect(rows.count()).resolves.toBe(server.config.repositories.length);
    await expect(rows.first().textContent()).resolves.toContain(
      `${server.config.organisation}/${server.config.repositories[0]!.name}`,
    );
    await expect(page.locator("#repositories").textContent()).resolves.toContain("not synced yet");
    await expect(page.locator("#handbook").textContent()).resolves.toContain(
      server.config.productGroups[0]!.label,
    );
    await expect(page.locator("#recent-actions").textContent()).resolves.toContain(
      "No actions yet",
    );
    await expect(page.locator("#rules").textContent()).resolves.toContain("label-vocabulary");
    await page.close();
  });
});
