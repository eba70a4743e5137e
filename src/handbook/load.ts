/**
 * Loads `bosun.yml` into a {@link HandbookConfig}, or reports every problem at once.
 *
 * Each problem names the file, line and column (1-based), the key path
 * ("releaseTrain.sprint.lengthWeeks", "productGroups[1].label"; in a rituals file "[3].frequency"),
 * the value found and what is allowed. Nothing here throws for a user's mistake.
 *
 * Order of work: YAML syntax (if the YAML cannot be read reliably, only syntax errors are
 * reported, since anything further would be guesswork) -> schema (zod) -> the rituals file
 * -> checks across fields. All problems found in these steps are reported together, sorted by
 * file and position.
 *
 * Kept light to import: only zod, yaml and (through the schema) temporal-polyfill.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
} from "yaml";
import type { z } from "zod";
import { type PartialConfig, withoutBrokenRituals } from "./rituals.js";
import { configSchema, type HandbookConfig, ritualsFileSchema } from "./schema.js";

export interface ConfigError {
  /** The file as the user named it (relative paths stay relative). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Key path, e.g. "releaseTrain.mode", "productGroups[1].label", "[3].frequency"; "" for the file. */
  path: string;
  /** What is wrong, including the value found: `must be "freeze" or "release-candidate", found "frozen"`. */
  message: string;
  /** The value found, as written for a human (strings quoted). */
  found?: string;
  /** What is allowed. */
  allowed?: string;
}

export type LoadResult =
  | { ok: true; config: HandbookConfig; file: string }
  | {
      ok: false;
      errors: ConfigError[];
      /** When every error is inside individual rituals: the configuration without them (rituals.ts). */
      partial?: PartialConfig;
    };

export interface ParseOptions {
  /** Environment variables; `BOSUN_WEBHOOK_SECRET` overrides `github.webhookSecret`. Default: none. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads a file referenced by the configuration (`ritualsFile`). Default: `fs.readFileSync`. */
  readFile?: (absolutePath: string) => string;
}

/** `bosun.yml:12:5 releaseTrain.mode: must be "freeze" or "release-candidate", found "frozen"` */
export function formatConfigError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.column} ${e.path ? `${e.path}: ` : ""}${e.message}`;
}

/**
 * Reads and parses a configuration file. A missing or unreadable file is a ConfigError.
 * `options.env` defaults to `process.env`.
 */
export async function loadConfig(file: string, options: ParseOptions = {}): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    return { ok: false, errors: [fileError(file, file, err, "the configuration file")] };
  }
  return parseConfig(text, file, { env: process.env, ...options });
}

/** Parses configuration text; `file` names it in errors and anchors `ritualsFile`. */
export function parseConfig(text: string, file: string, options: ParseOptions = {}): LoadResult {
  const read = options.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  const main = readYaml(text, file);
  if (main.fatal) return { ok: false, errors: sortErrors(main.errors) };
  const errors = [...main.errors];

  const data = main.doc.toJS() as unknown;
  if (!isRecord(data)) {
    errors.push({
      ...main.at([]),
      message: `must be a mapping with the keys ${allowedKeys(configSchema, []).join(", ")}${
        data == null ? " (the file is empty)" : ""
      }`,
    });
    return { ok: false, errors: sortErrors(errors) };
  }

  const parsed = configSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    errors.push(...issuesToErrors(parsed.error.issues, main, configSchema, ritualLookup(data)));
  }

  // The rituals: inline, or from `ritualsFile`, validated with the same schema.
  let rituals: HandbookConfig["rituals"] | undefined;
  let ritualData: unknown[] = Array.isArray(data.rituals) ? data.rituals : [];
  let ritualSource: YamlSource = main;
  let ritualPrefix: (string | number)[] = ["rituals"];
  if (typeof data.ritualsFile === "string" && data.ritualsFile.trim() !== "") {
    if (data.rituals !== undefined) {
      errors.push({
        ...main.at(["rituals"], "key"),
        path: "rituals",
        message: `cannot be used together with "ritualsFile": keep one of them`,
      });
    }
    const shown = path.join(path.dirname(file), data.ritualsFile);
    let ritualsText: string | undefined;
    try {
      ritualsText = read(path.resolve(path.dirname(file), data.ritualsFile));
    } catch (err) {
      errors.push({
        ...fileError(file, shown, err, "the rituals file"),
        ...main.at(["ritualsFile"]),
        path: "ritualsFile",
      });
    }
    if (ritualsText !== undefined) {
      const source = readYaml(ritualsText, shown);
      errors.push(...source.errors);
      if (!source.fatal) {
        const list = source.doc.toJS() as unknown;
        ritualData = Array.isArray(list) ? list : [];
        ritualSource = source;
        ritualPrefix = [];
        const result = ritualsFileSchema.safeParse(list ?? [], { reportInput: true });
        if (result.success) rituals = result.data;
        else {
          errors.push(
            ...issuesToErrors(result.error.issues, source, ritualsFileSchema, (p) =>
              ritualName(list, p, 0),
            ),
          );
        }
      }
    }
  }

  errors.push(...crossChecks(data, main, ritualData, ritualSource, ritualPrefix));

  if (errors.length > 0 || !parsed.success) {
    const sorted = sortErrors(errors);
    const partial = withoutBrokenRituals({
      data,
      rituals: ritualData,
      ritualsFile: ritualSource === main ? undefined : ritualSource.file,
      errors: sorted,
    });
    const envSecret = options.env?.BOSUN_WEBHOOK_SECRET;
    if (partial && envSecret)
      partial.config.github = { ...partial.config.github, webhookSecret: envSecret };
    return { ok: false, errors: sorted, ...(partial ? { partial } : {}) };
  }

  const config: HandbookConfig = { ...parsed.data };
  if (rituals) config.rituals = rituals;
  const secret = options.env?.BOSUN_WEBHOOK_SECRET;
  if (secret) config.github = { ...config.github, webhookSecret: secret };
  return { ok: true, config, file };
}

// ---------------------------------------------------------------------------------------
// YAML and positions
// ---------------------------------------------------------------------------------------

interface Position {
  file: string;
  line: number;
  column: number;
  path: string;
}

interface YamlSource {
  file: string;
  doc: Document;
  errors: ConfigError[];
  /** True when the YAML could not be read reliably (anything but duplicate keys). */
  fatal: boolean;
  /** Position of the node at `keyPath` ("key": its key), else of its nearest existing parent. */
  at(keyPath: readonly PropertyKey[], target?: "value" | "key"): Position;
}

function readYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number, keyPath: readonly PropertyKey[]): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, path: formatPath(keyPath) };
  };
  const errors = doc.errors.map((e): ConfigError => {
    const duplicate = e.code === "DUPLICATE_KEY";
    // Only a duplicate key has a reliable key path; a syntax error has a position only.
    const keyPath = duplicate ? pathAtOffset(doc, e.pos[0]) : [];
    const key = duplicate ? String(keyPath.at(-1) ?? "") : "";
    return {
      ...position(e.pos[0], keyPath),
      message: duplicate
        ? `duplicate key "${key}": each key may appear only once in a mapping`
        : `YAML syntax error: ${e.message}`,
      ...(duplicate ? { found: JSON.stringify(key) } : {}),
    };
  });
  return {
    file,
    doc,
    errors,
    fatal: doc.errors.some((e) => e.code !== "DUPLICATE_KEY"),
    at(keyPath, target = "value") {
      const { node, exact, key } = nodeAt(doc, keyPath);
      const chosen = exact && target === "key" && key ? key : node;
      return position(chosen?.range?.[0] ?? 0, keyPath);
    },
  };
}

interface Found {
  node: YamlNode | null;
  key: YamlNode | null;
  exact: boolean;
}

/** The node at `keyPath`, or the deepest existing parent (exact = false). */
function nodeAt(doc: Document, keyPath: readonly PropertyKey[]): Found {
  let node = doc.contents as YamlNode | null;
  let key: YamlNode | null = null;
  for (const segment of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) return { node, key, exact: false };
      key = pair.key as YamlNode;
      const value = pair.value as YamlNode | null;
      // An empty value ("key:") has no useful position: point at its key.
      node = value && !(isScalar(value) && value.value === null && !value.source) ? value : key;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) return { node, key, exact: false };
      node = item;
      key = null;
    } else {
      return { node, key, exact: false };
    }
  }
  return { node, key, exact: true };
}

/** The key path of the innermost node containing `offset`. */
function pathAtOffset(doc: Document, offset: number): (string | number)[] {
  const result: (string | number)[] = [];
  const within = (n: unknown) => {
    const r = (n as YamlNode | null)?.range;
    return r ? r[0] <= offset && offset <= r[2] : false;
  };
  let node = doc.contents as unknown;
  for (let depth = 0; depth < 100; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => within(p.key) || within(p.value));
      if (!pair) break;
      result.push(isScalar(pair.key) ? String(pair.key.value) : "?");
      if (within(pair.key)) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex(within);
      if (index < 0) break;
      result.push(index);
      node = node.items[index];
    } else break;
  }
  return result;
}

/** "releaseTrain.sprint.lengthWeeks", "productGroups[1].label", "[3].frequency". */
export function formatPath(keyPath: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of keyPath) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const s = String(segment);
      const plain = /^[A-Za-z_$][\w$-]*$/.test(s) ? s : JSON.stringify(s);
      out += out === "" ? plain : `.${plain}`;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Zod issues -> ConfigErrors
// ---------------------------------------------------------------------------------------

/** Names the ritual at a key path (by its task), for messages. */
type RitualNamer = (keyPath: readonly PropertyKey[]) => { name: string; depth: number } | undefined;

function ritualName(
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

function ritualLookup(data: Record<string, unknown>): RitualNamer {
  return (keyPath) => (keyPath[0] === "rituals" ? ritualName(data.rituals, keyPath, 1) : undefined);
}

function issuesToErrors(
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

function orList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

// Walks a zod schema to the object at a key path, to list its keys in messages.
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

function allowedKeys(root: z.ZodType, keyPath: readonly PropertyKey[]): string[] {
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

// ---------------------------------------------------------------------------------------
// Checks across fields (on the raw data, so that they run even when other keys are wrong)
// ---------------------------------------------------------------------------------------

function crossChecks(
  data: Record<string, unknown>,
  main: YamlSource,
  rituals: unknown[],
  ritualSource: YamlSource,
  ritualPrefix: (string | number)[],
): ConfigError[] {
  const errors: ConfigError[] = [];

  const unique = (listKey: string, field: string, what: string) => {
    const list = data[listKey];
    if (!Array.isArray(list)) return;
    const seen = new Map<string, number>();
    list.forEach((item: unknown, index) => {
      const value = isRecord(item) ? item[field] : listKey === "repositories" ? item : undefined;
      if (typeof value !== "string") return;
      const first = seen.get(value);
      if (first === undefined) {
        seen.set(value, index);
        return;
      }
      const keyPath = isRecord(item) ? [listKey, index, field] : [listKey, index];
      errors.push({
        ...main.at(keyPath),
        message: `duplicate ${what} ${JSON.stringify(value)}: already used by ${listKey}[${first}]; each ${what} must be unique`,
        found: JSON.stringify(value),
      });
    });
  };
  unique("repositories", "name", "repository name");
  unique("productGroups", "label", "product group label");
  unique("productGroups", "id", "product group id");

  const labels = isRecord(data.labels) ? data.labels : {};
  if (Array.isArray(labels.bugStates)) {
    const states = new Map<string, number>();
    const bugLabels = new Map<string, number>();
    labels.bugStates.forEach((item: unknown, index) => {
      if (!isRecord(item)) return;
      for (const [field, seen] of [
        ["state", states],
        ["label", bugLabels],
      ] as const) {
        const value = item[field];
        if (typeof value !== "string") continue;
        const first = seen.get(value);
        if (first === undefined) seen.set(value, index);
        else {
          errors.push({
            ...main.at(["labels", "bugStates", index, field]),
            message: `duplicate bug ${field} ${JSON.stringify(value)}: already used by labels.bugStates[${first}]`,
            found: JSON.stringify(value),
          });
        }
      }
    });
  }

  // A ritual's autoIssue.repo must be a configured repository.
  const repositories = Array.isArray(data.repositories)
    ? data.repositories
        .map((r: unknown) => (isRecord(r) ? r.name : r))
        .filter((n): n is string => typeof n === "string")
    : [];
  if (repositories.length > 0) {
    const allowed = orList(repositories.map((r) => JSON.stringify(r)));
    rituals.forEach((ritual, index) => {
      if (!isRecord(ritual) || !isRecord(ritual.autoIssue)) return;
      const repo = ritual.autoIssue.repo;
      if (typeof repo !== "string" || repositories.includes(repo)) return;
      const name =
        typeof ritual.task === "string" ? `ritual "${ritual.task}"` : `ritual #${index + 1}`;
      errors.push({
        ...ritualSource.at([...ritualPrefix, index, "autoIssue", "repo"]),
        message: `${name}: autoIssue.repo must be one of the configured repositories (${allowed}), found ${JSON.stringify(repo)}`,
        found: JSON.stringify(repo),
        allowed,
      });
    });
  }
  // The KPI report is posted in a configured repository.
  const kpiPost = isRecord(data.kpi) && isRecord(data.kpi.post) ? data.kpi.post : {};
  if (typeof kpiPost.repository === "string" && repositories.length > 0) {
    if (!repositories.includes(kpiPost.repository)) {
      const allowed = orList(repositories.map((r) => JSON.stringify(r)));
      errors.push({
        ...main.at(["kpi", "post", "repository"]),
        message: `must be one of the configured repositories (${allowed}), found ${JSON.stringify(kpiPost.repository)}`,
        found: JSON.stringify(kpiPost.repository),
        allowed,
      });
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------

function fileError(configFile: string, shown: string, err: unknown, what: string): ConfigError {
  const code = (err as { code?: string } | null)?.code;
  const resolved = path.resolve(shown);
  const reason =
    code === "ENOENT"
      ? `${what} was not found: ${resolved}`
      : code === "EISDIR"
        ? `${what} is a directory, not a file: ${resolved}`
        : code === "EACCES"
          ? `${what} cannot be read (permission denied): ${resolved}`
          : `${what} cannot be read: ${resolved} (${(err as Error)?.message ?? String(err)})`;
  const help =
    configFile === shown
      ? ". Copy bosun.example.yml to bosun.yml and edit it, or name another file with --config."
      : ". The path is relative to the configuration file.";
  return { file: shown, line: 1, column: 1, path: "", message: reason + help };
}

function sortErrors(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors
    .filter((e) => {
      const key = formatConfigError(e);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) =>
      a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1,
    );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
