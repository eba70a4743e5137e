// `label` and `milestone` deliveries: the repository's label vocabulary and milestones.
// Deleting or renaming a label on GitHub changes every issue carrying it, and deleting a
// milestone clears it from its issues, without an issues delivery for each; so do these.
import type { Store } from "../../store/store.js";
import { normalizeLabel, normalizeMilestone } from "../normalize.js";
import type { DeliveryContext } from "./context.js";
import { labelPayload, milestonePayload, readPayload } from "./shapes.js";

export async function applyLabel(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(labelPayload, d.payload, `label.${d.action} payload`);
  if (d.action === "deleted") {
    await store.removeLabelEverywhere(d.repo, p.label.name);
    return;
  }
  const previous = p.changes?.name?.from;
  if (d.action === "edited" && previous !== undefined && previous !== p.label.name) {
    await store.renameLabel(d.repo, previous, p.label.name);
  }
  await store.upsertLabel(normalizeLabel(d.repo, p.label));
}

export async function applyMilestone(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(milestonePayload, d.payload, `milestone.${d.action} payload`);
  if (d.action === "deleted") {
    await store.deleteMilestone(d.repo, p.milestone.number);
    return;
  }
  await store.upsertMilestone(normalizeMilestone(d.repo, p.milestone));
}
