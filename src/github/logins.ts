// Does GitHub know the people the configuration names? A role that points at a login GitHub
// does not have can never approve, so the merge gate must say so rather than wait forever.
import type { Store } from "../store/index.js";
import type { GitHubClient } from "./client.js";

/** Looks up each login not checked within `maxAgeMs` (`GET /users/{login}`) and records the answer. */
export async function checkLogins(
  client: GitHubClient,
  store: Store,
  logins: readonly string[],
  maxAgeMs = 24 * 3600_000,
): Promise<{ checked: number; missing: string[] }> {
  const recent = await store.recentlyCheckedLogins(maxAgeMs);
  let checked = 0;
  for (const login of new Set(logins.map((l) => l.toLowerCase()))) {
    if (recent.has(login)) continue;
    try {
      await client.rest.users.getByUsername({ username: login });
      await store.setLoginFound(login, true);
    } catch (err) {
      // Only a definite 404 counts as missing; anything else is asked again next time.
      if ((err as { status?: number }).status !== 404) continue;
      await store.setLoginFound(login, false);
    }
    checked += 1;
  }
  return { checked, missing: await store.missingLogins() };
}
