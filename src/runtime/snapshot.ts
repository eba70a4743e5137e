// Reads, once per decision run, everything the rules look at. Rules stay pure: they get this
// plain data and an instant, never the store. A rule that needs more adds a field here.

import { loadKpiSnapshotPart } from "../api/kpi.js";
import { FULL_SYNC } from "../github/sync.js";
import type { HandbookConfig } from "../handbook/schema.js";
import type { RepositorySnapshot, Snapshot } from "../rules/snapshot.js";
import type { Store } from "../store/index.js";
import { loadReleaseTrainSnapshot } from "./release-snapshot.js";
import { loadRitualSnapshot } from "./ritual-snapshot.js";

export async function loadSnapshot(store: Store, config: HandbookConfig): Promise<Snapshot> {
  const repositories: RepositorySnapshot[] = [];
  for (const r of config.repositories) {
    const fullName = `${config.organisation}/${r.name}`;
    const cursor = await store.getCursor(fullName, FULL_SYNC);
    const labels = await store.listLabels(fullName);
    repositories.push({
      fullName,
      synced: cursor?.cursor === "complete",
      labels: labels.map((l) => ({ name: l.name, color: l.color ?? undefined })),
      releaseTrain: await loadReleaseTrainSnapshot(store, config, fullName),
    });
  }
  return {
    repositories,
    rituals: await loadRitualSnapshot(store, config),
    kpi: await loadKpiSnapshotPart(store, config),
    missingLogins: await store.missingLogins(),
  };
}
