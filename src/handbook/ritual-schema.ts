// The rituals format (R47): the department's `*.rituals.yml` files, and Bosun's richer fields.
import { z } from "zod";
import { ritualRichFields } from "./ritual-fields.js";
import { emptyIsAbsent, httpUrlSchema, isoDateSchema, loginSchema, nonEmpty } from "./scalars.js";

export const RITUAL_FREQUENCIES = [
  "Daily",
  "Weekly",
  "Biweekly",
  "Triweekly",
  "Monthly",
  "Quarterly",
  "Annually",
  "Every patch release",
] as const;
export type RitualFrequency = (typeof RITUAL_FREQUENCIES)[number];

/** One ritual, in the format of the department's `*.rituals.yml` files (R47). */
export const ritualSchema = z.strictObject({
  task: nonEmpty("the name of the ritual"),
  startedOn: isoDateSchema,
  frequency: z.enum(RITUAL_FREQUENCIES),
  description: emptyIsAbsent(z.string().default("")),
  moreInfoUrl: emptyIsAbsent(httpUrlSchema.optional()),
  dri: loginSchema,
  /** When present, each occurrence opens an issue in `repo` with `labels`, assigned to the DRI. */
  autoIssue: z
    .strictObject({
      labels: z.array(nonEmpty("a GitHub label")).default([]),
      /** One of the configured `repositories` (by name). */
      repo: z.string(),
    })
    .optional(),
  /** Bosun's richer form (time, time zone, every, leadTime, runbook, assignee, catchUp ...). */
  ...ritualRichFields,
});
export type Ritual = z.output<typeof ritualSchema>;

/** More rituals than any department keeps is a mistake (or an attack on the decision loop). */
export const MAX_RITUALS = 1000;
const ritualCount = (found: number) =>
  `at most ${MAX_RITUALS} rituals, found ${found}: split the department or remove rituals`;

/** A list of rituals, at most MAX_RITUALS. */
export const ritualListSchema = z.array(ritualSchema).check((ctx) => {
  if (ctx.value.length > MAX_RITUALS) {
    ctx.issues.push({
      code: "custom",
      message: ritualCount(ctx.value.length),
      input: ctx.value,
      params: { noFound: true },
    });
  }
});

/** The contents of a rituals file: a list of rituals. */
export const ritualsFileSchema = ritualListSchema;
