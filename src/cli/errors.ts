import { BosunError, type ErrorCode, EXIT } from "../errors.js";

/**
 * A mistake the user can fix, found by the CLI itself: printed as one line, no stack trace, and
 * by default code "bad-input" (exit 2). The exit code always comes from the code (ERROR_CODES).
 */
export class UserError extends BosunError {
  override name = "UserError";
  constructor(message: string, code: ErrorCode = "bad-input") {
    super(code, message);
  }
}

/** Exit codes by name; which one an error ends with comes from its code (ERROR_CODES). */
export { EXIT };
