/**
 * GitHub's primary rate limit: a budget per token per hour window. Requests answered 304
 * from a conditional request do not count, as on GitHub.
 */
export interface RateWindow {
  limit: number;
  used: number;
  reset: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, RateWindow>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  window(token: string): RateWindow {
    const nowSeconds = Math.floor(this.now() / 1000);
    let window = this.windows.get(token);
    if (!window || window.reset <= nowSeconds) {
      window = { limit: this.limit, used: 0, reset: nowSeconds + 3600 };
      this.windows.set(token, window);
    }
    return window;
  }

  count(token: string): RateWindow {
    const window = this.window(token);
    window.used += 1;
    return window;
  }

  reset(): void {
    this.windows.clear();
  }
}
