/**
 * Switches that make the emulator answer like a struggling GitHub, for tests of retry and
 * throttling code. Each fault applies to the next `count` matching requests (or until
 * cleared when count is omitted), optionally only for paths matching a pattern.
 */
export type FaultKind = "primary-rate-limit" | "secondary-rate-limit" | "server-error" | "slow";

export interface FaultSpec {
  kind: FaultKind;
  /** Matching requests affected; undefined = until cleared. */
  count?: number;
  /** Regular expression tested against "METHOD /path" (e.g. "GET /repos/.+/issues"). */
  path?: string;
  /** 403 or 429 for secondary limits; 500/502/503 for server errors. */
  status?: number;
  /** Seconds announced in retry-after (secondary) or until reset (primary). */
  retryAfter?: number;
  /** Extra latency for "slow". */
  delayMs?: number;
}

export interface Fault extends FaultSpec {
  id: number;
  remaining: number | null;
  hits: number;
  pattern: RegExp | null;
}

export class FaultBoard {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const pattern = spec.path ? new RegExp(spec.path) : null;
    const fault: Fault = {
      ...spec,
      id: this.nextId++,
      remaining: spec.count ?? null,
      hits: 0,
      pattern,
    };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.slice();
  }

  clear(id?: number): void {
    this.faults = id === undefined ? [] : this.faults.filter((f) => f.id !== id);
  }

  /** Consumes and returns the faults that apply to this request. */
  take(method: string, path: string): Fault[] {
    const key = `${method} ${path}`;
    const hit: Fault[] = [];
    for (const fault of this.faults) {
      if (fault.pattern && !fault.pattern.test(key)) continue;
      if (fault.remaining !== null) {
        if (fault.remaining <= 0) continue;
        fault.remaining -= 1;
      }
      fault.hits += 1;
      hit.push(fault);
    }
    this.faults = this.faults.filter((f) => f.remaining === null || f.remaining > 0);
    return hit;
  }
}
