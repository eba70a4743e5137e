// What the deploy guard reads to answer one question: the branches the store knows, the release
// tags on the commits involved, and what the environment runs. Resolved up front, so the
// decision itself stays synchronous and pure.
import { parsePattern } from "../../handbook/patterns.js";
import type { Store } from "../../store/index.js";
import type { LoadContext } from "../rule.js";
import { type DeployKnowledge, type DeployRequest, environmentOf, parseImage } from "./index.js";

export type DeployReads = Pick<Store, "listRefs" | "tagsForCommit" | "listDeploys">;

export interface DeployInput {
  request: DeployRequest;
  knowledge: DeployKnowledge;
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
  const [running] = await reads.listDeploys(env.name, 1);
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
  return {
    request: { ...request, environment: env.name },
    knowledge: {
      branches,
      versionsOfCommit: (sha) => resolved.get(sha) ?? [],
      ...(running
        ? {
            running: {
              image: running.image,
              version: running.version,
              sha: running.sha,
              recordedAt: running.recordedAt,
            },
          }
        : {}),
    },
  };
}
