import type { EmulatorState } from "../state/state.js";

/** What every renderer needs: the state and the base URL links point back to. */
export interface RenderContext {
  state: EmulatorState;
  /** The emulator's own URL, e.g. http://127.0.0.1:3100 (no trailing slash). */
  base: string;
  /** Lower-cased logins of the organisation's members (author_association MEMBER). */
  memberLogins?: Set<string>;
}

/** GitHub node ids are opaque base64 strings; ours encode the type and the database id. */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0:${type}${id}`).toString("base64").replace(/=+$/, "");
}

/** Reads an id made by `nodeId`: the type name, then its key (the database id). */
export function parseNodeId(id: string): { type: string; key: string } | undefined {
  const text = Buffer.from(id, "base64").toString("utf8");
  const match = /^0:([A-Z][A-Za-z]*?)(\d.*)$/.exec(text);
  return match ? { type: match[1]!, key: match[2]! } : undefined;
}
