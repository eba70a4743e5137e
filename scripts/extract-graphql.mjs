#!/usr/bin/env node
// Extracts, from GitHub's published GraphQL schema (@octokit/graphql-schema), only the fields the
// emulator serves (emulator/graphql/fields.json, "Type.field" lines) and every type they need,
// into emulator/graphql/github-subset.graphql. Definitions are copied, never written by hand, so
// a query that the emulator accepts is one GitHub accepts; an upgrade shows up as a diff.
//
//   node scripts/extract-graphql.mjs          # rewrite the subset
//   node scripts/extract-graphql.mjs --check  # exit 1 when it is stale
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const subsetPath = join(root, "emulator/graphql/github-subset.graphql");
const fieldsPath = join(root, "emulator/graphql/fields.json");

const BUILT_IN = new Set(["String", "Int", "Float", "Boolean", "ID"]);

function namedType(typeNode) {
  let t = typeNode;
  while (t.kind !== "NamedType") t = t.type;
  return t.name.value;
}

/** Builds the subset SDL; pure apart from reading the installed package. */
export function extractGraphqlSubset() {
  const require = createRequire(join(root, "package.json"));
  const { parse, print, Kind } = require("graphql");
  // The package exports no package.json: find its folder from the node_modules layout.
  const pkgDir = join(root, "node_modules/@octokit/graphql-schema");
  const version = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
  const full = parse(readFileSync(join(pkgDir, "schema.graphql"), "utf8"), {
    noLocation: true,
  });
  const byName = new Map();
  for (const def of full.definitions) if (def.name) byName.set(def.name.value, def);

  const wanted = new Map(); // object/interface type -> Set of field names
  for (const entry of JSON.parse(readFileSync(fieldsPath, "utf8"))) {
    const [type, field] = entry.split(".");
    const def = byName.get(type);
    if (!def) throw new Error(`${entry}: no type ${type} in @octokit/graphql-schema ${version}`);
    if (!def.fields?.some((f) => f.name.value === field)) {
      throw new Error(
        `${entry}: ${type} has no field ${field} in @octokit/graphql-schema ${version}`,
      );
    }
    if (!wanted.has(type)) wanted.set(type, new Set());
    wanted.get(type).add(field);
  }
  // An implementer must carry every kept field of the interfaces it keeps.
  for (const [type, fields] of wanted) {
    for (const iface of byName.get(type).interfaces ?? []) {
      for (const f of wanted.get(iface.name.value) ?? []) fields.add(f);
    }
  }

  const kept = new Map();
  const problems = [];
  const need = (name, from) => {
    if (BUILT_IN.has(name) || kept.has(name)) return;
    const def = byName.get(name);
    if (!def) throw new Error(`${from} needs ${name}, which the schema does not define`);
    switch (def.kind) {
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_DEFINITION:
        kept.set(name, def);
        return;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        kept.set(name, def);
        for (const f of def.fields ?? []) need(namedType(f.type), `${name}.${f.name.value}`);
        return;
      case Kind.UNION_TYPE_DEFINITION: {
        const types = def.types.filter((t) => wanted.has(t.name.value));
        if (types.length === 0) problems.push(`${from} returns ${name}: list a member's fields`);
        kept.set(name, { ...def, types });
        for (const t of types) need(t.name.value, name);
        return;
      }
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_DEFINITION: {
        const fields = wanted.get(name);
        if (!fields) {
          problems.push(`${from} returns ${name}: list the fields of ${name} that are served`);
          return;
        }
        const copy = {
          ...def,
          interfaces: (def.interfaces ?? []).filter((i) => wanted.has(i.name.value)),
          fields: def.fields.filter((f) => fields.has(f.name.value)),
        };
        kept.set(name, copy);
        for (const i of copy.interfaces) need(i.name.value, name);
        for (const f of copy.fields) {
          need(namedType(f.type), `${name}.${f.name.value}`);
          for (const a of f.arguments ?? [])
            need(namedType(a.type), `${name}.${f.name.value}(${a.name.value})`);
        }
        return;
      }
      default:
        throw new Error(
          `${from} needs ${name} of kind ${def.kind}, which the extractor cannot copy`,
        );
    }
  };
  for (const root of ["Query", "Mutation"]) if (wanted.has(root)) need(root, "the schema");
  // Implementers of kept interfaces that are listed, so fragments on them validate.
  for (const type of wanted.keys()) need(type, "fields.json");
  if (problems.length > 0)
    throw new Error(`emulator/graphql/fields.json:\n  ${problems.join("\n  ")}`);

  // GitHub's own directives (@preview, @possibleTypes, ...) are documentation here.
  const stripDirectives = (node) => {
    if (Array.isArray(node)) return node.map(stripDirectives);
    if (!node || typeof node !== "object") return node;
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "directives") out[k] = v.filter((d) => d.name.value === "deprecated");
      else out[k] = stripDirectives(v);
    }
    return out;
  };
  const definitions = [...kept.keys()].sort().map((name) => stripDirectives(kept.get(name)));
  const header =
    `# Extracted from @octokit/graphql-schema ${version} by scripts/extract-graphql.mjs from\n` +
    "# emulator/graphql/fields.json. Do not edit: change fields.json and run the script.\n\n";
  return `${header}${print({ kind: Kind.DOCUMENT, definitions })}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = extractGraphqlSubset();
  if (process.argv.includes("--check")) {
    const current = readFileSync(subsetPath, "utf8");
    if (current !== text) {
      console.error(`${subsetPath} is stale: run node scripts/extract-graphql.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(subsetPath, text);
    console.log(`wrote ${subsetPath} (${text.length} bytes)`);
  }
}
