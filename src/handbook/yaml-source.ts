// YAML with positions: every key path of a configuration maps to a file, line and column.
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Node as YamlNode,
} from "yaml";
import type { ConfigError } from "./config-error.js";

export interface Position {
  file: string;
  line: number;
  column: number;
  path: string;
}

export interface YamlSource {
  file: string;
  doc: Document;
  errors: ConfigError[];
  /** True when the YAML could not be read reliably (anything but duplicate keys). */
  fatal: boolean;
  /** The document as plain data; undefined when `fatal`. */
  value: unknown;
  /** Position of the node at `keyPath` ("key": its key), else of its nearest existing parent. */
  at(keyPath: readonly PropertyKey[], target?: "value" | "key"): Position;
}

export function readYaml(text: string, file: string): YamlSource {
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
  let fatal = doc.errors.some((e) => e.code !== "DUPLICATE_KEY");
  let value: unknown;
  if (!fatal) {
    // toJS refuses an alias bomb (yaml's maxAliasCount) by throwing: make that a positioned error.
    try {
      value = doc.toJS();
    } catch (err) {
      let offset = 0;
      visit(doc, {
        Alias(_, node) {
          offset = node.range?.[0] ?? 0;
          return visit.BREAK;
        },
      });
      fatal = true;
      errors.push({
        ...position(offset, []),
        message: `YAML aliases expand too far (${err instanceof Error ? err.message : String(err)}): use fewer or smaller aliases`,
      });
    }
  }
  return {
    file,
    doc,
    errors,
    fatal,
    value,
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
