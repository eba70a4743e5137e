import type { DataSource } from "../api/views.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { databaseUrl, dataDir, type GlobalOptions, serverUrl } from "./context.js";
import { requireConfig } from "./load.js";

/**
 * Runs a read against the right source: a named or locally running server (which holds the
 * embedded store), else the store itself, opened for the duration of the command.
 * `precheck` validates the command's arguments against the configuration before the store is
 * opened, so that bad input never creates (or locks) a store.
 */
export async function withData<T>(
  opts: GlobalOptions,
  command: string,
  fn: (data: DataSource) => Promise<T>,
  precheck?: (config: HandbookConfig) => void | Promise<void>,
): Promise<T> {
  const server = await serverUrl(opts);
  if (server) {
    const { RemoteData } = await import("./remote.js");
    return fn(new RemoteData(server));
  }
  // Only a local read needs the configuration; a server answers with its own.
  const { config } = await requireConfig(opts);
  await precheck?.(config);
  const [{ openStore }, { LocalData }] = await Promise.all([
    import("../store/index.js"),
    import("../api/local.js"),
  ]);
  const url = databaseUrl();
  const dir = dataDir();
  const store = await openStore({
    dataDir: url ? undefined : dir,
    databaseUrl: url,
    holder: { command },
  });
  try {
    return await fn(new LocalData(store, config, url ? "PostgreSQL (DATABASE_URL)" : dir));
  } finally {
    await store.close();
  }
}
