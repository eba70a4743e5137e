// The `deployGuard` section of bosun.yml: when, what and which image names may deploy (R27-R29).
import { z } from "zod";
import { businessHoursSchema, nonEmpty, problem, weekdaySchema } from "../../handbook/scalars.js";

/** A branch name or glob (src/handbook/globs.ts). */
const branchGlobSchema = nonEmpty('a branch name or glob such as "main" or "rc-minor-*"');

export const deployEnvironmentSchema = z.strictObject({
  /** The name `bosun deploy --env` uses, e.g. "dogfood". */
  name: z.string().superRefine((v, ctx) => {
    if (!/^[a-z][a-z0-9-]*$/.test(v)) problem(ctx, v, 'a short name in lower case, e.g. "dogfood"');
  }),
  /** R27: deploys are refused in these hours on these days (calendar.timeZone) without --override. */
  noDeployHours: businessHoursSchema.prefault("07:00-17:00"),
  noDeployDays: z
    .array(weekdaySchema)
    .default(["monday", "tuesday", "wednesday", "thursday", "friday"]),
  /** R28: refuse an image older than the one recorded as running. */
  neverOlder: z.boolean().default(true),
});

export const deployGuardSchema = z.strictObject({
  environments: z
    .array(deployEnvironmentSchema)
    .min(1)
    .default([
      {
        name: "dogfood",
        noDeployHours: { start: "07:00", end: "17:00" },
        noDeployDays: ["monday", "tuesday", "wednesday", "thursday", "friday"],
        neverOlder: true,
      },
    ]),
  /**
   * R29: image tags that name a branch, not a commit or version. Branches the store knows from
   * GitHub count as well; these cover images built from branches of other repositories.
   */
  branches: z
    .array(branchGlobSchema)
    .default(["main", "master", "develop", "latest", "rc-minor-*", "patch-*"]),
});

export type DeployGuardConfig = z.output<typeof deployGuardSchema>;

export const deployGuardKeys = {
  /** Deploys: when, what and which image names are allowed (R27-R29). */
  deployGuard: deployGuardSchema.prefault({}),
};

declare module "../../handbook/schema.js" {
  interface RuleSections {
    deployGuard: DeployGuardConfig;
  }
}
