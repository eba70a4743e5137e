import { iso } from "../clock.js";
import type { RepoData } from "../state/model.js";
import { nodeId, type RenderContext } from "./context.js";
import { simpleUser } from "./users.js";

/** The url fields every repository shape shares (minimal-repository and up). */
function repoUrls(ctx: RenderContext, data: RepoData): Record<string, unknown> {
  const { owner, name } = data.repo;
  const url = `${ctx.base}/repos/${owner}/${name}`;
  return {
    html_url: `${ctx.base}/${owner}/${name}`,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://emulator/${owner}/${name}.git`,
    hooks_url: `${url}/hooks`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@emulator:${owner}/${name}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${ctx.base}/${owner}/${name}.git`,
    svn_url: `${ctx.base}/${owner}/${name}`,
  };
}

function openIssueCount(data: RepoData): number {
  let open = 0;
  for (const issue of data.issues) if (issue.state === "open") open += 1;
  return open;
}

/** The "repository" shape (installation lists, webhooks' base). */
export function repository(ctx: RenderContext, data: RepoData): Record<string, unknown> {
  const r = data.repo;
  const open = openIssueCount(data);
  return {
    id: r.id,
    node_id: nodeId("Repository", r.id),
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    private: r.private,
    owner: simpleUser(ctx, r.owner),
    description: r.description,
    fork: false,
    ...repoUrls(ctx, data),
    homepage: null,
    language: "Go",
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 1024,
    default_branch: r.defaultBranch,
    open_issues_count: open,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: r.private ? "private" : "public",
    pushed_at: iso(r.pushedAt),
    created_at: iso(r.createdAt),
    updated_at: iso(r.updatedAt),
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    mirror_url: null,
    license: null,
    forks: 0,
    open_issues: open,
    watchers: 0,
  };
}

/** GET /repos/{owner}/{repo}: the full repository. */
export function fullRepository(ctx: RenderContext, data: RepoData): Record<string, unknown> {
  const owner = ctx.state.user(data.repo.owner);
  return {
    ...repository(ctx, data),
    network_count: 0,
    subscribers_count: 0,
    ...(owner?.type === "Organization" ? { organization: simpleUser(ctx, data.repo.owner) } : {}),
  };
}

/** GET /orgs/{org}/repos: minimal-repository. */
export function minimalRepository(ctx: RenderContext, data: RepoData): Record<string, unknown> {
  return repository(ctx, data);
}
