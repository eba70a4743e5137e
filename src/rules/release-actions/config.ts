// Release actions' settings in the shared `releaseTrain` section (R14, R17; R9/R11 announcements).
import { z } from "zod";
import { nonEmpty, problem } from "../../handbook/scalars.js";

/** The keys this rule adds to the shared `releaseTrain` section. */
export const releaseActionsKeys = {
  /**
   * R17: the repository variable QA deploys read ("QAWOLF_DEPLOY_TAG" in `confidential`): set to
   * the RC branch at the RC cut and back to main at the release. Absent: not managed.
   */
  qaDeployTarget: z
    .strictObject({
      /** One of `repositories` (by name). */
      repository: nonEmpty('a configured repository name, e.g. "confidential"'),
      variable: z.string().superRefine((v, ctx) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) {
          problem(ctx, v, 'a variable name of letters, digits and "_", e.g. "QAWOLF_DEPLOY_TAG"');
        }
      }),
    })
    .optional(),
  /** R14: the title of the release QA issue filed at the RC cut. */
  qaIssueTitle: z
    .string()
    .superRefine((v, ctx) => {
      if (!v.includes("{version}"))
        problem(ctx, v, 'a title containing "{version}", e.g. "Release QA: {version}"');
    })
    .default("Release QA: {version}"),
  /**
   * R14, R9, R11: where the RC cut, the freeze and the deep freeze are announced (through the
   * `slack` section). `channel` absent: `slack.channels.default`. Absent: not announced.
   */
  announcements: z
    .strictObject({ channel: nonEmpty('a channel name, e.g. "#help-engineering"').optional() })
    .optional(),
};

type Keys = z.output<z.ZodObject<typeof releaseActionsKeys>>;

declare module "../../handbook/schema.js" {
  interface ReleaseTrainSections extends Keys {}
}
