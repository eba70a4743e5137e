import { UserError } from "../errors.js";
import type { EmulatorCliOptions } from "../main.js";

export async function emulator(opts: EmulatorCliOptions): Promise<void> {
  const { runEmulatorCli, EmulatorUsageError } = await import("../../../emulator/index.js");
  if (opts.until !== undefined && Number.isNaN(Date.parse(opts.until))) {
    throw new UserError(
      `--until must be an ISO 8601 date such as 2026-06-30; found ${JSON.stringify(opts.until)}`,
    );
  }
  try {
    await runEmulatorCli({
      port: opts.port,
      host: opts.host,
      size: opts.size,
      seed: opts.seed,
      data: opts.data,
      until: opts.until,
      webhook: opts.webhook,
      secret: opts.secret,
      activity: opts.activity,
      activityIntervalMs: opts.activityInterval,
    });
  } catch (err) {
    if (err instanceof EmulatorUsageError) throw new UserError(err.message);
    throw err;
  }
}
