import type { EmulatorCliOptions } from "../main.js";

export async function emulator(opts: EmulatorCliOptions): Promise<void> {
  const [{ startEmulator }, { progressReporter }] = await Promise.all([
    import("../../../emulator/index.js"),
    import("../progress.js"),
  ]);
  const progress = progressReporter();
  const emu = await startEmulator({
    port: opts.port,
    host: opts.host,
    size: opts.size,
    seed: opts.seed,
    dataDir: opts.data,
    activity: opts.activity,
    onProgress: progress.update,
  });
  progress.stop();
  process.stdout.write(
    `GitHub emulator at ${emu.url} (seed ${opts.seed}, ${opts.size} issues + PRs${opts.data ? `, state in ${opts.data}` : ""})\n` +
      `  try: curl ${emu.url}/repos/fleetdm/fleet/issues?per_page=5\n` +
      `  Octokit: new Octokit({ baseUrl: "${emu.url}", auth: "any-token" })\n`,
  );
  const stop = async () => {
    await emu.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}
