/**
 * Keeps calls to one service inside its limits: at most `maxConcurrent` in flight and at most
 * `perSecond` started in any second. Calls wait their turn in order; nothing is dropped.
 */
export interface RequestLimits {
  maxConcurrent: number;
  /** null: no rate limit. */
  perSecond: number | null;
}

export class RequestLimiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private readonly starts: number[] = [];

  constructor(private readonly limits: RequestLimits) {}

  async run<T>(call: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await call();
    } finally {
      this.active -= 1;
      this.queue.shift()?.();
    }
  }

  private async acquire(): Promise<void> {
    if (this.active >= this.limits.maxConcurrent) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.active += 1;
    const { perSecond } = this.limits;
    if (perSecond === null) return;
    for (;;) {
      const now = Date.now();
      while (this.starts.length && this.starts[0]! <= now - 1000) this.starts.shift();
      if (this.starts.length < perSecond) {
        this.starts.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.starts[0]! + 1000 - now));
    }
  }
}
