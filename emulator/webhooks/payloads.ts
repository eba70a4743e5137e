import type { Core } from "../core.js";
import { repository } from "../render/repos.js";
import { simpleUser } from "../render/users.js";
import type { RepoData } from "../state/model.js";

/**
 * The fields every repository webhook carries: repository, sender and (for organisations)
 * organization. Webhook repositories use epoch seconds for pushed_at/created_at only in
 * push events; elsewhere ISO strings, as GitHub sends them.
 */
export function envelope(core: Core, data: RepoData, sender: string): Record<string, unknown> {
  const ctx = core.render;
  const owner = core.state.user(data.repo.owner);
  const out: Record<string, unknown> = {
    repository: repository(ctx, data),
    sender: simpleUser(ctx, sender),
  };
  if (owner?.type === "Organization") {
    const url = `${ctx.base}/orgs/${owner.login}`;
    out.organization = {
      login: owner.login,
      id: owner.id,
      node_id: (simpleUser(ctx, owner.login) as { node_id: string }).node_id,
      url,
      repos_url: `${url}/repos`,
      events_url: `${url}/events`,
      hooks_url: `${url}/hooks`,
      issues_url: `${url}/issues`,
      members_url: `${url}/members{/member}`,
      public_members_url: `${url}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${owner.id}?v=4`,
      description: null,
    };
  }
  return out;
}

/** Sends one webhook event for a repository. */
export function emit(
  core: Core,
  data: RepoData,
  event: string,
  sender: string,
  fields: Record<string, unknown>,
): void {
  core.hooks.emit(event, { ...fields, ...envelope(core, data, sender) });
}
