// Bosun's GitHub App definition (app.yml at the package root) and the manifest GitHub's
// "register a GitHub App from a manifest" flow takes, pointed at one Bosun host.
// https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { BosunError } from "../errors.js";

/** Where `bosun serve` takes GitHub's webhooks, below the Bosun URL. */
export const WEBHOOK_PATH = "/webhooks/github";

/** GitHub refuses an App name longer than this. */
export const MAX_APP_NAME = 34;

const permissionLevel = z.enum(["read", "write"]);

// Strict: a key GitHub's manifest does not take (a webhook secret, say) is an error, not
// silently passed on. GitHub generates the App's secrets when it is registered.
const appDefinitionSchema = z.strictObject({
  name: z.string().min(1).max(MAX_APP_NAME),
  description: z.string().optional(),
  url: z.url(),
  hook_attributes: z.strictObject({ url: z.url(), active: z.boolean().optional() }),
  redirect_url: z.url().optional(),
  callback_urls: z.array(z.url()).optional(),
  setup_url: z.url().optional(),
  public: z.boolean().optional(),
  default_permissions: z.record(z.string().regex(/^[a-z_]+$/), permissionLevel),
  default_events: z.array(z.string().regex(/^[a-z_]+$/)).min(1),
});

/** app.yml: the fields of GitHub's App manifest, with placeholder URLs. */
export type AppDefinition = z.infer<typeof appDefinitionSchema>;

/** The manifest to register: the definition with its URLs pointed at one Bosun. */
export type AppManifest = AppDefinition;

/** The app.yml shipped with Bosun: beside package.json, from src/ or from dist/src/. */
export function appDefinitionPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new BosunError("internal", "app.yml not found: is the package intact?");
    dir = up;
  }
  return path.join(dir, "app.yml");
}

/** Reads and checks an App definition; a broken one names the file and the key. */
export function readAppDefinition(file = appDefinitionPath()): AppDefinition {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new BosunError("internal", `${file} cannot be read: is the package intact?`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new BosunError("invalid-config", `${file}: not YAML: ${(err as Error).message}`);
  }
  const result = appDefinitionSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(top level)";
    throw new BosunError("invalid-config", `${file} ${where}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

export interface ManifestOptions {
  /** The Bosun host GitHub should reach, e.g. https://bosun.example.com (a path prefix is kept). */
  url?: string;
  /** The App's name on GitHub (names are unique across GitHub). */
  name?: string;
}

/** The manifest for `definition`, its URLs below `url` and named `name` when given. */
export function appManifest(definition: AppDefinition, opts: ManifestOptions = {}): AppManifest {
  const manifest: AppManifest = structuredClone(definition);
  if (opts.name !== undefined) manifest.name = appName(opts.name);
  if (opts.url !== undefined) {
    const root = bosunRoot(opts.url);
    manifest.url = root;
    manifest.hook_attributes = { ...manifest.hook_attributes, url: `${root}${WEBHOOK_PATH}` };
    manifest.redirect_url = `${root}/`;
    if (manifest.setup_url !== undefined) manifest.setup_url = `${root}/`;
  }
  return manifest;
}

function appName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed.length > MAX_APP_NAME) {
    throw new BosunError(
      "bad-input",
      `--name: a GitHub App name has 1 to ${MAX_APP_NAME} characters, found ${JSON.stringify(name)}`,
    );
  }
  return trimmed;
}

/** `https://host[/prefix]` without a trailing slash, or a bad-input error saying what a URL is. */
function bosunRoot(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    (parsed.protocol !== "https:" && parsed.protocol !== "http:") ||
    parsed.search !== "" ||
    parsed.hash !== "" ||
    parsed.username !== "" ||
    parsed.password !== ""
  ) {
    throw new BosunError(
      "bad-input",
      `--url: the address GitHub reaches Bosun at, such as https://bosun.example.com (no query, no credentials), found ${JSON.stringify(url)}`,
    );
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}
