// The merge gate's settings: `releaseTrain.mergeGate` in bosun.yml (R9-R16).
import { z } from "zod";
import { nonEmpty } from "../../handbook/scalars.js";

export const mergeGateSchema = z
  .strictObject({
    context: nonEmpty("a commit status context").default("bosun/merge-gate"),
    /**
     * R10: a PR whose changed files all match these globs is docs-only ("documentation
     * changes, and website updates" merge during the freeze). `**` spans folders.
     */
    docsPaths: z
      .array(nonEmpty('a path glob such as "docs/**" or "**/*.md"'))
      .default(["docs/**", "handbook/**", "articles/**", "website/**", "**/*.md"]),
    /**
     * R10: a PR whose changed files all match these globs or `docsPaths` (not all docs) holds
     * no code: neither docs nor a bug fix, so during the freeze it merges once the author's
     * engineering manager approves ("confirm with your manager"), without the R13 exception.
     */
    nonCodePaths: z.array(nonEmpty('a path glob such as ".github/**"')).default([".github/**"]),
    /** R10/R13/R15/R16: an approval counts only when given on the PR's current head commit. */
    approvalsOnHeadOnly: z.boolean().default(false),
  })
  .prefault({});

export type MergeGateConfig = z.output<typeof mergeGateSchema>;

/** The keys this rule adds to the shared `releaseTrain` section. */
export const mergeGateKeys = { mergeGate: mergeGateSchema };

declare module "../../handbook/schema.js" {
  interface ReleaseTrainSections {
    mergeGate: MergeGateConfig;
  }
}
