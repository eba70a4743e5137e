/**
 * The emulator's notion of "now". Generated history carries explicit timestamps; live
 * activity and API writes read this clock, so tests can pin or advance time instead of
 * sleeping. The default follows the wall clock from an optional offset.
 */
export interface Clock {
  now(): number;
}

export class ControlledClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(start?: Date | number, options: { frozen?: boolean } = {}) {
    const startMs = start === undefined ? Date.now() : +start;
    if (options.frozen) this.frozenAt = startMs;
    else this.offsetMs = startMs - Date.now();
  }

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  /** Moves time forward (never back: GitHub timestamps only grow). */
  advance(ms: number): void {
    if (ms < 0) throw new Error(`clock can only advance; got ${ms} ms`);
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }
}

/** GitHub's timestamp format: ISO 8601 in UTC without milliseconds. */
export function iso(ms: number): string {
  // slice, not a regex: this runs for every timestamp of every rendered object.
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
