import { iso } from "../clock.js";
import type { CheckRunRec, ReleaseRec, RepoData, StatusRec } from "../state/model.js";
import { nodeId, type RenderContext } from "./context.js";
import { repoUrl } from "./issues.js";
import { simpleUser } from "./users.js";

export function status(
  ctx: RenderContext,
  data: RepoData,
  rec: StatusRec,
): Record<string, unknown> {
  const creator = simpleUser(ctx, rec.creator);
  return {
    url: `${repoUrl(ctx, data)}/statuses/${rec.sha}`,
    avatar_url: creator.avatar_url,
    id: rec.id,
    node_id: nodeId("StatusContext", rec.id),
    state: rec.state,
    description: rec.description,
    target_url: rec.targetUrl,
    context: rec.context,
    created_at: iso(rec.createdAt),
    updated_at: iso(rec.updatedAt),
    creator,
  };
}

/** The GitHub App every emulated check run belongs to. */
export function emulatorApp(ctx: RenderContext): Record<string, unknown> {
  return {
    id: 15368,
    slug: "github-actions",
    node_id: nodeId("App", 15368),
    owner: simpleUser(ctx, "github"),
    name: "GitHub Actions",
    description: "Automate your workflow from idea to production",
    external_url: "https://help.github.com/en/actions",
    html_url: `${ctx.base}/apps/github-actions`,
    created_at: "2018-07-30T09:30:17Z",
    updated_at: "2024-04-10T20:33:16Z",
    permissions: {
      checks: "write",
      contents: "write",
      metadata: "read",
      pull_requests: "write",
      statuses: "write",
    },
    events: ["check_run", "check_suite", "pull_request", "push"],
  };
}

export function checkRun(
  ctx: RenderContext,
  data: RepoData,
  rec: CheckRunRec,
): Record<string, unknown> {
  const url = `${repoUrl(ctx, data)}/check-runs/${rec.id}`;
  return {
    id: rec.id,
    head_sha: rec.headSha,
    node_id: nodeId("CheckRun", rec.id),
    external_id: rec.externalId,
    url,
    html_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/runs/${rec.id}`,
    details_url: rec.detailsUrl,
    status: rec.status,
    conclusion: rec.conclusion,
    started_at: iso(rec.startedAt),
    completed_at: rec.completedAt === null ? null : iso(rec.completedAt),
    output: {
      title: rec.title,
      summary: rec.summary,
      text: null,
      annotations_count: 0,
      annotations_url: `${url}/annotations`,
    },
    name: rec.name,
    check_suite: { id: rec.id + 1 },
    app: emulatorApp(ctx),
    pull_requests: [],
  };
}

export function release(
  ctx: RenderContext,
  data: RepoData,
  rec: ReleaseRec,
): Record<string, unknown> {
  const url = `${repoUrl(ctx, data)}/releases/${rec.id}`;
  return {
    url,
    html_url: `${ctx.base}/${data.repo.owner}/${data.repo.name}/releases/tag/${rec.tagName}`,
    assets_url: `${url}/assets`,
    upload_url: `${ctx.base}/uploads/repos/${data.repo.owner}/${data.repo.name}/releases/${rec.id}/assets{?name,label}`,
    tarball_url: `${repoUrl(ctx, data)}/tarball/${rec.tagName}`,
    zipball_url: `${repoUrl(ctx, data)}/zipball/${rec.tagName}`,
    id: rec.id,
    node_id: nodeId("Release", rec.id),
    tag_name: rec.tagName,
    target_commitish: rec.targetCommitish,
    name: rec.name,
    body: rec.body,
    draft: rec.draft,
    prerelease: rec.prerelease,
    created_at: iso(rec.createdAt),
    published_at: rec.publishedAt === null ? null : iso(rec.publishedAt),
    author: simpleUser(ctx, rec.author),
    assets: [],
  };
}
