import { describe, expect, it } from 'vitest';
import { FaultInjector } from './faults';

describe('FaultInjector', () => {
  it('applies a partial update without resetting the other settings', () => {
    const faults = new FaultInjector();
    faults.set({ rate5xx: 0.3, latencyMs: 20 });
    faults.set({ rate429: 0.1 });
    expect(faults.get()).toMatchObject({ rate5xx: 0.3, latencyMs: 20, rate429: 0.1 });
  });

  it('refuses unknown settings, out-of-range values and rates adding up past 1', () => {
    const faults = new FaultInjector();
    expect(() => faults.set({ rate5x: 0.3 })).toThrow();
    expect(() => faults.set({ rate5xx: 2 })).toThrow();
    expect(() => faults.set({ rate5xx: 0.6, rate429: 0.6 })).toThrow(/at most 1/);
    expect(faults.get().rate5xx).toBe(0);
  });

  it('draws faults in the configured shares', () => {
    let n = 0;
    const faults = new FaultInjector(() => ((n++ % 100) + 0.5) / 100);
    faults.set({ rate429: 0.1, rate5xx: 0.2, rateTimeout: 0.05, rateReject: 0.05 });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const fault = faults.decide();
      counts[fault] = (counts[fault] ?? 0) + 1;
    }
    expect(counts).toEqual({ '429': 10, '5xx': 20, timeout: 5, reject: 5, none: 60 });
  });
});
