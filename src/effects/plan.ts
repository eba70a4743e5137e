import { type Effect, type EffectType, effectTarget } from "./effects.js";

/**
 * The idempotency-key rule: a key names an *intention* (which rule, which kind of change, on what,
 * for which occurrence), never the effect's wording, so a rerun with a reworded reason is still
 * recognised as done. Two effects with one key are one effect; the executor applies a key once.
 */
export interface KeyParts {
  /** The rule that wants the effect: a handbook id (`R14`) or a Bosun rule name (`labels`). */
  rule: string;
  type: EffectType;
  /** As {@link effectTarget} builds it. */
  target: string;
  /** What tells two intentions on one target apart: a label name, an occurrence date, a version. */
  discriminator: string;
}

const SEP = ":";

function escapePart(part: string): string {
  return part.replace(/%/g, "%25").replace(/:/g, "%3A");
}

function unescapePart(part: string): string {
  return part.replace(/%3A/gi, ":").replace(/%25/g, "%");
}

export function idempotencyKey(parts: KeyParts): string {
  return [parts.rule, parts.type, parts.target, parts.discriminator].map(escapePart).join(SEP);
}

export function parseIdempotencyKey(key: string): KeyParts {
  const raw = key.split(SEP);
  if (raw.length !== 4 || raw.some((p) => p.length === 0)) {
    throw new Error(`not a Bosun idempotency key: ${JSON.stringify(key)}`);
  }
  const [rule, type, target, discriminator] = raw.map(unescapePart) as [
    string,
    string,
    string,
    string,
  ];
  return { rule, type: type as EffectType, target, discriminator };
}

/** An effect as a rule plans it: what, why, and the key that makes it happen once. */
export interface PlannedEffect {
  key: string;
  rule: string;
  target: string;
  effect: Effect;
  /** A human reason citing the rule: "R9: main is frozen for 4.62.0 since Tue 09:00 PT; PR #123 is a feature". */
  reason: string;
}

export function planned(
  rule: string,
  effect: Effect,
  discriminator: string,
  reason: string,
): PlannedEffect {
  const target = effectTarget(effect);
  return {
    key: idempotencyKey({ rule, type: effect.type, target, discriminator }),
    rule,
    target,
    effect,
    reason,
  };
}

/** A rule that found nothing to do still says why, so `bosun why` can explain a non-action. */
export interface Observation {
  rule: string;
  target: string;
  message: string;
}

export interface Plan {
  id: string;
  /** The instant the decisions were made for (ISO 8601). */
  at: string;
  effects: PlannedEffect[];
  observations: Observation[];
}

/** Merges rule outputs into one plan; effects sharing a key collapse into the first. */
export function assemblePlan(
  id: string,
  at: string,
  parts: { effects: PlannedEffect[]; observations?: Observation[] }[],
): Plan {
  const seen = new Set<string>();
  const effects: PlannedEffect[] = [];
  const observations: Observation[] = [];
  for (const part of parts) {
    for (const e of part.effects) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      effects.push(e);
    }
    observations.push(...(part.observations ?? []));
  }
  return { id, at, effects, observations };
}
