// The schema of bosun.yml, assembled: the shared sections (schema.ts) and, in registry order,
// the keys each rule module declares in its folder. The order of keys is the order messages
// list them in ("allowed keys: ...").
import { z } from "zod";
import { RULES } from "../rules/index.js";
import type { AnyRule } from "../rules/rule.js";
import { checkDeepFreeze, releaseTrainCoreShape, sharedShape, trailingShape } from "./schema.js";

/** The sections rules may add keys to: the top level ("") and the shared release train. */
export type SectionName = "" | "releaseTrain";

function keysIn(section: SectionName, rules: readonly AnyRule[]): Record<string, z.ZodType> {
  const keys: Record<string, z.ZodType> = {};
  for (const rule of rules) {
    if ((rule.config.in ?? "") !== section) continue;
    for (const [key, schema] of Object.entries(rule.config.keys ?? {})) {
      if (key in keys || (section === "" && (key in sharedShape || key in trailingShape)))
        throw new Error(
          `rule ${rule.name}: the key ${section ? `${section}.` : ""}${key} is taken`,
        );
      keys[key] = schema;
    }
  }
  return keys;
}

export function assembleSchema(rules: readonly AnyRule[] = RULES) {
  const releaseTrain = z
    .strictObject({ ...releaseTrainCoreShape, ...keysIn("releaseTrain", rules) })
    .superRefine(checkDeepFreeze);
  // Shared sections added later (`slack`) come last, so "allowed keys" lists keep their order.
  return z.strictObject({ ...sharedShape, releaseTrain, ...keysIn("", rules), ...trailingShape });
}

/** `bosun.yml`. */
export const configSchema = assembleSchema();
