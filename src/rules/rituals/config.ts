// The rituals' keys in bosun.yml (R47, R43, R48): inline rituals, or a rituals file in the
// department's format (src/handbook/ritual-schema.ts), read by the loader beside bosun.yml.
import { type Ritual, ritualListSchema } from "../../handbook/ritual-schema.js";
import { nonEmpty } from "../../handbook/scalars.js";

export const ritualsKeys = {
  /** Inline rituals. After loading, always holds the rituals, also those of `ritualsFile`. */
  rituals: ritualListSchema.default([]),
  /** A rituals file, relative to the configuration file. Exclusive with `rituals`. */
  ritualsFile: nonEmpty("a path relative to the configuration file").optional(),
};

declare module "../../handbook/schema.js" {
  interface RuleSections {
    rituals: Ritual[];
    ritualsFile?: string;
  }
}
