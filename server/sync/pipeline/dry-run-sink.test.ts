import { describe, expect, it } from 'vitest';
import { fieldChanges } from './dry-run-sink';

describe('a dry run’s field-by-field changes', () => {
  it('lists only the fields whose value at the target differs, as it is there and as it would be', () => {
    const atTarget = { amount: 150000, currency: 'gbp', description: '10 h × 150.00', metadata: { a: '1' } };
    expect(
      fieldChanges(atTarget, {
        amount: '180000',
        currency: 'gbp',
        description: '10 h × 180.00',
        metadata: { a: '1' },
        tax_code: 'txcd_20030000',
      }),
    ).toEqual([
      { field: 'amount', before: 150000, after: '180000' },
      { field: 'description', before: '10 h × 150.00', after: '10 h × 180.00' },
      { field: 'tax_code', before: null, after: 'txcd_20030000' },
    ]);
  });

  it('a number and its decimal string are the same value', () => {
    expect(fieldChanges({ quantity: 7.25 }, { quantity: '7.25' })).toEqual([]);
  });
});
