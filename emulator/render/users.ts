import { iso } from "../clock.js";
import type { UserRec } from "../state/model.js";
import { nodeId, type RenderContext } from "./context.js";

/** GitHub's simple-user shape. Unknown logins are created on first sight. */
export function simpleUser(ctx: RenderContext, login: string): Record<string, unknown> {
  const user = ctx.state.ensureUser(login);
  return simpleUserOf(ctx, user);
}

export function simpleUserOf(ctx: RenderContext, user: UserRec): Record<string, unknown> {
  // Bot logins contain brackets, which GitHub percent-encodes in URLs.
  const login = encodeURIComponent(user.login);
  const url = `${ctx.base}/users/${login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "Bot" : "User", user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url,
    html_url: `${ctx.base}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** GET /users/{username}: the public profile. */
export function publicUser(ctx: RenderContext, user: UserRec): Record<string, unknown> {
  return {
    ...simpleUserOf(ctx, user),
    name: user.name,
    company: null,
    blog: "",
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: iso(user.createdAt),
    updated_at: iso(user.createdAt),
  };
}

/** GET /user: the authenticated user's private profile. */
export function privateUser(ctx: RenderContext, user: UserRec): Record<string, unknown> {
  return {
    ...publicUser(ctx, user),
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: "free", space: 976562499, private_repos: 10000, collaborators: 0 },
  };
}
