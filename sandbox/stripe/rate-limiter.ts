/**
 * Stripe's basic rate limiter: at most N read and N write operations in any one-second window
 * (25 each in test mode). A refused request does not count.
 */
export type OperationKind = 'read' | 'write';

export class RateLimiter {
  private readonly recent: Record<OperationKind, number[]> = { read: [], write: [] };

  constructor(private perSecond: number | null) {
    assertLimit(perSecond);
  }

  get limit(): number | null {
    return this.perSecond;
  }

  set(perSecond: number | null): void {
    assertLimit(perSecond);
    this.perSecond = perSecond;
    this.recent.read = [];
    this.recent.write = [];
  }

  /** Counts the operation if it fits in the window; false when it must be refused. */
  allow(kind: OperationKind, now: number = performance.now()): boolean {
    if (this.perSecond === null) return true;
    const window = this.recent[kind];
    while (window.length > 0 && (window[0] ?? 0) <= now - 1000) window.shift();
    if (window.length >= this.perSecond) return false;
    window.push(now);
    return true;
  }
}

function assertLimit(perSecond: number | null): void {
  if (perSecond !== null && (!Number.isInteger(perSecond) || perSecond < 1)) {
    throw new RangeError(`rate limit must be a positive integer or null, got ${perSecond}`);
  }
}
