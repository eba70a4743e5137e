// The deploy guard (R27-R29): may this image be deployed to this environment at this instant?
// Pure: what runs, which names are branches and which commits carry which versions come in as
// data; the answer lists every check with the rule that decided it.
import { Temporal } from "temporal-polyfill";
import { BosunError } from "../../errors.js";
import { pathMatcher } from "../../handbook/globs.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { compareSemver } from "../../handbook/versions.js";
import { weekdayNumber } from "../../handbook/weekdays.js";
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

export type ImageKind = "version" | "commit" | "digest" | "branch" | "other";

export interface ParsedImage {
  /** As given. */
  image: string;
  /** "fleetdm/fleet", or undefined for a bare tag. */
  repository?: string;
  /** The tag ("v4.62.0", "a1b2c3d", "main"); "latest" when the image names none. */
  tag: string;
  kind: ImageKind;
  /** "4.62.0" for a version tag ("v4.62.0", "fleet-v4.62.0", "4.62.0-rc.1" keeps its suffix). */
  version?: string;
  /** Lower-case hex, for a commit tag. */
  sha?: string;
}

const VERSION_RE = /^(?:[A-Za-z][\w.]*-)?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;
const COMMIT_RE = /^[0-9a-f]{7,40}$/i;

/**
 * Reads an image reference: `fleetdm/fleet:v4.62.0`, `registry:5000/fleet:a1b2c3d`,
 * `fleet@sha256:...`, or a bare tag (`v4.62.0`, `main`). Branch names are those of the
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
    return {
      image,
      repository: text.slice(0, at) || undefined,
      tag: text.slice(at + 1),
      kind: "digest",
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

/** What the store knows that helps compare images. */
export interface DeployKnowledge {
  /** Branch names of the configured repositories. */
  branches: readonly string[];
  /** Versions of the release tags pointing at a commit (a prefix of its sha). */
  versionsOfCommit(sha: string): string[];
  /** The latest `bosun deploy record` of the environment. */
  running?: RunningDeploy;
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
  checks: DeployCheckItem[];
}

export interface DeployRequest {
  environment: string;
  image: string;
  at: Temporal.Instant;
  /** R27: the deploy was coordinated (with sales, for dogfood); the reason is recorded. */
  override?: string;
}

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

export function checkDeploy(
  config: Pick<HandbookConfig, "calendar" | "deployGuard">,
  request: DeployRequest,
  knowledge: DeployKnowledge,
): DeployAnswer {
  const env = environmentOf(config.deployGuard, request.environment);
  const parsed = parseImage(request.image, config.deployGuard.branches, knowledge.branches);
  const zone = config.calendar.timeZone;
  const at = request.at.toZonedDateTimeISO(zone);
  const checks: DeployCheckItem[] = [];
  const override = request.override?.trim();

  // R27: not in the environment's no-deploy hours, unless coordinated.
  const days = new Set(env.noDeployDays.map(weekdayNumber));
  const time = at.toPlainTime();
  const start = Temporal.PlainTime.from(env.noDeployHours.start);
  const end = Temporal.PlainTime.from(env.noDeployHours.end);
  const inside =
    days.has(at.dayOfWeek) &&
    Temporal.PlainTime.compare(time, start) >= 0 &&
    Temporal.PlainTime.compare(time, end) < 0;
  const window = `${env.noDeployHours.start}-${env.noDeployHours.end} ${zone}, ${dayList(env.noDeployDays)}`;
  if (!inside) {
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

  // R29: a commit hash or a version tag, never a branch.
  const named = `${JSON.stringify(parsed.tag)}`;
  switch (parsed.kind) {
    case "branch":
      checks.push({
        rule: "R29",
        ok: false,
        message: `${named} is a branch, which moves: name the image by its commit hash or version tag (e.g. ${parsed.repository ?? "image"}:${knowledge.running?.version ? `v${knowledge.running.version}` : "v4.62.0"})`,
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
    checks.push(compareWithRunning(parsed, version, running, knowledge));
  }

  return {
    allowed: checks.every((c) => c.ok !== false),
    environment: env.name,
    image: request.image,
    at: at.toString({ timeZoneName: "never" }),
    ...(version ? { version } : {}),
    checks,
  };
}

function compareWithRunning(
  parsed: ParsedImage,
  version: string | undefined,
  running: RunningDeploy,
  knowledge: DeployKnowledge,
): DeployCheckItem {
  const runningVersion =
    running.version ??
    (running.sha ? knowledge.versionsOfCommit(running.sha).sort(compareSemver).at(-1) : undefined);
  const runs = `${running.image}${runningVersion && !running.image.includes(runningVersion) ? ` (${runningVersion})` : ""}, recorded ${running.recordedAt}`;
  if (
    parsed.sha &&
    running.sha &&
    (running.sha.startsWith(parsed.sha) || parsed.sha.startsWith(running.sha))
  ) {
    return { rule: "R28", ok: true, message: `the same commit as what runs (${runs}): a redeploy` };
  }
  if (version && runningVersion) {
    const d = compareSemver(version, runningVersion);
    if (d < 0) {
      return {
        rule: "R28",
        ok: false,
        message: `${version} is older than ${runningVersion}, which runs (${runs}); deploys never go back (no down migrations)`,
      };
    }
    return {
      rule: "R28",
      ok: true,
      message:
        d === 0
          ? `${version} is what runs (${runs}): a redeploy`
          : `${version} is newer than ${runningVersion} (${runs})`,
    };
  }
  // A commit no release tag points at cannot be placed against a version without the git
  // history, which the store does not keep: say so rather than pass silently.
  return {
    rule: "R28",
    ok: null,
    message: `cannot tell whether ${JSON.stringify(parsed.tag)} is older than what runs (${runs}): ${version ? "what runs has no known version" : "no release tag points at this commit"}; check by hand that it contains ${runningVersion ?? running.image}`,
  };
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
