import { describe, expect, it } from 'vitest';
import { isFurtherAlong } from './invoice-status-order';

describe('invoice status order', () => {
  it('moves draft → open → paid, void or uncollectible, and uncollectible on to paid or void', () => {
    const forward = [
      ['open', 'draft'],
      ['paid', 'open'],
      ['void', 'open'],
      ['uncollectible', 'open'],
      ['paid', 'uncollectible'],
      ['void', 'uncollectible'],
      ['paid', 'draft'],
    ] as const;
    for (const [later, earlier] of forward) {
      expect(isFurtherAlong(later, earlier), `${later} after ${earlier}`).toBe(true);
      expect(isFurtherAlong(earlier, later), `${earlier} after ${later}`).toBe(false);
    }
  });

  it('never counts a status as further along than itself, nor paid and void as following each other', () => {
    for (const status of ['draft', 'open', 'paid', 'void', 'uncollectible'])
      expect(isFurtherAlong(status, status)).toBe(false);
    expect(isFurtherAlong('paid', 'void')).toBe(false);
    expect(isFurtherAlong('void', 'paid')).toBe(false);
  });

  it('compares nothing it does not know', () => {
    expect(isFurtherAlong('paid', null)).toBe(false);
    expect(isFurtherAlong(undefined, 'open')).toBe(false);
    expect(isFurtherAlong('refunded', 'open')).toBe(false);
  });
});
