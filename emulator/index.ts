// The emulator's public entry point: `startEmulator` (start.ts) and the `bosun emulator`
// command (cli.ts). Nothing inside emulator/ imports this file, so the two never form a cycle.

export {
  type EmulatorCliOptions,
  EmulatorUsageError,
  parseEmulatorArgs,
  runEmulatorCli,
} from "./cli.js";
export { ControlledClock } from "./clock.js";
export { defaultOrgSpec, type OrgSpec } from "./generator/org-spec.js";
export type { FaultSpec } from "./http/faults.js";
export {
  type RunningSlack,
  type SlackAdmin,
  type SlackCall,
  type SlackThrottle,
  startSlackEmulator,
} from "./slack/server.js";
export type { SlackMessage } from "./slack/state.js";
export {
  type EmulatorAdmin,
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from "./start.js";
export type { Delivery } from "./webhooks/dispatcher.js";
