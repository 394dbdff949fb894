import { describe, expect, it } from 'vitest';
import { pullableType } from './object-types';
import { cursorAtSecond, decodePullCursor, encodePullCursor, incrementalQuery } from './pull-query';

describe('pull cursor', () => {
  it('round-trips and refuses anything it did not write', () => {
    const cursor = { modifiedAt: '2026-01-31 17:04:05', id: '1234' };
    expect(encodePullCursor(cursor)).toBe('2026-01-31 17:04:05|1234');
    expect(decodePullCursor(encodePullCursor(cursor))).toEqual(cursor);
    for (const text of [
      '',
      '2026-01-31 17:04:05|',
      '2026-01-31 17:04:05|12a',
      "2026-01-31 17:04:0'|1",
      '2026-01-31 17:04:05|1|2',
    ]) {
      expect(decodePullCursor(text), text).toBeNull();
    }
  });
});

describe('incrementalQuery', () => {
  it('starts strictly after the cursor: later seconds, or the same second with a higher id', () => {
    const invoice = pullableType('invoice');
    if (!invoice) throw new Error('invoice must be pullable');
    expect(incrementalQuery(invoice, { modifiedAt: '2026-01-31 23:59:59', id: '77' })).toBe(
      "SELECT t.*, TO_CHAR(t.lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS sw_changed_at FROM transaction t" +
        " WHERE (t.type = 'CustInvc') AND (t.lastmodifieddate >= TO_DATE('2026-01-31 23:59:59', 'YYYY-MM-DD HH24:MI:SS')" +
        " AND (t.lastmodifieddate >= TO_DATE('2026-02-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS') OR t.id > 77))" +
        ' ORDER BY sw_changed_at, t.id',
    );
  });

  it('stops before a settled second, and restarts before every row of a second', () => {
    const timebill = pullableType('timebill');
    if (!timebill) throw new Error('time bills must be pullable');
    expect(
      incrementalQuery(timebill, cursorAtSecond('2026-01-31 17:04:05'), { subsidiary: '2' }, '2026-01-31 17:05:00'),
    ).toBe(
      "SELECT t.*, TO_CHAR(t.lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS sw_changed_at FROM timebill t" +
        " WHERE (t.subsidiary = '2')" +
        " AND (t.lastmodifieddate >= TO_DATE('2026-01-31 17:04:05', 'YYYY-MM-DD HH24:MI:SS')" +
        " AND (t.lastmodifieddate >= TO_DATE('2026-01-31 17:04:06', 'YYYY-MM-DD HH24:MI:SS') OR t.id > 0))" +
        " AND (t.lastmodifieddate < TO_DATE('2026-01-31 17:05:00', 'YYYY-MM-DD HH24:MI:SS'))" +
        ' ORDER BY sw_changed_at, t.id',
    );
    expect(() => incrementalQuery(timebill, null, {}, "2026-01-31 17:05:00') OR ('1")).toThrow(RangeError);
  });

  it('reads custom records by their own last-modified column, from the beginning without a cursor', () => {
    const rateCard = pullableType('customrecord_sw_ratecard');
    if (!rateCard) throw new Error('rate cards must be pullable');
    expect(incrementalQuery(rateCard, null)).toBe(
      "SELECT t.*, TO_CHAR(t.lastmodified, 'YYYY-MM-DD HH24:MI:SS') AS sw_changed_at FROM customrecord_sw_ratecard t ORDER BY sw_changed_at, t.id",
    );
  });
});
