// `push`, `create`, `delete` and `release` deliveries: branches and tags. A push carries the
// new commit; create and release only name the ref, so they record that it exists and leave
// the commit to the push delivery GitHub sends with them (or to the next sync).
import type { Store } from "../../store/store.js";
import { normalizeBranch, normalizeTag } from "../normalize.js";
import type { DeliveryContext } from "./context.js";
import { pushPayload, readPayload, refPayload, releasePayload } from "./shapes.js";

const NO_COMMIT = /^0+$/;
const COMMIT_SHA = /^[0-9a-f]{40}$/i;

export async function applyPush(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(pushPayload, d.payload, "push payload");
  const deleted = p.deleted === true || NO_COMMIT.test(p.after);
  if (p.ref.startsWith("refs/heads/")) {
    const branch = normalizeBranch(d.repo, p.ref, p.after);
    if (deleted) await store.deleteRef(d.repo, branch.name);
    else await store.upsertRef(branch);
  } else if (p.ref.startsWith("refs/tags/")) {
    const tag = normalizeTag(d.repo, p.ref, p.after, p.head_commit?.timestamp ?? null);
    if (deleted) await store.deleteTag(d.repo, tag.name);
    else await store.upsertTag(tag);
  }
  // Other refs (notes, pull request heads) are not branches or tags: nothing to record.
}

export async function applyCreate(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(refPayload, d.payload, "create payload");
  if (p.ref_type === "branch") await store.noteRef(d.repo, shortName(p.ref, "heads"));
  if (p.ref_type === "tag") await store.noteTag(d.repo, shortName(p.ref, "tags"));
}

export async function applyDelete(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(refPayload, d.payload, "delete payload");
  if (p.ref_type === "branch") await store.deleteRef(d.repo, shortName(p.ref, "heads"));
  if (p.ref_type === "tag") await store.deleteTag(d.repo, shortName(p.ref, "tags"));
}

/**
 * A published release has a tag (a draft has none yet). Deleting a release keeps its tag on
 * GitHub, so a deleted release changes no ref.
 */
export async function applyRelease(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(releasePayload, d.payload, `release.${d.action} payload`);
  if (d.action === "deleted" || d.action === "unpublished" || p.release.draft === true) return;
  const target = p.release.target_commitish ?? "";
  await store.noteTag(d.repo, p.release.tag_name, {
    sha: COMMIT_SHA.test(target) ? target : null,
  });
}

/** create/delete payloads give short names; accept full ones too. */
function shortName(ref: string, kind: "heads" | "tags"): string {
  return ref.startsWith(`refs/${kind}/`) ? ref.slice(`refs/${kind}/`.length) : ref;
}
