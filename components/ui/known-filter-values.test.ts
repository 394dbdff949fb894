import { describe, expect, it } from 'vitest';
import { knownFilterValues } from './known-filter-values';

describe('knownFilterValues', () => {
  const allowed = { status: ['running', 'failed'], routine: ['billing'] };

  it('keeps known and empty values and says nothing', () => {
    expect(knownFilterValues({ status: 'failed', routine: '', view: 'all' }, allowed)).toEqual({
      known: { status: 'failed', routine: '', view: 'all' },
      unknown: [],
      notice: null,
    });
  });

  it('resets an unknown value and names it in a sentence', () => {
    const result = knownFilterValues({ status: 'exploded', routine: 'billing' }, allowed, { status: 'status' });
    expect(result.known).toEqual({ status: '', routine: 'billing' });
    expect(result.unknown).toEqual(['status']);
    expect(result.notice).toBe(
      'The link asked for status “exploded”, which is not a value this page knows; that filter was reset.',
    );
  });

  it('checks nothing while the allowed values are not known yet', () => {
    expect(knownFilterValues({ status: 'exploded' }, { status: undefined }).known).toEqual({ status: 'exploded' });
  });
});
