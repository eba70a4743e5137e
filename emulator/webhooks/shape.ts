// Webhook payloads embed the same objects as REST responses, but GitHub's webhook schemas
// are closed (additionalProperties: false) and slightly older: users lack user_view_type,
// issues lack closed_by, repositories gain custom_properties. These projections turn REST
// shapes into webhook shapes in one place.

const USER_KEYS = [
  "login",
  "id",
  "node_id",
  "name",
  "email",
  "avatar_url",
  "gravatar_id",
  "url",
  "html_url",
  "followers_url",
  "following_url",
  "gists_url",
  "starred_url",
  "subscriptions_url",
  "organizations_url",
  "repos_url",
  "events_url",
  "received_events_url",
  "type",
  "site_admin",
];

/** Keys REST shapes carry that the corresponding webhook objects do not allow. */
const DROP: Record<string, string[]> = {
  issue: ["closed_by"],
  // The commit verification of status events predates verified_at.
  verification: ["verified_at"],
};

function isUser(value: Record<string, unknown>): boolean {
  return (
    typeof value.login === "string" && typeof value.avatar_url === "string" && "site_admin" in value
  );
}

function pick(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in value) out[key] = value[key];
  return out;
}

/** Recursively adapts a REST-shaped value for a webhook payload. */
export function webhookShape(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => webhookShape(item, key));
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (isUser(record)) return pick(record, USER_KEYS);
  const out: Record<string, unknown> = {};
  const dropped = DROP[key] ?? [];
  for (const [k, v] of Object.entries(record)) {
    if (!dropped.includes(k)) out[k] = webhookShape(v, k);
  }
  if (key === "repository" || key === "repo") out.custom_properties ??= {};
  return out;
}
