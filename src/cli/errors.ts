/** A mistake the user can fix: printed as one line, no stack trace, with a non-zero exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** Exit codes: 0 done, 1 a check found problems (or a refusal), 2 bad input or usage. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;
