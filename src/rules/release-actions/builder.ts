// Test-only: builds the release actions' input: the released repository with its versions, the
// head of main and the titles of release QA issues. Pull requests, when a case needs them,
// refuse a second one with the same number (see TrainState).
import { TrainState } from "../release-train/builder.js";
import type { ReleaseActionsInput } from "./index.js";

export { FLEET } from "../release-train/builder.js";

export class ReleaseState extends TrainState {
  input(): ReleaseActionsInput {
    return { repositories: this.repositories() };
  }
}
