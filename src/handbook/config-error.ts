// A problem with the configuration: where (file, line, column, key path), what, found, allowed.

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

/** `bosun.yml:12:5 releaseTrain.mode: must be "freeze" or "release-candidate", found "frozen"` */
export function formatConfigError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.column} ${e.path ? `${e.path}: ` : ""}${e.message}`;
}

export function sortErrors(errors: ConfigError[]): ConfigError[] {
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

export function orList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
