import {
  type AppManifest,
  appManifest as buildManifest,
  readAppDefinition,
} from "../../github/app-manifest.js";
import { EXIT } from "../errors.js";

export interface AppManifestOptions {
  url?: string;
  name?: string;
  json?: boolean;
}

/**
 * `bosun app manifest`: the manifest for GitHub's "register a GitHub App from a manifest" flow,
 * from app.yml. It holds no secret: GitHub generates them when the App is registered.
 */
export async function appManifest(opts: AppManifestOptions): Promise<number> {
  const manifest = buildManifest(readAppDefinition(), {
    ...(opts.url !== undefined ? { url: opts.url } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
  });
  if (opts.url === undefined) {
    process.stderr.write(
      `bosun: no --url: the webhook URL is app.yml's placeholder (${manifest.hook_attributes.url}); give --url https://<your Bosun host>\n`,
    );
  }
  const json = JSON.stringify(manifest, null, 2);
  process.stdout.write(opts.json ? `${json}\n` : renderManifest(manifest, json));
  return EXIT.ok;
}

function renderManifest(manifest: AppManifest, json: string): string {
  return `GitHub App manifest for ${JSON.stringify(manifest.name)}, webhooks to ${manifest.hook_attributes.url}:

${json}

To register it (README, "Deploy"), post it as the form field "manifest" to
  https://github.com/organizations/<your organisation>/settings/apps/new
GitHub then sends you to ${manifest.redirect_url ?? manifest.url}?code=<code>; within an hour, exchange the code
for the App's id, private key and webhook secret:
  curl -X POST -H "Accept: application/vnd.github+json" https://api.github.com/app-manifests/<code>/conversions
and give them to Bosun as GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY_FILE and BOSUN_WEBHOOK_SECRET. Install the
App on the configured repositories; the number ending the installation's settings URL is
GITHUB_APP_INSTALLATION_ID.
`;
}
