import { describe, expect, it } from 'vitest';
import { queuePosition, recalledQueue } from './queue-order';

describe('the remembered queue', () => {
  const order = { ids: ['a', 'b', 'c'], search: '?code=TAX_CODE_MISSING&entity=UK' };

  it('gives an exception its neighbours and place in the list', () => {
    expect(queuePosition(order, 'b')).toEqual({
      previous: 'a',
      next: 'c',
      position: 2,
      total: 3,
      search: order.search,
    });
    expect(queuePosition(order, 'a')).toMatchObject({ previous: null, next: 'b', position: 1 });
    expect(queuePosition(order, 'c')).toMatchObject({ previous: 'b', next: null, position: 3 });
  });

  it('offers nothing for an exception opened from elsewhere', () => {
    expect(queuePosition(order, 'z')).toBeNull();
    expect(queuePosition(null, 'a')).toBeNull();
  });

  it('reads back only what the queue wrote', () => {
    expect(recalledQueue(JSON.stringify(order))).toEqual(order);
    expect(recalledQueue(null)).toBeNull();
    expect(recalledQueue('not json')).toBeNull();
    expect(recalledQueue(JSON.stringify({ ids: [1, 2], search: '' }))).toBeNull();
    // A stored address elsewhere is never followed.
    expect(recalledQueue(JSON.stringify({ ids: ['a'], search: '//evil.example' }))).toBeNull();
  });
});
