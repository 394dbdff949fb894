import { describe, expect, it } from 'vitest';
import { RequestLimiter } from './request-limiter';

describe('RequestLimiter', () => {
  it('never has more than maxConcurrent calls in flight, and runs them all', async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 3, perSecond: null });
    let inFlight = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight -= 1;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('starts no more than perSecond calls in any one-second window', async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 100, perSecond: 5 });
    const started: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.run(async () => void started.push(Date.now()))));
    started.sort((a, b) => a - b);
    // The limiter spaces the starts it grants; a call's body may run a few ms after its grant on a
    // busy machine, so the times seen here get a small allowance. Six in a second would be ~0 ms.
    for (let i = 5; i < started.length; i++) expect(started[i]! - started[i - 5]!).toBeGreaterThanOrEqual(975);
  });

  it('frees its slot when a call fails', async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 1, perSecond: null });
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });
});
