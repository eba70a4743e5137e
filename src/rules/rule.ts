import type { Temporal } from "temporal-polyfill";
import type { Observation, PlannedEffect } from "../effects/plan.js";
import type { HandbookConfig } from "../handbook/schema.js";
import type { Snapshot } from "./snapshot.js";

export interface RuleContext {
  config: HandbookConfig;
  snapshot: Snapshot;
  /** Decisions take the clock as an argument; none reads the wall clock. */
  now: Temporal.Instant;
}

export interface RuleOutput {
  effects: PlannedEffect[];
  observations: Observation[];
}

/** A rule describes itself, so the CLI and dashboard can list what runs and where it is configured. */
export interface Rule {
  name: string;
  /** Handbook rule ids this rule implements (HANDBOOK.md). */
  ids: string[];
  /** The bosun.yml section that configures it. */
  section: string;
  summary: string;
  decide(ctx: RuleContext): RuleOutput;
}
