// What the deploy guard reads to answer one question: the branches the store knows, the release
// tags on the commits involved, what the environment runs and, when neither side's version says
// which is older, where the image's commit stands in git history (R28). Resolved up front, so
// the decision itself stays synchronous and pure.
import { formatPattern, parsePattern } from "../../handbook/patterns.js";
import type { HandbookConfig } from "../../handbook/schema.js";
import { compareSemver } from "../../handbook/versions.js";
import type { Store } from "../../store/index.js";
import type { LoadContext } from "../rule.js";
import {
  type CommitPlacement,
  type DeployKnowledge,
  type DeployRequest,
  environmentOf,
  imageVersion,
  type ParsedImage,
  parseImage,
  placementKey,
  placementSubjects,
  type RunningDeploy,
  runningVersionOf,
} from "./index.js";

/**
 * Places one commit relative to another in a repository's history, as GitHub's compare API
 * (`GET /repos/{owner}/{repo}/compare/{base}...{head}`) does: "ahead" when `head` contains
 * `base`, "behind" when `base` contains `head`. Never throws: a placement it cannot make is
 * "unknown" with the reason (no GitHub client, a commit GitHub does not know ...). The caller
 * that holds a GitHub client passes the adapter (src/github/compare.ts).
 */
export interface CommitPlacer {
  placeCommit(repo: string, base: string, head: string): Promise<CommitPlacement>;
}

export type DeployReads = Pick<Store, "listRefs" | "tagsForCommit" | "listDeploys" | "listTags"> &
  CommitPlacer;

export interface DeployInput {
  request: DeployRequest;
  knowledge: DeployKnowledge;
}

/** How many release tags, newest first, are tried to find the newest one a running commit contains. */
const RELEASES_TRIED = 10;

/**
 * The repository an image is built from: the configured repository named like the image's last
 * path part (`fleetdm/fleet` → fleet), else the release repository (the first configured one
 * not released straight from main), else the first configured one.
 */
export function imageRepository(
  config: Pick<HandbookConfig, "organisation" | "repositories">,
  parsed: ParsedImage,
): string {
  const name = parsed.repository?.split("/").at(-1)?.toLowerCase();
  const repo =
    config.repositories.find((r) => r.name.toLowerCase() === name) ??
    config.repositories.find((r) => !r.releasedFromMain) ??
    config.repositories[0];
  return `${config.organisation}/${repo?.name ?? name ?? ""}`;
}

export async function loadDeployInput(
  ctx: LoadContext<DeployReads>,
  request: DeployRequest,
): Promise<DeployInput> {
  const { config, reads } = ctx;
  const env = environmentOf(config.deployGuard, request.environment);
  const branches: string[] = [];
  for (const r of config.repositories) {
    for (const ref of await reads.listRefs(`${config.organisation}/${r.name}`))
      branches.push(ref.name);
  }
  const parsed = parseImage(request.image, config.deployGuard.branches, branches);
  const [row] = await reads.listDeploys(env.name, 1);
  const running: RunningDeploy | undefined = row
    ? { image: row.image, version: row.version, sha: row.sha, recordedAt: row.recordedAt }
    : undefined;
  const resolved = new Map<string, string[]>();
  for (const sha of [parsed.sha, running?.sha]) {
    if (!sha || resolved.has(sha)) continue;
    const tags = await reads.tagsForCommit(sha);
    resolved.set(
      sha,
      tags.flatMap((t) => {
        const v = parsePattern(config.releaseTrain.tag, t.name);
        return v ? [v] : [];
      }),
    );
  }
  const versionsOfCommit = (sha: string) => resolved.get(sha) ?? [];
  const history =
    env.neverOlder && running
      ? await loadPlacements(ctx, parsed, running, versionsOfCommit)
      : undefined;
  return {
    request: { ...request, environment: env.name },
    knowledge: {
      branches,
      versionsOfCommit,
      ...(running ? { running } : {}),
      ...(history ?? {}),
    },
  };
}

/**
 * R28 by git history, only when the versions do not decide: the image against what runs and,
 * when they have diverged, against the newest release what runs contains.
 */
async function loadPlacements(
  ctx: LoadContext<DeployReads>,
  parsed: ParsedImage,
  running: RunningDeploy,
  versionsOfCommit: (sha: string) => string[],
): Promise<Pick<DeployKnowledge, "placement" | "runningRelease"> | undefined> {
  const { config, reads } = ctx;
  const subjects = placementSubjects(config, parsed, { versionsOfCommit }, running);
  if (!subjects || "unplaceable" in subjects) return undefined;
  const repo = imageRepository(config, parsed);
  const placements = new Map<string, CommitPlacement>();
  const place = async (base: string, head: string) => {
    const key = placementKey(base, head);
    let placed = placements.get(key);
    if (!placed) {
      placed = await reads.placeCommit(repo, base, head);
      placements.set(key, placed);
    }
    return placed;
  };
  const { base, head } = subjects;
  const placed = await place(base, head);
  // Diverged: older when it lacks the newest release what runs has (a version says it; else
  // the release tag is placed against the image too).
  let runningRelease: string | undefined;
  if (placed.status === "diverged") {
    const runningVersion = runningVersionOf(running, { versionsOfCommit });
    if (!runningVersion) runningRelease = await newestReleaseIn(ctx, repo, base, place);
    const release = runningVersion ?? runningRelease;
    if (release && !imageVersion(parsed, { branches: [], versionsOfCommit })) {
      await place(formatPattern(config.releaseTrain.tag, release), head);
    }
  }
  return {
    placement: (b, h) => placements.get(placementKey(b, h)),
    ...(runningRelease ? { runningRelease } : {}),
  };
}

/** The newest release tag of `repo` (as the store knows them) that the commit `base` contains. */
async function newestReleaseIn(
  ctx: LoadContext<DeployReads>,
  repo: string,
  base: string,
  place: (base: string, head: string) => Promise<CommitPlacement>,
): Promise<string | undefined> {
  const releases = (await ctx.reads.listTags(repo))
    .flatMap((t) => {
      const v = parsePattern(ctx.config.releaseTrain.tag, t.name);
      return v && !v.includes("-") ? [{ version: v, tag: t.name }] : [];
    })
    .sort((a, b) => compareSemver(b.version, a.version))
    .slice(0, RELEASES_TRIED);
  for (const { version, tag } of releases) {
    const placed = await place(tag, base);
    if (placed.status === "ahead" || placed.status === "identical") return version;
    if (placed.status === "unknown") return undefined;
  }
  return undefined;
}
