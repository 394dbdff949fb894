import { describe, expect, it } from 'vitest';
import { DateFormatError, formatAccountDate, parseDateText, parseOracleDate } from './oracle-dates';

describe('Oracle date formats', () => {
  it('parses TO_DATE format models as UTC', () => {
    expect(parseOracleDate('2026-01-31 10:05:09', 'YYYY-MM-DD HH24:MI:SS').toISOString()).toBe(
      '2026-01-31T10:05:09.000Z',
    );
    expect(parseOracleDate('31-JAN-2026', 'DD-MON-YYYY').toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(parseOracleDate('1/5/2026 12:30 am', 'MM/DD/YYYY HH:MI AM').toISOString()).toBe('2026-01-05T00:30:00.000Z');
    expect(parseOracleDate('1/5/2026 1:30 PM', 'MM/DD/YYYY HH12:MI PM').toISOString()).toBe('2026-01-05T13:30:00.000Z');
  });

  it('refuses text that does not fit the format or the calendar', () => {
    expect(() => parseOracleDate('2026-02-30', 'YYYY-MM-DD')).toThrow(DateFormatError);
    expect(() => parseOracleDate('2026-01-31', 'DD.MM.YYYY')).toThrow("does not match format 'DD.MM.YYYY'");
    expect(() => parseOracleDate('2026-01-31', 'YYYY-MM-DD Q')).toThrow('is not supported');
    expect(() => parseOracleDate('2026-01-31 24:00:00', 'YYYY-MM-DD HH24:MI:SS')).toThrow(DateFormatError);
  });

  it('reads filter dates in the account format or ISO and prints the account format', () => {
    expect(parseDateText('1/31/2026').toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(parseDateText('2026-01-31T10:00:00+01:00').toISOString()).toBe('2026-01-31T09:00:00.000Z');
    expect(() => parseDateText('yesterday')).toThrow(DateFormatError);
    expect(formatAccountDate(new Date(Date.UTC(2026, 0, 5, 23, 59)))).toBe('1/5/2026');
  });
});
