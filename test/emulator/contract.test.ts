import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  loadOpenApiSubset,
  ResponseContract,
  WebhookContract,
} from "../../emulator/contract/validator.js";
import { extractSubset } from "../../scripts/extract-openapi.mjs";

const require = createRequire(import.meta.url);

describe("contract fixture", () => {
  it("records the @octokit/openapi version that is installed and pinned in package.json", () => {
    const subset = loadOpenApiSubset();
    const installed = require("@octokit/openapi/package.json").version as string;
    const pinned = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"))
      .devDependencies["@octokit/openapi"] as string;
    expect(subset.source.version).toBe(installed);
    expect(pinned.replace(/^[\^~]/, "")).toBe(installed);
  });

  it("is what scripts/extract-openapi.mjs produces from the installed package", () => {
    expect(loadOpenApiSubset()).toEqual(extractSubset());
  });
});

describe("contract checks fail on shapes GitHub does not allow", () => {
  const contract = new ResponseContract();
  const label = {
    id: 1,
    node_id: "L",
    url: "http://x/labels/bug",
    name: "bug",
    color: "d73a4a",
    default: true,
    description: null,
  };

  it("accepts a well-formed label and rejects one with a wrong type or a missing field", () => {
    const path = "/repos/fleetdm/fleet/labels/bug";
    expect(contract.check("GET", path, 200, label)).toEqual([]);
    expect(contract.check("GET", path, 200, { ...label, id: "1" })).not.toEqual([]);
    const { color: _color, ...missing } = label;
    expect(contract.check("GET", path, 200, missing)).not.toEqual([]);
  });

  it("rejects an undocumented status and an unknown operation", () => {
    expect(contract.check("GET", "/repos/fleetdm/fleet/labels/bug", 418, {})).not.toEqual([]);
    expect(contract.check("GET", "/repos/fleetdm/fleet/hooks", 200, [])).not.toEqual([]);
  });

  it("rejects a webhook payload with a broken issue", () => {
    const webhooks = new WebhookContract();
    expect(webhooks.check("issues", { action: "opened", issue: { number: "one" } })).not.toEqual(
      [],
    );
    expect(webhooks.check("no_such_event", { action: "x" })).not.toEqual([]);
  });
});
