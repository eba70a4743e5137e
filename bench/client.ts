// Bosun's GitHub client as serve builds it (ETags in the store), pointed at the emulator.

import { createClient, type GitHubClient } from "../src/github/client.js";
import { storeEtags } from "../src/github/etags.js";
import type { Store } from "../src/store/index.js";

export function benchClient(url: string, store: Store): GitHubClient {
  return createClient({
    baseUrl: url,
    auth: { kind: "token", token: "bench" },
    etags: storeEtags(store),
    writeSpacingMs: 0,
  });
}
