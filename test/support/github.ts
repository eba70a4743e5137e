// Bosun's GitHub client pointed at a running emulator, with waits shrunk for tests.

import { createClient, type GitHubClient } from "../../src/github/client.js";
import { storeEtags } from "../../src/github/etags.js";
import type { Store } from "../../src/store/index.js";

export function emulatorClient(
  url: string,
  store?: Store,
  overrides: { token?: string } = {},
): GitHubClient {
  return createClient({
    baseUrl: url,
    auth: { kind: "token", token: overrides.token ?? "test-token" },
    etags: store ? storeEtags(store) : undefined,
    writeSpacingMs: 0,
    retryAfterBaseMs: 5,
  });
}

/** Everything sync writes, in a stable order, so two stores can be compared with toEqual. */
export async function dumpStore(store: Store, repos: string[]) {
  const out: Record<string, unknown> = {};
  for (const repo of repos) {
    const issues = await store.listIssues({ repo });
    out[repo] = {
      issues: issues.map(({ raw: _raw, syncedAt: _s, ...rest }) => rest),
      labels: (await store.listLabels(repo)).map((l) => [l.name, l.color, l.description]),
      milestones: (await store.listMilestones(repo)).map(({ raw: _raw, ...m }) => m),
      events: (await store.listIssueEvents({ repo, limit: 1_000_000 }))
        .map((e) => [e.id, e.issueNumber, e.event, e.labelName])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
      refs: (await store.listRefs(repo)).map((r) => [r.name, r.sha]),
      tags: (await store.listTags(repo)).map((t) => [t.name, t.sha]),
    };
  }
  return out;
}
