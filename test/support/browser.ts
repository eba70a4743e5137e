// Debian's Chromium, never a downloaded one, started with the flags this closed network needs.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import type { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll } from "vitest";
import { testServer } from "./app.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** False on a laptop without Chromium (tests skip with a message); in CI a missing browser fails. */
export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env.CI)
    throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  if (!available)
    console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  return available;
}

export async function launchChromium(): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const profile = mkdtempSync(path.join(tmpdir(), "bosun-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-sync",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

type TestServer = Awaited<ReturnType<typeof testServer>>;

/**
 * A test server (clock `now`, data from `seed`) listening on a free port and a fresh Chromium,
 * started before the describe block's tests and closed after them. `seed` may return a cleanup.
 */
export function dashboardInChromium(
  options: {
    now?: Temporal.Instant;
    seed?: (server: TestServer) => Promise<(() => Promise<void>) | undefined | void>;
    timeoutMs?: number;
  } = {},
): { server: TestServer; url: string; chrome: Awaited<ReturnType<typeof launchChromium>> } {
  const handle = {} as ReturnType<typeof dashboardInChromium>;
  let cleanup: (() => Promise<void>) | undefined | void;
  beforeAll(async () => {
    handle.server = await testServer(options.now);
    cleanup = await options.seed?.(handle.server);
    handle.url = await handle.server.app.listen({ port: 0, host: "127.0.0.1" });
    handle.chrome = await launchChromium();
  }, options.timeoutMs);
  afterAll(async () => {
    await handle.chrome?.close();
    await handle.server?.close();
    await cleanup?.();
  });
  return handle;
}
