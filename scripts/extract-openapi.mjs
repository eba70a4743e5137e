#!/usr/bin/env node
// Extracts, from GitHub's published OpenAPI description (@octokit/openapi), only the
// operations the emulator serves, plus every component they reference, into the committed
// fixture emulator/contract/openapi-subset.json. The full description is 13 MB; the subset
// keeps the contract tests fast and makes a package upgrade show up as a reviewable diff.
//
//   node scripts/extract-openapi.mjs          # rewrite the fixture
//   node scripts/extract-openapi.mjs --check  # exit 1 when the fixture is stale
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const fixturePath = join(root, "emulator/contract/openapi-subset.json");
const operationsPath = join(root, "emulator/contract/operations.json");

// Examples are documentation, not contract: dropping them shrinks the fixture tenfold.
const DROPPED_KEYS = new Set(["examples", "example", "x-github", "externalDocs"]);

/** Builds the subset object; pure apart from reading the installed package. */
export function extractSubset() {
  const require = createRequire(join(root, "package.json"));
  const pkgJson = require.resolve("@octokit/openapi/package.json");
  const version = JSON.parse(readFileSync(pkgJson, "utf8")).version;
  const spec = JSON.parse(
    readFileSync(join(dirname(pkgJson), "generated/api.github.com.json"), "utf8"),
  );
  const operations = JSON.parse(readFileSync(operationsPath, "utf8"));

  const paths = {};
  for (const entry of operations) {
    const [method, path] = entry.split(" ");
    const op = spec.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${entry}: not in @octokit/openapi ${version}`);
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = strip({
      operationId: op.operationId,
      responses: op.responses,
    });
  }

  // Copy the transitive closure of $refs, in a stable (sorted) order.
  const components = {};
  const pending = [];
  const seen = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    if (typeof node.$ref === "string" && !seen.has(node.$ref)) {
      seen.add(node.$ref);
      pending.push(node.$ref);
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(paths);
  while (pending.length > 0) {
    const ref = pending.pop();
    const [, , kind, name] = ref.split("/");
    const target = spec.components[kind]?.[name];
    if (!target) throw new Error(`unresolved ${ref}`);
    const copy = strip(target);
    components[kind] ??= {};
    components[kind][name] = copy;
    visit(copy);
  }
  const sorted = {};
  for (const kind of Object.keys(components).sort()) {
    sorted[kind] = {};
    for (const name of Object.keys(components[kind]).sort()) {
      sorted[kind][name] = components[kind][name];
    }
  }
  return {
    source: { package: "@octokit/openapi", version, file: "generated/api.github.com.json" },
    openapi: spec.openapi,
    paths,
    components: sorted,
  };
}

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!DROPPED_KEYS.has(key)) out[key] = strip(value);
  }
  return out;
}

export function serialise(subset) {
  return `${JSON.stringify(subset, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const subset = extractSubset();
  const text = serialise(subset);
  if (process.argv.includes("--check")) {
    // Compare content, not bytes: the formatter (Biome) may lay the file out differently.
    const current = JSON.stringify(JSON.parse(readFileSync(fixturePath, "utf8")));
    if (current !== JSON.stringify(subset)) {
      console.error(`${fixturePath} is stale: run node scripts/extract-openapi.mjs`);
      process.exit(1);
    }
    console.log("openapi subset is up to date");
  } else {
    writeFileSync(fixturePath, text);
    console.log(`wrote ${fixturePath} (${text.length} bytes)`);
  }
}
