import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalIdFor, idempotencyKeyFor } from './identity';

describe('identity', () => {
  it('derives the same UUID for the same source record and different ones otherwise', () => {
    const a = canonicalIdFor('netsuite', 'timebill', '42');
    expect(z.uuid().safeParse(a).success).toBe(true);
    expect(canonicalIdFor('netsuite', 'timebill', '42')).toBe(a);
    expect(canonicalIdFor('netsuite', 'timebill', '43')).not.toBe(a);
    expect(canonicalIdFor('netsuite', 'timebil', 'l42')).not.toBe(a);
  });

  it('changes the idempotency key when the content changes, not otherwise', () => {
    const base = {
      routine: 'billing_eligibility',
      targetSystem: 'stripe',
      targetType: 'invoiceitem',
      canonicalId: 'c',
      contentHash: 'h1',
    };
    expect(idempotencyKeyFor(base)).toBe(idempotencyKeyFor({ ...base }));
    expect(idempotencyKeyFor({ ...base, contentHash: 'h2' })).not.toBe(idempotencyKeyFor(base));
    expect(idempotencyKeyFor(base).length).toBeLessThanOrEqual(255); // Stripe's key limit
  });
});
