// Validates emulator responses against GitHub's OpenAPI description (the committed subset)
// and webhook payloads against @octokit/webhooks-schemas. Used by the contract tests and
// available to anyone who wants to check a recorded exchange.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { packageRoot } from "../package-root.js";

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface ContractProblem {
  operation: string;
  status: number;
  errors: string[];
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  operationId: string;
  responses: Record<string, unknown>;
}

function newAjv(): Ajv {
  // strict off: GitHub's description carries OpenAPI-only keywords (x-*, discriminator).
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  return ajv;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);
}

export function loadOpenApiSubset(): {
  source: { package: string; version: string };
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, unknown> }>
  >;
} {
  return JSON.parse(
    readFileSync(join(packageRoot(), "emulator/contract/openapi-subset.json"), "utf8"),
  );
}

/** Checks (method, path, status, body) exchanges against the OpenAPI subset. */
export class ResponseContract {
  private readonly ajv = newAjv();
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(subset = loadOpenApiSubset()) {
    this.ajv.addSchema(toJsonSchema(subset) as object, "openapi");
    for (const [template, methods] of Object.entries(subset.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // {path} and {ref} may contain slashes (contents paths, refs); the rest may not.
        const source = template.replace(/\{(\w+)\}/g, (_m, name: string) =>
          name === "path" || name === "ref" || name === "basehead" ? "(.+)" : "([^/]+)",
        );
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}$`),
          operationId: op.operationId,
          responses: op.responses,
        });
      }
    }
    // Literal segments beat parameters: /issues/events must not match /issues/{issue_number}.
    this.operations.sort((a, b) => literalWeight(b.template) - literalWeight(a.template));
  }

  /** The operation that serves a concrete request, or undefined. */
  match(method: string, path: string): Operation | undefined {
    const bare = path.split("?")[0] ?? path;
    return this.operations.find(
      (op) => op.method === method.toUpperCase() && op.pattern.test(bare),
    );
  }

  operationIds(): string[] {
    return this.operations.map((op) => op.operationId);
  }

  /** Returns the problems found; an empty array means GitHub's description allows it. */
  check(method: string, path: string, status: number, body: unknown): string[] {
    const op = this.match(method, path);
    if (!op) return [`${method} ${path}: not an operation of the subset`];
    if (status === 304) return [];
    const key = String(status) in op.responses ? String(status) : "default";
    const response = op.responses[key] as
      | { content?: Record<string, unknown>; $ref?: string }
      | undefined;
    if (!response) return [`${op.operationId}: status ${status} is not documented`];
    const pointer = `openapi#/paths/${pointerEscape(op.template)}/${op.method.toLowerCase()}/responses/${key}`;
    const hasJson = response.$ref !== undefined || response.content?.["application/json"];
    if (!hasJson) return body === undefined || body === "" ? [] : [];
    const schemaRef = response.$ref
      ? `openapi${response.$ref}/content/application~1json/schema`
      : `${pointer}/content/application~1json/schema`;
    let validate = this.compiled.get(schemaRef);
    if (!validate) {
      validate = this.ajv.compile({ $ref: schemaRef });
      this.compiled.set(schemaRef, validate);
    }
    return validate(body)
      ? []
      : formatErrors(validate.errors).map((e) => `${op.operationId}: ${e}`);
  }
}

/**
 * OpenAPI 3.0's `nullable: true` is not JSON Schema; rewrite it as a union with null so
 * Ajv reads it exactly as GitHub means it (also next to $ref, anyOf and enum).
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = toJsonSchema(value);
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (
    typeof out.type === "string" &&
    Object.keys(out).every((k) => k !== "$ref" && k !== "allOf" && k !== "anyOf" && k !== "oneOf")
  ) {
    out.type = [out.type, "null"];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

function literalWeight(template: string): number {
  return template.split("/").filter((s) => s && !s.startsWith("{")).length;
}

function pointerEscape(template: string): string {
  return template.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Checks webhook payloads against @octokit/webhooks-schemas. */
export class WebhookContract {
  private readonly ajv = newAjv();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    const require = createRequire(join(packageRoot(), "package.json"));
    const schema = require("@octokit/webhooks-schemas") as Record<string, unknown>;
    this.ajv.addSchema({ ...schema, oneOf: undefined }, "webhooks");
  }

  /** Problems with a payload for event (and action, when the event has actions). */
  check(event: string, payload: Record<string, unknown>): string[] {
    const key =
      typeof payload.action === "string" ? `${event}$${payload.action}` : `${event}$event`;
    let validate = this.compiled.get(key);
    if (!validate) {
      try {
        validate = this.ajv.compile({ $ref: `webhooks#/definitions/${key}` });
      } catch {
        return [`${key}: no such definition in @octokit/webhooks-schemas`];
      }
      this.compiled.set(key, validate);
    }
    return validate(payload) ? [] : formatErrors(validate.errors).map((e) => `${key}: ${e}`);
  }
}
