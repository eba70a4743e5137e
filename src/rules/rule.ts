// The shape of a rule module: one folder under src/rules/ exports one of these, and the
// registry (index.ts) lists it. Everything about a rule is declared here, in its folder: its
// configuration fragment, the labels it needs, its cross-checks, what re-decides it, how it
// reads its input through a narrow interface, and its pure decision.
import type { Temporal } from "temporal-polyfill";
import type { z } from "zod";
import type { Observation, PlannedEffect } from "../effects/plan.js";
import type { ConfigCheck } from "../handbook/checks.js";
import type { HandbookConfig } from "../handbook/schema.js";
import type { VocabularyLabel } from "./labels/vocabulary.js";

export interface RuleOutput {
  effects: PlannedEffect[];
  observations: Observation[];
}

/**
 * A rule's settings in bosun.yml: the keys it adds, at the top level or inside a shared section,
 * each with its schema (defaults filled in by parsing). Assembled in src/handbook/assemble.ts.
 */
export interface ConfigFragment {
  /** The shared section the keys sit in; absent: the top level. */
  in?: "releaseTrain";
  keys?: Record<string, z.ZodType>;
  /** Shared sections the rule is configured by ("labels", "calendar"), for the docs and the API. */
  reads?: readonly string[];
}

/**
 * What a decision covers. A scheduled or periodic run covers everything; a webhook about
 * one pull request covers that repository and number, so the rule loads only what it needs.
 */
export interface Scope {
  /** `owner/name`; absent: every configured repository. */
  repo?: string;
  /** Issue or pull request numbers in `repo`; absent: all of them. */
  numbers?: readonly number[];
}

/** A webhook that should re-decide a rule, and what it touches. */
export interface EventTrigger {
  event: string;
  /** Absent: every action. */
  actions?: readonly string[];
  /**
   * The scope the delivery touches (repository and numbers), or undefined for "decide
   * everything this rule covers". Gets the delivery's parsed payload and its repository.
   */
  scope?(payload: unknown, repo: string | undefined): Scope | undefined;
}

/** An instant at which a rule must re-decide: a calendar transition, an SLA deadline. */
export interface DueInstant {
  at: Temporal.Instant;
  /** For the log: "release train: freeze", "ritual: Weekly update". */
  what: string;
}

/** A configured repository as every rule sees it. */
export interface RepositoryState {
  /** `owner/name`. */
  fullName: string;
  /** False until the first full sync has stored it: a rule must not act on what it has not seen. */
  synced: boolean;
  labels: { name: string; color?: string }[];
}

/**
 * How a rule reads: its own narrow interface over the store (`reads`), the scope, the instant,
 * and what the runner loads once per decision run for every rule that asks.
 */
export interface LoadContext<Reads> {
  reads: Reads;
  config: HandbookConfig;
  scope: Scope;
  now: Temporal.Instant;
  /** Every configured repository (or the scope's one), loaded once per run. */
  repositories(): Promise<RepositoryState[]>;
  /** Configured logins GitHub answered 404 for (lower case), loaded once per run. */
  missingLogins(): Promise<string[]>;
  /** The label vocabulary: the union of every registered rule's labels. */
  vocabulary: readonly VocabularyLabel[];
  /** Memoised per decision run: the same key is loaded once, whichever rule asks first. */
  shared<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** What every rule says of itself: the CLI, the dashboard and `/api/rules` list it. */
export interface RuleDescription {
  name: string;
  /** Handbook rule ids this rule implements (HANDBOOK.md). */
  ids: readonly string[];
  summary: string;
  config: ConfigFragment;
  /** Labels the rule reads or writes; the label vocabulary is the union over all rules. */
  labels?(config: HandbookConfig): VocabularyLabel[];
  /** Problems across fields, on the raw data, positioned like the loader's. */
  checks?: readonly ConfigCheck[];
  triggers?: {
    events?: readonly EventTrigger[];
    /** The next instants after `now` at which the rule's verdicts change without a webhook. */
    instants?(config: HandbookConfig, now: Temporal.Instant): DueInstant[];
  };
}

/** A rule that plans effects: loads its input, then decides without I/O or a clock of its own. */
export interface PlanningRule<Reads = unknown, Input = unknown> extends RuleDescription {
  kind: "plan";
  load(ctx: LoadContext<Reads>): Promise<Input>;
  decide(input: Input, config: HandbookConfig, now: Temporal.Instant): RuleOutput;
}

/**
 * A rule that answers a question when asked (the deploy guard: may this image be deployed
 * now?): the same load-then-decide shape, with the question as the load's argument.
 */
export interface GuardRule<Reads = unknown, Question = unknown, Input = unknown, Answer = unknown>
  extends RuleDescription {
  kind: "guard";
  load(ctx: LoadContext<Reads>, question: Question): Promise<Input>;
  decide(input: Input, config: HandbookConfig, now: Temporal.Instant): Answer;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds rules of every input type.
export type AnyPlanningRule = PlanningRule<any, any>;
// biome-ignore lint/suspicious/noExplicitAny: as above.
export type AnyRule = AnyPlanningRule | GuardRule<any, any, any, any>;

/** Declares a planning rule with its types inferred from `load` and `decide`. */
export function planningRule<Reads, Input>(
  rule: Omit<PlanningRule<Reads, Input>, "kind">,
): PlanningRule<Reads, Input> {
  return { kind: "plan", ...rule };
}

export function guardRule<Reads, Question, Input, Answer>(
  rule: Omit<GuardRule<Reads, Question, Input, Answer>, "kind">,
): GuardRule<Reads, Question, Input, Answer> {
  return { kind: "guard", ...rule };
}

/** The key paths a rule occupies in bosun.yml ("kpi", "releaseTrain.mergeGate"), then those it reads. */
export function configPaths(rule: RuleDescription): string[] {
  const prefix = rule.config.in ? `${rule.config.in}.` : "";
  const own = Object.keys(rule.config.keys ?? {}).map((k) => prefix + k);
  return [...own, ...(rule.config.reads ?? [])];
}

/** The key paths a rule's own settings occupy (none for a rule configured by shared sections). */
export function ownConfigPaths(rule: RuleDescription): string[] {
  const prefix = rule.config.in ? `${rule.config.in}.` : "";
  return Object.keys(rule.config.keys ?? {}).map((k) => prefix + k);
}

export function emptyOutput(): RuleOutput {
  return { effects: [], observations: [] };
}
