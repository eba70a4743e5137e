import type { Store } from "../store/index.js";
import type { EtagCache } from "./client.js";

/** The GitHub client's conditional-request validators, kept in the store across restarts. */
export function storeEtags(store: Store): EtagCache {
  return {
    get: async (key) => (await store.getEtag(key)) ?? undefined,
    set: (key, value) => store.setEtag(key, value),
  };
}
