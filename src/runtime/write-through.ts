// Applies through `inner` and records in the store what the effect changed on GitHub, as the
// webhook would: the next decision sees it at once and plans nothing more, also where webhooks
// are not configured. Today the store mirrors commit statuses this way.
import type { Temporal } from "temporal-polyfill";
import type { Effect } from "../effects/effects.js";
import type { ApplyContext, EffectApplier } from "../effects/executor.js";
import type { Store } from "../store/index.js";

export class StoreWriteThrough implements EffectApplier {
  constructor(
    private readonly inner: EffectApplier,
    private readonly store: Pick<Store, "upsertCommitStatus">,
    private readonly clock: () => Temporal.Instant,
  ) {}

  async apply(effect: Effect, context?: ApplyContext): Promise<unknown> {
    const outcome = await this.inner.apply(effect, context);
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
