// The deploy guard as a rule module: asked, not scheduled (`bosun deploy check`, /api/deploy/check).
import { guardRule, type LoadContext } from "../rule.js";
import { deployGuardKeys } from "./config.js";
import { checkDeploy, type DeployAnswer, type DeployRequest } from "./index.js";
import { type DeployInput, type DeployReads, loadDeployInput } from "./load.js";

export const deployGuard = guardRule({
  name: "deploy-guard",
  ids: ["R27", "R28", "R29"],
  summary:
    "Answers whether an image may be deployed to an environment now: outside its no-deploy hours unless coordinated (R27), never older than what runs (R28), named by commit or version, never by branch (R29).",
  config: { keys: deployGuardKeys, reads: ["calendar", "releaseTrain"] },
  load: (ctx: LoadContext<DeployReads>, request: DeployRequest) => loadDeployInput(ctx, request),
  decide: (input: DeployInput, config): DeployAnswer =>
    checkDeploy(config, input.request, input.knowledge),
});

export type { DeployReads };
