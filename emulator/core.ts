import type { Clock } from "./clock.js";
import type { GitBackend } from "./git/backend.js";
import type { RenderContext } from "./render/context.js";
import type { EmulatorState } from "./state/state.js";
import type { WebhookDispatcher } from "./webhooks/dispatcher.js";

/** The emulator's parts, handed to domain operations, routes and the activity simulation. */
export interface Core {
  state: EmulatorState;
  git: GitBackend;
  hooks: WebhookDispatcher;
  clock: Clock;
  render: RenderContext;
}
