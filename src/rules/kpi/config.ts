// The `kpi` section of bosun.yml: the weekly KPI report (R1, R2).
import { z } from "zod";
import { loginSchema, nonEmpty, problem, weekdayTime } from "../../handbook/scalars.js";

const BOT_LOGIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?(?:\[bot\])?$/;

/** A login that may carry GitHub's "[bot]" suffix ("renovate[bot]"). */
const botLoginSchema = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().replace(/^@/, "") : v),
  z.string().superRefine((v, ctx) => {
    if (!BOT_LOGIN_RE.test(v)) {
      problem(ctx, v, 'a GitHub login such as "renovate" or "renovate[bot]"');
    }
  }),
);

/**
 * The weekly KPI report. Which repositories count is `repositories[].kpi`; which PR labels
 * leave a PR out of the contributor figures is `labels.kpiExcludedPrLabels`.
 */
export const kpiSchema = z.strictObject({
  /** The two product-group labels whose bugs fill columns 10-13 and 14-17 of the sheet. */
  groups: z
    .array(nonEmpty('a GitHub label, e.g. "#g-mdm"'))
    .length(2)
    .default(["#g-endpoint-ops", "#g-mdm"]),
  /** Authors counted as bots besides those GitHub marks as type "Bot". */
  bots: z.array(botLoginSchema).default([]),
  /** Maintainers; PRs by anyone else are community PRs. Default: everyone the configuration names. */
  maintainers: z.array(loginSchema).optional(),
  /** The week boundary, in calendar.timeZone: weekly snapshots and reports are taken there. */
  week: weekdayTime("monday", "09:00"),
  /** Posting the weekly report on GitHub, through the executor (off by default). */
  post: z
    .strictObject({
      to: z.enum(["off", "issue", "comment"]).default("off"),
      /** One of `repositories` (by name); default the first KPI repository. */
      repository: z.string().optional(),
      /** With `to: comment`: the issue that collects the weekly reports. */
      issue: z.int().min(1).optional(),
      /** With `to: issue`: labels of the new issue. */
      labels: z.array(nonEmpty("a GitHub label")).default([]),
    })
    .superRefine((v, ctx) => {
      if (v.to === "comment" && v.issue === undefined) {
        ctx.addIssue({
          code: "custom",
          message: "is required with to: comment: the number of the issue to comment on",
          path: ["issue"],
          input: undefined,
          params: { allowed: "an issue number such as 1234", noFound: true },
        });
      }
    })
    .prefault({}),
});

export type KpiConfig = z.output<typeof kpiSchema>;

/** The keys this rule adds to bosun.yml. */
export const kpiKeys = {
  /** The weekly KPI report (R1, R2). */
  kpi: kpiSchema.prefault({}),
};

declare module "../../handbook/schema.js" {
  interface RuleSections {
    kpi: KpiConfig;
  }
}
