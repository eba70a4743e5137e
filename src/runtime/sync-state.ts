/** What the sync is doing now, for the terminal's progress bar and the dashboard alike. */
export interface SyncStateView {
  running: boolean;
  phase?: string;
  done?: number;
  total?: number;
  lastFinishedAt?: string;
  lastError?: string;
  /** When a run last finished without an error (`/readyz` waits for the first). */
  lastSucceededAt?: string;
  runs: number;
  /** When the running sync started or last moved on (ISO); `/readyz` calls a long silence a stall. */
  lastProgressAt?: string;
}

export class SyncState {
  private view: SyncStateView = { running: false, runs: 0 };
  private readonly listeners: ((phase: string, done: number, total: number) => void)[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  onProgress(listener: (phase: string, done: number, total: number) => void): void {
    this.listeners.push(listener);
  }

  started(): void {
    this.view = { ...this.view, running: true, lastError: undefined, lastProgressAt: this.stamp() };
  }

  progress = (phase: string, done: number, total: number): void => {
    this.view = { ...this.view, phase, done, total, lastProgressAt: this.stamp() };
    for (const l of this.listeners) l(phase, done, total);
  };

  finished(at: string, error?: string): void {
    const succeeded = error ? this.view.lastSucceededAt : at;
    this.view = {
      running: false,
      runs: this.view.runs + 1,
      lastFinishedAt: at,
      ...(succeeded ? { lastSucceededAt: succeeded } : {}),
      ...(error ? { lastError: error } : {}),
    };
  }

  snapshot(): SyncStateView {
    return { ...this.view };
  }
}
