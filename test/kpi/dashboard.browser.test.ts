import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { defaultOrgSpec, startEmulator } from "../../emulator/index.js";
import { syncRepository } from "../../src/github/sync.js";
import { chromiumAvailable, dashboardInChromium } from "../support/browser.js";
import { emulatorClient } from "../support/github.js";

const available = chromiumAvailable();

describe.skipIf(!available)("KPI charts and table on the dashboard, in headless Chromium", () => {
  const dash = dashboardInChromium({
    now: Temporal.Instant.from("2026-11-24T18:00:00Z"),
    seed: async (server) => {
      const emu = await startEmulator({
        size: 300,
        seed: 4,
        org: defaultOrgSpec(new Date("2026-11-20T00:00:00Z")),
      });
      const client = emulatorClient(emu.url, server.store);
      for (const repo of ["fleetdm/fleet", "fleetdm/confidential"])
        await syncRepository({ client, store: server.store }, repo);
      return () => emu.close();
    },
    timeoutMs: 120_000,
  });

  it("R2: a fresh install shows each KPI over past weeks as a chart, and this week as a table", async () => {
    const page = await dash.chrome.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(dash.url);
    await page.locator('#kpi[data-ready="true"]').waitFor({ timeout: 30_000 });
    // 20 charts drawn by uPlot, each with a canvas and its title.
    await expect(page.locator("#kpi .kpi-chart .uplot canvas").count()).resolves.toBe(20);
    await expect(page.locator("#kpi .kpi-chart h3").first().textContent()).resolves.toContain(
      "1. Average days open",
    );
    const box = await page.locator("#kpi .kpi-chart .uplot").first().boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(100);
    // The current week as a table, the CSV row beside it.
    const rows = page.locator("#kpi-table tbody tr");
    await expect(rows.count()).resolves.toBe(20);
    await expect(rows.nth(17).textContent()).resolves.toContain("Open bugs");
    const csv = await page.locator("#kpi .kpi-csv").textContent();
    expect(csv!.split(",")).toHaveLength(20);
    const status = await page.locator("#kpi .kpi-status").textContent();
    expect(status).toMatch(
      /charts: \d+ weekly boundaries \(0 stored snapshots, \d+ replayed from events\)/,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
