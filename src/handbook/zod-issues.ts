// Zod's issues as ConfigErrors: positioned, with the value found, what is allowed and, for an
// unknown key, the closest allowed one.
import type { z } from "zod";
import { type ConfigError, isRecord, orList } from "./config-error.js";
import { formatPath, type YamlSource } from "./yaml-source.js";

/** Names the ritual at a key path (by its task), for messages. */
export type RitualNamer = (
  keyPath: readonly PropertyKey[],
) => { name: string; depth: number } | undefined;

export function ritualName(
  list: unknown,
  keyPath: readonly PropertyKey[],
  indexAt: number,
): { name: string; depth: number } | undefined {
  const index = keyPath[indexAt];
  if (!Array.isArray(list) || typeof index !== "number") return undefined;
  const item: unknown = list[index];
  const task = isRecord(item) && typeof item.task === "string" ? item.task : undefined;
  return { name: task ? `ritual "${task}"` : `ritual #${index + 1}`, depth: indexAt + 1 };
}

export function ritualLookup(data: Record<string, unknown>): RitualNamer {
  return (keyPath) => (keyPath[0] === "rituals" ? ritualName(data.rituals, keyPath, 1) : undefined);
}

export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  source: YamlSource,
  root: z.ZodType,
  ritualOf: RitualNamer,
): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const issue of issues) {
    for (const e of issueToErrors(issue, source, root)) {
      const ritual = ritualOf(e.keyPath);
      if (ritual) {
        const field = formatPath(e.keyPath.slice(ritual.depth));
        e.message = `${ritual.name}: ${field ? `${field} ` : ""}${e.message}`;
      }
      const { keyPath: _, ...error } = e;
      errors.push(error);
    }
  }
  return errors;
}

function issueToErrors(
  issue: z.core.$ZodIssue,
  source: YamlSource,
  root: z.ZodType,
): (ConfigError & { keyPath: PropertyKey[] })[] {
  const keyPath = [...issue.path];
  const input = (issue as { input?: unknown }).input;
  const found = describeValue(input);

  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeys(root, keyPath);
      return issue.keys.map((k) => {
        const suggestion = closest(k, allowed);
        const hint =
          keyPath[0] === "github" && keyPath.length === 1 && /token|app|key|auth/i.test(k)
            ? " (GitHub authentication is configured with environment variables, not in this file)"
            : keyPath[0] === "slack" && keyPath.length === 1 && /token|secret|webhook|url/i.test(k)
              ? " (the Slack token and webhook URL come from the environment: SLACK_BOT_TOKEN, SLACK_WEBHOOK_URL, or their _FILE variants)"
              : "";
        return {
          ...source.at([...keyPath, k], "key"),
          keyPath: [...keyPath, k],
          message: `unknown key "${k}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}${hint}; allowed keys: ${allowed.join(", ")}`,
          found: JSON.stringify(k),
          allowed: allowed.join(", "),
        };
      });
    }
    case "invalid_type": {
      const expected = describeExpected(issue.expected);
      if (input === undefined) {
        const name = keyPath.at(-1);
        return [
          {
            ...source.at(keyPath),
            keyPath,
            message:
              typeof name === "string"
                ? `is required: add the key "${name}"${expected === "text" ? "" : ` (${expected})`}`
                : `is required (${expected})`,
            ...(expected === "text" ? {} : { allowed: expected }),
          },
        ];
      }
      if (input === null) {
        return [
          {
            ...source.at(keyPath),
            keyPath,
            message: `has no value: write ${expected} after the colon`,
            found,
            allowed: expected,
          },
        ];
      }
      return [
        {
          ...source.at(keyPath),
          keyPath,
          message: `must be ${expected}, found ${found}`,
          found,
          allowed: expected,
        },
      ];
    }
    case "invalid_value": {
      const allowed = orList(issue.values.map((v) => JSON.stringify(v)));
      return [
        {
          ...source.at(keyPath),
          keyPath,
          message: `must be ${allowed}, found ${found}`,
          found,
          allowed,
        },
      ];
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const limit = Number(small ? issue.minimum : issue.maximum);
      let allowed: string;
      if (issue.origin === "array") {
        allowed = small
          ? `at least ${limit} item${limit === 1 ? "" : "s"}`
          : `at most ${limit} items`;
      } else if (issue.origin === "string") {
        allowed = small
          ? limit === 1
            ? "not empty"
            : `at least ${limit} characters`
          : `at most ${limit} characters`;
      } else {
        allowed = small ? `at least ${limit}` : `at most ${limit}`;
      }
      const verb = issue.origin === "array" ? "must list" : "must be";
      return [
        {
          ...source.at(keyPath),
          keyPath,
          message: `${verb} ${allowed}, found ${issue.origin === "array" ? `${(input as unknown[] | undefined)?.length ?? 0}` : found}`,
          found,
          allowed,
        },
      ];
    }
    case "custom": {
      const params = (issue.params ?? {}) as { allowed?: string; noFound?: boolean };
      const withFound = input !== undefined && !params.noFound;
      return [
        {
          ...source.at(keyPath),
          keyPath,
          message: withFound ? `${issue.message}, found ${found}` : issue.message,
          ...(input !== undefined ? { found } : {}),
          ...(params.allowed ? { allowed: params.allowed } : {}),
        },
      ];
    }
    default:
      return [
        {
          ...source.at(keyPath),
          keyPath,
          message: input !== undefined ? `${issue.message}, found ${found}` : issue.message,
          ...(input !== undefined ? { found } : {}),
        },
      ];
  }
}

function describeExpected(expected: string): string {
  switch (expected) {
    case "object":
      return "a mapping (key: value lines)";
    case "array":
      return "a list";
    case "string":
      return "text";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "boolean":
      return "true or false";
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "a mapping";
  return String(value);
}

interface LooseDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: LooseDef } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if (def.innerType) s = def.innerType;
    else if (def.type === "pipe" && def.in && def.out) {
      s = defOf(def.in).type === "transform" ? def.out : def.in;
    } else break;
  }
  return s;
}

export function allowedKeys(root: z.ZodType, keyPath: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = unwrap(root);
  for (const segment of keyPath) {
    if (!s) break;
    const def = defOf(s);
    if (typeof segment === "number") s = def.element ? unwrap(def.element) : undefined;
    else
      s = def.shape?.[String(segment)]
        ? unwrap(def.shape[String(segment)] as z.ZodType)
        : undefined;
  }
  return s ? Object.keys(defOf(s).shape ?? {}) : [];
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
