// The example rule's settings: the keys it adds to bosun.yml, and their type in HandbookConfig.
import { z } from "zod";

export const bugInboxKeys = {
  /** Bugs without a state label go to the inbox (the first of labels.bugStates). */
  bugInbox: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
};

declare module "../../../src/handbook/schema.js" {
  interface RuleSections {
    // Optional only because this example is not in the registry: a registered rule's key is
    // always filled by its default, so a real rule writes `bugInbox: { enabled: boolean }`.
    bugInbox?: { enabled: boolean };
  }
}
