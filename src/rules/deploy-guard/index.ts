// The deploy guard (R27-R29): may this image be deployed to this environment at this instant?
// Pure: what runs, which names are branches, which commits carry which versions and where a commit
// stands in git history (GitHub's compare, loaded up front) come in as data; the answer lists
// every check with the rule that decided it.
import { Temporal } from "temporal-polyfill";
import { BosunError } from "../../errors.js";
import { pathMatcher } from "../../handbook/globs.js";
import { formatPattern } from "../../handbook/patterns.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { compareSemver } from "../../handbook/versions.js";
import { weekdayNumber } from "../../handbook/weekdays.js";
import { businessCalendar } from "../../time/business.js";
import { formatWhen } from "../../time/format.js";
import type { DeployGuardConfig } from "./config.js";

/** Bad input (unknown environment, an image name that is empty): code "bad-input", nothing checked. */
export class DeployInputError extends BosunError {
  override name = "DeployInputError";
  constructor(message: string) {
    super("bad-input", message);
  }
}

export { compareSemver };

/** "not-a-digest": something after `@` that is not `sha256:` and 64 hex digits (R29 refuses it). */
export type ImageKind = "version" | "commit" | "digest" | "branch" | "not-a-digest" | "other";

export interface ParsedImage {
  /** As given. */
  image: string;
  /** "fleetdm/fleet", or undefined for a bare tag. */
  repository?: string;
  /** The tag ("v4.62.0", "a1b2c3d", "main"), or what follows `@`; "latest" when the image names none. */
  tag: string;
  kind: ImageKind;
  /** "4.62.0" for a version tag ("v4.62.0", "fleet-v4.62.0", "4.62.0-rc.1" keeps its suffix). */
  version?: string;
  /** Lower-case hex, for a commit tag. */
  sha?: string;
}

const VERSION_RE = /^(?:[A-Za-z][\w.]*-)?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;
const COMMIT_RE = /^[0-9a-f]{7,40}$/i;
/** A content digest: the only algorithm registries use, and exactly its length (OCI: lower case). */
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
/** What a digest looks like, for messages. */
export const DIGEST_EXAMPLE = "sha256: followed by 64 hex digits (0-9, a-f)";

/**
 * Reads an image reference: `fleetdm/fleet:v4.62.0`, `registry:5000/fleet:a1b2c3d`,
 * `fleet@sha256:<64 hex digits>` (with or without a tag before the `@`), or a bare tag
 * (`v4.62.0`, `main`). Anything else after `@` is "not-a-digest". Branch names are those of the
 * configuration's `deployGuard.branches` and those the store knows (`knownBranches`).
 */
export function parseImage(
  image: string,
  branchGlobs: readonly string[],
  knownBranches: readonly string[] = [],
): ParsedImage {
  const text = image.trim();
  if (text === "")
    throw new DeployInputError("--image: an image name is required, e.g. fleetdm/fleet:v4.62.0");
  if (/\s/.test(text)) {
    throw new DeployInputError(
      `--image: an image name has no spaces, found ${JSON.stringify(image)}`,
    );
  }
  const at = text.indexOf("@");
  if (at >= 0) {
    // "name:tag@sha256:..." pins the digest; the tag before it is a label.
    const name = text.slice(0, at);
    const colon = name.lastIndexOf(":");
    const repository =
      colon >= 0 && !name.slice(colon + 1).includes("/") ? name.slice(0, colon) : name;
    const tag = text.slice(at + 1);
    return {
      image,
      ...(repository ? { repository } : {}),
      tag,
      kind: DIGEST_RE.test(tag) ? "digest" : "not-a-digest",
    };
  }
  const colon = text.lastIndexOf(":");
  const hasTag = colon >= 0 && !text.slice(colon + 1).includes("/");
  const repository = hasTag ? text.slice(0, colon) : text.includes("/") ? text : undefined;
  // "fleetdm/fleet" without a tag means Docker's moving "latest".
  const tag = hasTag ? text.slice(colon + 1) : text.includes("/") ? "latest" : text;
  const base = { image, ...(repository ? { repository } : {}), tag };
  const branches = pathMatcher(branchGlobs);
  if (branches(tag) || knownBranches.includes(tag)) return { ...base, kind: "branch" };
  const version = tag.match(VERSION_RE)?.[1];
  if (version) return { ...base, kind: "version", version };
  if (COMMIT_RE.test(tag)) return { ...base, kind: "commit", sha: tag.toLowerCase() };
  return { ...base, kind: "other" };
}

export interface RunningDeploy {
  image: string;
  version: string | null;
  sha: string | null;
  recordedAt: string;
}

/** Where `head` stands relative to `base` in git history, as GitHub's compare API says. */
export type CommitStatus = "ahead" | "behind" | "identical" | "diverged";

/** A placement, or why there is none (no GitHub client, a commit GitHub does not know ...). */
export type CommitPlacement = { status: CommitStatus } | { status: "unknown"; reason: string };

/** What the store knows that helps compare images. */
export interface DeployKnowledge {
  /** Branch names of the configured repositories. */
  branches: readonly string[];
  /** Versions of the release tags pointing at a commit (a prefix of its sha). */
  versionsOfCommit(sha: string): string[];
  /** The latest `bosun deploy record` of the environment. */
  running?: RunningDeploy;
  /**
   * R28: where `head` (a commit or release tag) stands relative to `base` in the history of the
   * image's repository, for the pairs the loader compared; undefined for a pair it did not.
   */
  placement?(base: string, head: string): CommitPlacement | undefined;
  /** R28: the newest release the running commit contains, when neither its tags nor its record say. */
  runningRelease?: string;
}

export interface DeployCheckItem {
  rule: "R27" | "R28" | "R29";
  /** true passed, false refused, null could not be decided (a warning, not a refusal). */
  ok: boolean | null;
  message: string;
}

export interface DeployAnswer {
  allowed: boolean;
  environment: string;
  image: string;
  /** ISO 8601 with the UTC offset, in calendar.timeZone. */
  at: string;
  /** The image's version, when its tag or a release tag on its commit names one. */
  version?: string;
  /** `--override REASON` as given; the checks it lifted say so. */
  override?: string;
  checks: DeployCheckItem[];
}

export interface DeployRequest {
  environment: string;
  image: string;
  at: Temporal.Instant;
  /**
   * The deploy was coordinated (R27: with sales, for dogfood), or its commit was checked by hand
   * against what runs (R28, when Bosun cannot place it); the reason is recorded.
   */
  override?: string;
}

export type DeployGuardSettings = Pick<HandbookConfig, "calendar" | "deployGuard" | "releaseTrain">;

export function environmentOf(
  guard: DeployGuardConfig,
  name: string,
): DeployGuardConfig["environments"][number] {
  const env = guard.environments.find((e) => e.name === name);
  if (!env) {
    const known = guard.environments.map((e) => JSON.stringify(e.name)).join(", ");
    throw new DeployInputError(
      `--env: no environment ${JSON.stringify(name)} in deployGuard.environments (configured: ${known})`,
    );
  }
  return env;
}

/** The version an image stands for: its version tag, or a release tag on its commit. */
export function imageVersion(parsed: ParsedImage, knowledge: DeployKnowledge): string | undefined {
  if (parsed.version) return parsed.version;
  if (parsed.sha) {
    const versions = knowledge.versionsOfCommit(parsed.sha).sort(compareSemver);
    return versions.at(-1);
  }
  return undefined;
}

/** The version of what runs: its record's, or the newest release tag on its commit. */
export function runningVersionOf(
  running: RunningDeploy,
  knowledge: Pick<DeployKnowledge, "versionsOfCommit">,
): string | undefined {
  return (
    running.version ??
    (running.sha ? knowledge.versionsOfCommit(running.sha).sort(compareSemver).at(-1) : undefined)
  );
}

/** The same commit on both sides (one sha a prefix of the other). */
function sameCommit(parsed: ParsedImage, running: RunningDeploy): boolean {
  return (
    !!parsed.sha &&
    !!running.sha &&
    (running.sha.startsWith(parsed.sha) || parsed.sha.startsWith(running.sha))
  );
}

/** R28 by git history: what to compare (`base` what runs, `head` the image), or why nothing can be. */
export type PlacementSubjects = { base: string; head: string } | { unplaceable: string };

/**
 * Whether R28 needs git history to decide, and what it compares: needed when the image is not
 * the commit that runs and the two cannot both be read as versions. A side is named by its
 * commit, else by the release tag of its version (`releaseTrain.tag`). The loader asks GitHub
 * for exactly these pairs; the decision reads the answers.
 */
export function placementSubjects(
  config: Pick<HandbookConfig, "releaseTrain">,
  parsed: ParsedImage,
  knowledge: Pick<DeployKnowledge, "versionsOfCommit">,
  running: RunningDeploy,
): PlacementSubjects | undefined {
  if (sameCommit(parsed, running)) return undefined;
  const version = imageVersion(parsed, { branches: [], ...knowledge });
  const runningVersion = runningVersionOf(running, knowledge);
  if (version && runningVersion) return undefined;
  const tagOf = (v: string) => formatPattern(config.releaseTrain.tag, v);
  const head = parsed.sha ?? (version ? tagOf(version) : undefined);
  const base = running.sha ?? (runningVersion ? tagOf(runningVersion) : undefined);
  if (!head) {
    return {
      unplaceable:
        parsed.kind === "digest"
          ? "a content digest names no commit or version to compare"
          : parsed.kind === "branch"
            ? "a branch names no fixed commit"
            : "the image names no commit hash or version tag (R29)",
    };
  }
  if (!base) {
    return { unplaceable: "what runs was recorded without a commit hash or version tag" };
  }
  return { base, head };
}

/** `placement(base, head)`'s key, for loaders that resolve pairs up front. */
export function placementKey(base: string, head: string): string {
  return `${base}...${head}`;
}

export function checkDeploy(
  config: DeployGuardSettings,
  request: DeployRequest,
  knowledge: DeployKnowledge,
): DeployAnswer {
  const env = environmentOf(config.deployGuard, request.environment);
  const parsed = parseImage(request.image, config.deployGuard.branches, knowledge.branches);
  const zone = config.calendar.timeZone;
  const at = request.at.toZonedDateTimeISO(zone);
  const checks: DeployCheckItem[] = [];
  const override = request.override?.trim() || undefined;

  // R27: not in the environment's no-deploy hours, unless coordinated. A holiday
  // (calendar.holidays) has no business time, so no no-deploy hours either.
  const days = new Set(env.noDeployDays.map(weekdayNumber));
  const time = at.toPlainTime();
  const start = Temporal.PlainTime.from(env.noDeployHours.start);
  const end = Temporal.PlainTime.from(env.noDeployHours.end);
  const holiday = businessCalendar(config.calendar).holiday(at.toPlainDate());
  const inside =
    holiday === undefined &&
    days.has(at.dayOfWeek) &&
    Temporal.PlainTime.compare(time, start) >= 0 &&
    Temporal.PlainTime.compare(time, end) < 0;
  const window = `${env.noDeployHours.start}-${env.noDeployHours.end} ${zone}, ${dayList(env.noDeployDays)}`;
  if (holiday !== undefined) {
    checks.push({
      rule: "R27",
      ok: true,
      message: `${at.toPlainDate().toString()} is a holiday${holiday ? ` (${holiday})` : ""}: outside ${env.name}'s no-deploy hours (${window}; holidays in calendar.holidays have none)`,
    });
  } else if (!inside) {
    checks.push({
      rule: "R27",
      ok: true,
      message: `${formatWhen(at)} is outside ${env.name}'s no-deploy hours (${window})`,
    });
  } else if (override) {
    checks.push({
      rule: "R27",
      ok: true,
      message: `${formatWhen(at)} is inside ${env.name}'s no-deploy hours (${window}); coordinated: ${override}`,
    });
  } else {
    const after = at.toPlainDate().toZonedDateTime({ timeZone: zone, plainTime: end });
    checks.push({
      rule: "R27",
      ok: false,
      message: `${formatWhen(at)} is inside ${env.name}'s no-deploy hours (${window}): deploy from ${formatWhen(after)}, or coordinate it and pass --override REASON`,
    });
  }

  // R29: a commit hash or a version tag (or a content digest), never a branch.
  const named = `${JSON.stringify(parsed.tag)}`;
  const example = `${parsed.repository ?? "image"}:${knowledge.running?.version ? `v${knowledge.running.version}` : "v4.62.0"}`;
  switch (parsed.kind) {
    case "branch":
      checks.push({
        rule: "R29",
        ok: false,
        message: `${named} is a branch, which moves: name the image by its commit hash or version tag (e.g. ${example})`,
      });
      break;
    case "not-a-digest":
      checks.push({
        rule: "R29",
        ok: false,
        message: `${JSON.stringify(`@${parsed.tag}`)} is not a content digest: a digest is ${DIGEST_EXAMPLE}, e.g. ${parsed.repository ?? "image"}@sha256:${"0f1e2d3c".repeat(8)}; or name the image by its commit hash or version tag (e.g. ${example})`,
      });
      break;
    case "other":
      checks.push({
        rule: "R29",
        ok: false,
        message: `${named} is neither a commit hash (7-40 hex digits) nor a version tag (v4.62.0): name the image by one of those`,
      });
      break;
    default:
      checks.push({
        rule: "R29",
        ok: true,
        message: `${named} is a ${parsed.kind === "version" ? "version tag" : parsed.kind === "commit" ? "commit hash" : "content digest"}`,
      });
  }

  // R28: never older than what runs.
  const version = imageVersion(parsed, knowledge);
  const running = knowledge.running;
  if (!env.neverOlder) {
    checks.push({
      rule: "R28",
      ok: true,
      message: `not checked: deployGuard.environments[${env.name}].neverOlder is false`,
    });
  } else if (!running) {
    checks.push({
      rule: "R28",
      ok: true,
      message: `nothing recorded as running in ${env.name} (bosun deploy record --env ${env.name} --image ...), so nothing to be older than`,
    });
  } else {
    checks.push(compareWithRunning(config, parsed, version, running, knowledge, override));
  }

  return {
    allowed: checks.every((c) => c.ok !== false),
    environment: env.name,
    image: request.image,
    at: at.toString({ timeZoneName: "never" }),
    ...(version ? { version } : {}),
    ...(override ? { override } : {}),
    checks,
  };
}

/** "commit a1b2c3d4e5f6" or "tag fleet-v4.62.0". */
function revision(rev: string): string {
  return COMMIT_RE.test(rev) ? `commit ${rev.slice(0, 12)}` : `tag ${rev}`;
}

function compareWithRunning(
  config: DeployGuardSettings,
  parsed: ParsedImage,
  version: string | undefined,
  running: RunningDeploy,
  knowledge: DeployKnowledge,
  override: string | undefined,
): DeployCheckItem {
  const runningVersion = runningVersionOf(running, knowledge);
  const runs = `${running.image}${runningVersion && !running.image.includes(runningVersion) ? ` (${runningVersion})` : ""}, recorded ${running.recordedAt}`;
  const older = "deploys never go back (no down migrations)";
  const refused = (message: string): DeployCheckItem => ({ rule: "R28", ok: false, message });
  const passed = (message: string): DeployCheckItem => ({ rule: "R28", ok: true, message });
  // Bosun cannot tell: refused, unless someone checked by hand and says so.
  const unplaced = (message: string): DeployCheckItem =>
    override
      ? passed(`${message}; deployed anyway: ${override}`)
      : refused(
          `${message}: check by hand that it contains ${runningVersion ?? running.image} and pass --override REASON, or name the image by its version tag`,
        );

  if (sameCommit(parsed, running)) {
    return passed(`the same commit as what runs (${runs}): a redeploy`);
  }
  if (version && runningVersion) {
    const d = compareSemver(version, runningVersion);
    if (d < 0)
      return refused(`${version} is older than ${runningVersion}, which runs (${runs}); ${older}`);
    return passed(
      d === 0
        ? `${version} is what runs (${runs}): a redeploy`
        : `${version} is newer than ${runningVersion} (${runs})`,
    );
  }

  // Neither side alone says which is older: place the image's commit in git history.
  const subjects = placementSubjects(config, parsed, knowledge, running);
  if (!subjects) return passed(`the same commit as what runs (${runs}): a redeploy`);
  if ("unplaceable" in subjects) {
    return unplaced(
      `cannot place ${JSON.stringify(parsed.tag)} relative to what runs (${runs}): ${subjects.unplaceable}`,
    );
  }
  const { base, head } = subjects;
  const cannot = `cannot place ${revision(head)} relative to ${revision(base)}, which runs (${runs})`;
  const placed = knowledge.placement?.(base, head) ?? {
    status: "unknown" as const,
    reason: "the two were not compared",
  };
  switch (placed.status) {
    case "unknown":
      return unplaced(`${cannot}: ${placed.reason}`);
    case "identical":
      return passed(`${revision(head)} is the commit that runs (${runs}): a redeploy`);
    case "ahead":
      return passed(
        `${revision(head)} is ahead of ${revision(base)}, which runs (${runs}): it contains what runs, so it is newer`,
      );
    case "behind":
      return refused(
        `${revision(head)} is behind ${revision(base)}, which runs (${runs}): what runs contains it, so it is older; ${older}`,
      );
    case "diverged":
      return diverged(config, head, base, version, runningVersion, runs, knowledge, unplaced);
  }
}

/**
 * The image's commit and what runs each have commits the other lacks: older when it lacks a
 * release that what runs has (the newest one suffices: releases are on one line).
 */
function diverged(
  config: DeployGuardSettings,
  head: string,
  base: string,
  version: string | undefined,
  runningVersion: string | undefined,
  runs: string,
  knowledge: DeployKnowledge,
  unplaced: (message: string) => DeployCheckItem,
): DeployCheckItem {
  const apart = `${revision(head)} has diverged from ${revision(base)}, which runs (${runs})`;
  const release = runningVersion ?? knowledge.runningRelease;
  if (!release) {
    return unplaced(
      `cannot place ${revision(head)} relative to ${revision(base)}: it has diverged from what runs (${runs}), and no release tag that what runs contains is known`,
    );
  }
  const lacks = (how: string): DeployCheckItem => ({
    rule: "R28",
    ok: false,
    message: `${apart}, and ${how} ${release}, a release what runs has: it is older; deploys never go back (no down migrations)`,
  });
  const contains = (how: string): DeployCheckItem => ({
    rule: "R28",
    ok: true,
    message: `${apart}, but ${how} ${release}, the newest release in what runs: not an older version`,
  });
  if (version) {
    return compareSemver(version, release) < 0
      ? lacks(`its version ${version} is older than`)
      : contains(`its version ${version} is not older than`);
  }
  const tag = formatPattern(config.releaseTrain.tag, release);
  const placed = knowledge.placement?.(tag, head) ?? {
    status: "unknown" as const,
    reason: "the two were not compared",
  };
  switch (placed.status) {
    case "ahead":
    case "identical":
      return contains("it contains");
    case "behind":
    case "diverged":
      return lacks("it lacks");
    case "unknown":
      return unplaced(
        `${apart}, and Bosun cannot place it relative to ${revision(tag)}: ${placed.reason}`,
      );
  }
}

function dayList(days: readonly string[]): string {
  const order = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  const sorted = [...days].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const idx = sorted.map((d) => order.indexOf(d));
  const consecutive = idx.every((v, i) => i === 0 || v === idx[i - 1]! + 1);
  const cap = (d: string) => d[0]!.toUpperCase() + d.slice(1);
  return consecutive && sorted.length > 2
    ? `${cap(sorted[0]!)}-${cap(sorted.at(-1)!)}`
    : sorted.map(cap).join(", ");
}
