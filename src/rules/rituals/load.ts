// What the rituals rule (src/rules/rituals/) sees: issues carrying ritual markers, patch
// releases (for "Every patch release"), and the imported runbooks. Read once per decision run.

import type { Temporal } from "temporal-polyfill";
import { parsePattern } from "../../handbook/patterns.js";
import type { Runbook } from "../../handbook/runbook-model.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import type { Store } from "../../store/index.js";
import { parseRitualMarker, RITUAL_MARKER_PREFIX } from "./marker.js";
import type {
  IgnoredMarkerSnapshot,
  PatchReleaseSnapshot,
  RitualIssueSnapshot,
  RitualSnapshot,
} from "./snapshot.js";

/** The store reads the rituals rule needs. */
export type RitualReads = Pick<
  Store,
  | "listIssuesWithMarker"
  | "listIssuesByNumber"
  | "bosunFiledIssues"
  | "listRunbooks"
  | "listTags"
  | "listRefs"
  | "ritualsStartedAt"
>;

/**
 * The rituals' data, and when Bosun first decided them for the organisation. That instant is
 * the one write a rule's load makes, and it is write-once: the first decision run records its
 * own instant (unless it lies in the future: see Store.ritualsStartedAt), every later run on any
 * process reads it back, so "before Bosun first ran" means the same everywhere and for good.
 */
export async function loadRitualsInput(
  store: RitualReads,
  config: HandbookConfig,
  now: Temporal.Instant,
): Promise<RitualSnapshot> {
  const [snapshot, startedAt] = await Promise.all([
    loadRitualSnapshot(store, config),
    store.ritualsStartedAt(config.organisation, now.toString()),
  ]);
  return { ...snapshot, startedAt };
}

export async function loadRitualSnapshot(
  store: Omit<RitualReads, "ritualsStartedAt">,
  config: HandbookConfig,
): Promise<RitualSnapshot> {
  const { issues, ignoredMarkers } = await loadMarkedIssues(store);
  const needsReleases = config.rituals.some((r) => r.frequency === "Every patch release");
  return {
    issues,
    ignoredMarkers,
    patchReleases: needsReleases ? await loadPatchReleases(store, config) : [],
    runbooks: (await store.listRunbooks()).map((r) => r.runbook as Runbook),
  };
}

/**
 * The issues whose marker counts: those written by Bosun's own account. Bosun learns its
 * logins from the authors of the issues its audit log says it filed (a token's user, an App's
 * `slug[bot]`); an issue it filed itself counts whoever the store says wrote it. Until it has
 * filed one, it cannot tell its own login, and no other marker counts: each is reported.
 */
export async function loadMarkedIssues(
  store: Pick<RitualReads, "listIssuesWithMarker" | "listIssuesByNumber" | "bosunFiledIssues">,
): Promise<{ issues: RitualIssueSnapshot[]; ignoredMarkers: IgnoredMarkerSnapshot[] }> {
  const marked: (RitualIssueSnapshot & { repo: string })[] = [];
  for (const row of await store.listIssuesWithMarker(RITUAL_MARKER_PREFIX)) {
    const marker = parseRitualMarker(row.body);
    if (marker) marked.push({ repo: row.repo, number: row.number, state: row.state, ...marker });
  }
  if (marked.length === 0) return { issues: [], ignoredMarkers: [] };
  const filed = await store.bosunFiledIssues();
  const byBosun = new Set(filed.map((f) => `${f.repo}#${f.number}`));
  const ownLogins = [
    ...new Set(filed.flatMap((f) => (f.author ? [f.author.toLowerCase()] : []))),
  ].sort();
  const authors = new Map<string, string | null>();
  for (const repo of new Set(marked.map((m) => m.repo))) {
    const numbers = marked.filter((m) => m.repo === repo).map((m) => m.number);
    for (const row of await store.listIssuesByNumber(repo, numbers)) {
      authors.set(`${repo}#${row.number}`, row.author);
    }
  }
  const issues: RitualIssueSnapshot[] = [];
  const ignoredMarkers: IgnoredMarkerSnapshot[] = [];
  for (const m of marked) {
    const at = `${m.repo}#${m.number}`;
    const author = authors.get(at) ?? null;
    const own = author !== null && ownLogins.includes(author.toLowerCase());
    if (byBosun.has(at) || own) issues.push(m);
    else ignoredMarkers.push({ ...m, author, ownLogins });
  }
  return { issues, ignoredMarkers };
}

/** Tags (`releaseTrain.tag`) and patch branches (`branches.patch`) of versions x.y.z with z > 0. */
export async function loadPatchReleases(
  store: Pick<Store, "listTags" | "listRefs">,
  config: HandbookConfig,
): Promise<PatchReleaseSnapshot[]> {
  const train = config.releaseTrain;
  const out: PatchReleaseSnapshot[] = [];
  const isPatch = (v: string | undefined): v is string => {
    const parts = v?.split("-")[0]?.split(".") ?? [];
    return parts.length === 3 && Number(parts[2]) > 0 && !v!.includes("-");
  };
  for (const r of config.repositories) {
    const repo = `${config.organisation}/${r.name}`;
    for (const tag of await store.listTags(repo)) {
      const version = parsePattern(train.tag, tag.name);
      if (isPatch(version)) out.push({ repo, version, at: tag.createdAt ?? tag.syncedAt });
    }
    for (const ref of await store.listRefs(repo)) {
      const version = parsePattern(train.branches.patch, ref.name);
      if (isPatch(version)) out.push({ repo, version, at: ref.syncedAt });
    }
  }
  return out;
}
