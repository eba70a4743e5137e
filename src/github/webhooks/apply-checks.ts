// `status` and `check_run` deliveries: the latest state of each commit status context and
// of each check run, per commit, which the merge gate reads. The store keeps the newest by
// time (then GitHub id), so a late `pending` cannot overwrite a `success`.
import type { Store } from "../../store/store.js";
import type { DeliveryContext } from "./context.js";
import { checkRunPayload, readPayload, statusPayload } from "./shapes.js";

// Envelope fields that describe the delivery, not the status; left out of `raw`.
const ENVELOPE = new Set(["repository", "sender", "organization", "installation", "enterprise"]);

export async function applyStatus(store: Store, d: DeliveryContext): Promise<void> {
  const p = readPayload(statusPayload, d.payload, "status payload");
  const raw = Object.fromEntries(Object.entries(p).filter(([key]) => !ENVELOPE.has(key)));
  await store.upsertCommitStatus({
    repo: d.repo,
    sha: p.sha,
    kind: "status",
    context: p.context,
    state: p.state,
    description: p.description ?? null,
    targetUrl: p.target_url ?? null,
    githubId: p.id ?? null,
    updatedAt: p.updated_at ?? p.created_at ?? d.receivedAt,
    raw,
  });
}

export async function applyCheckRun(store: Store, d: DeliveryContext): Promise<void> {
  const { check_run: run } = readPayload(
    checkRunPayload,
    d.payload,
    `check_run.${d.action} payload`,
  );
  await store.upsertCommitStatus({
    repo: d.repo,
    sha: run.head_sha,
    kind: "check_run",
    context: run.name,
    state: run.status,
    conclusion: run.conclusion ?? null,
    description: run.output?.title ?? null,
    targetUrl: run.details_url ?? run.html_url ?? null,
    githubId: run.id ?? null,
    updatedAt: run.completed_at ?? run.started_at ?? d.receivedAt,
    raw: run,
  });
}
