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
 * The schema and the cross-checks come from the shared sections and the rule registry.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { RULES } from "../rules/index.js";
import type { AnyRule } from "../rules/rule.js";
import { assembleSchema, configSchema as registrySchema } from "./assemble.js";
import type { CheckContext } from "./checks.js";
import { configuredRepositoryNames, sharedChecks } from "./checks.js";
import { type ConfigError, isRecord, sortErrors } from "./config-error.js";
import { type PartialConfig, withoutBrokenParts } from "./partial.js";
import { ritualsFileSchema } from "./ritual-schema.js";
import type { HandbookConfig } from "./schema.js";
import { readYaml, type YamlSource } from "./yaml-source.js";
import { allowedKeys, issuesToErrors, ritualLookup, ritualName } from "./zod-issues.js";

export { type ConfigError, formatConfigError } from "./config-error.js";
export { formatPath } from "./yaml-source.js";

export type LoadResult =
  | { ok: true; config: HandbookConfig; file: string }
  | {
      ok: false;
      errors: ConfigError[];
      /**
       * When every error is inside individual rituals or rule sections: the configuration
       * without them, and what was left out (partial.ts). Nothing else may start on errors.
       */
      partial?: PartialConfig;
    };

export interface ParseOptions {
  /** Environment variables; `BOSUN_WEBHOOK_SECRET` overrides `github.webhookSecret`. Default: none. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads a file referenced by the configuration (`ritualsFile`). Default: `fs.readFileSync`. */
  readFile?: (absolutePath: string) => string;
  /** The rules whose sections and checks make up the schema. Default: the registry. */
  rules?: readonly AnyRule[];
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
  const rules = options.rules ?? RULES;
  const configSchema = options.rules ? assembleSchema(rules) : registrySchema;
  const main = readYaml(text, file);
  if (main.fatal) return { ok: false, errors: sortErrors(main.errors) };
  const errors = [...main.errors];

  const data = main.value;
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
        const list = source.value;
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

  const checks: CheckContext = {
    data,
    at: (keyPath, target) => main.at(keyPath, target),
    repositories: configuredRepositoryNames(data),
    rituals: {
      list: ritualData,
      at: (keyPath) => ritualSource.at([...ritualPrefix, ...keyPath]),
    },
  };
  errors.push(...sharedChecks(checks));
  for (const rule of rules) for (const check of rule.checks ?? []) errors.push(...check(checks));

  if (errors.length > 0 || !parsed.success) {
    const sorted = sortErrors(errors);
    const partial = withoutBrokenParts({
      data,
      rituals: ritualData,
      ritualsFile: ritualSource === main ? undefined : ritualSource.file,
      file,
      errors: sorted,
      rules,
      schema: configSchema,
    });
    const envSecret = options.env?.BOSUN_WEBHOOK_SECRET;
    if (partial && envSecret)
      partial.config.github = { ...partial.config.github, webhookSecret: envSecret };
    return { ok: false, errors: sorted, ...(partial ? { partial } : {}) };
  }

  const config = { ...parsed.data } as HandbookConfig;
  if (rituals) config.rituals = rituals;
  const secret = options.env?.BOSUN_WEBHOOK_SECRET;
  if (secret) config.github = { ...config.github, webhookSecret: secret };
  return { ok: true, config, file };
}

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
