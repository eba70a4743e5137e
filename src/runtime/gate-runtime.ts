// What the runtime needs to keep the merge gate prompt: which webhooks can change a verdict,
// when the next calendar transition is, and a write-through of the statuses it sets.
import { randomUUID } from "node:crypto";
import type { Temporal } from "temporal-polyfill";
import type { Effect } from "../effects/effects.js";
import type { EffectApplier } from "../effects/executor.js";
import type { Plan } from "../effects/plan.js";
import { FULL_SYNC } from "../github/sync.js";
import type { HandbookConfig } from "../handbook/schema.js";
import { decideAll } from "../rules/index.js";
import { mergeGate } from "../rules/merge-gate/index.js";
import type { RepositorySnapshot } from "../rules/snapshot.js";
import type { DeliveryRow, Store } from "../store/index.js";
import { nextTransitions, releaseCalendar } from "../time/release.js";
import { loadReleaseTrainSnapshot, loadVersionsSnapshot } from "./release-snapshot.js";

/**
 * Webhooks after which a verdict may have changed (item 3 of the release-train issue): a PR
 * opened, edited (body, base), labelled, pushed to, reviewed or dismissed, drafted; an issue
 * relabelled (its PRs' classification); a release published or a milestone changed (versions).
 */
export function gateRelevant(event: string, action: string | null): boolean {
  switch (event) {
    case "pull_request":
      return [
        "opened",
        "reopened",
        "edited",
        "labeled",
        "unlabeled",
        "synchronize",
        "ready_for_review",
        "converted_to_draft",
        "closed",
      ].includes(action ?? "");
    case "pull_request_review":
      return ["submitted", "dismissed", "edited"].includes(action ?? "");
    case "issues":
      return ["labeled", "unlabeled", "edited", "closed", "reopened"].includes(action ?? "");
    case "release":
    case "milestone":
      return true;
    // Branches and tags (an RC branch names the next version) and statuses others write are
    // picked up by the periodic run: reacting to every push or to our own status writes would
    // run the whole gate for nothing.
    default:
      return false;
  }
}

/** Milliseconds from `now` to just after the next freeze, deep freeze, RC cut or release. */
export function msToNextTransition(
  config: HandbookConfig,
  now: Temporal.Instant,
): { ms: number; kind: string; at: string } {
  const [next] = nextTransitions(releaseCalendar(config), now, 1);
  if (!next) return { ms: 86_400_000, kind: "none", at: "" };
  const ms = Number(next.at.toInstant().epochMilliseconds - now.epochMilliseconds);
  return { ms: Math.max(0, ms), kind: next.kind, at: next.at.toString() };
}

/**
 * Applies through `inner` and records each commit status it set in the store, as the status
 * webhook would: the next decision sees the status at once and plans nothing more, also where
 * webhooks are not configured.
 */
export class StatusWriteThrough implements EffectApplier {
  constructor(
    private readonly inner: EffectApplier,
    private readonly store: Pick<Store, "upsertCommitStatus">,
    private readonly clock: () => Temporal.Instant,
  ) {}

  async apply(effect: Effect): Promise<unknown> {
    const outcome = await this.inner.apply(effect);
    if (effect.type === "setCommitStatus") {
      const o = (outcome ?? {}) as { id?: number; updatedAt?: string };
      await this.store.upsertCommitStatus({
        repo: effect.repo,
        sha: effect.sha,
        kind: "status",
        context: effect.context,
        state: effect.state,
        description: effect.description.slice(0, 140),
        targetUrl: effect.targetUrl ?? null,
        githubId: typeof o.id === "number" ? o.id : null,
        updatedAt: o.updatedAt ?? this.clock().toString(),
      });
    }
    return outcome;
  }
}

/** The pull request a pull_request or pull_request_review delivery is about. */
export function pullOfDelivery(
  delivery: Pick<DeliveryRow, "event" | "payload">,
): number | undefined {
  if (delivery.event !== "pull_request" && delivery.event !== "pull_request_review")
    return undefined;
  const payload =
    typeof delivery.payload === "string" ? JSON.parse(delivery.payload) : delivery.payload;
  const n = (payload as { pull_request?: { number?: unknown } } | null)?.pull_request?.number;
  return typeof n === "number" ? n : undefined;
}

/**
 * The merge gate's plan for a few pull requests of one repository: the webhook path, which
 * loads only what their verdicts need. Versions come from this repository's tags and
 * milestones (the periodic run uses the fallback of other repositories too).
 */
export async function gatePlanForPulls(
  store: Store,
  config: HandbookConfig,
  repo: string,
  numbers: readonly number[],
  now: Temporal.Instant,
): Promise<Plan> {
  const snapshot: RepositorySnapshot = {
    fullName: repo,
    synced: (await store.getCursor(repo, FULL_SYNC))?.cursor === "complete",
    labels: (await store.listLabels(repo)).map((l) => ({ name: l.name })),
    releaseTrain: await loadReleaseTrainSnapshot(store, config, repo, numbers),
  };
  // The other repositories contribute their versions only, as in the full run, so both paths
  // word a verdict the same way and never undo each other's status.
  const others: RepositorySnapshot[] = [];
  for (const r of config.repositories) {
    const fullName = `${config.organisation}/${r.name}`;
    if (fullName === repo) continue;
    others.push(await loadVersionsSnapshot(store, fullName));
  }
  const repositories = [snapshot, ...others];
  return decideAll({ config, snapshot: { repositories }, now }, `gate-${randomUUID()}`, [
    mergeGate,
  ]);
}
