import { describe, expect, it } from 'vitest';
import { dateLiteralRange } from './date-literals';

describe('SOQL date literals', () => {
  // A Wednesday in the middle of Q1.
  const now = new Date('2026-02-18T15:30:00Z');

  it('resolves fixed literals to day ranges', () => {
    expect(dateLiteralRange('TODAY', now)).toEqual({ start: '2026-02-18', end: '2026-02-19' });
    expect(dateLiteralRange('yesterday', now)).toEqual({ start: '2026-02-17', end: '2026-02-18' });
    expect(dateLiteralRange('THIS_WEEK', now)).toEqual({ start: '2026-02-15', end: '2026-02-22' });
    expect(dateLiteralRange('LAST_MONTH', now)).toEqual({ start: '2026-01-01', end: '2026-02-01' });
    expect(dateLiteralRange('THIS_QUARTER', now)).toEqual({ start: '2026-01-01', end: '2026-04-01' });
    expect(dateLiteralRange('LAST_QUARTER', now)).toEqual({ start: '2025-10-01', end: '2026-01-01' });
    expect(dateLiteralRange('NEXT_YEAR', now)).toEqual({ start: '2027-01-01', end: '2028-01-01' });
  });

  it('resolves literals with a count', () => {
    expect(dateLiteralRange('LAST_N_DAYS:7', now, 7)).toEqual({ start: '2026-02-11', end: '2026-02-19' });
    expect(dateLiteralRange('NEXT_N_DAYS:2', now, 2)).toEqual({ start: '2026-02-19', end: '2026-02-21' });
    expect(dateLiteralRange('N_DAYS_AGO:3', now, 3)).toEqual({ start: '2026-02-15', end: '2026-02-16' });
    expect(dateLiteralRange('LAST_N_MONTHS:2', now, 2)).toEqual({ start: '2025-12-01', end: '2026-02-01' });
    expect(dateLiteralRange('N_QUARTERS_AGO:1', now, 1)).toEqual({ start: '2025-10-01', end: '2026-01-01' });
  });

  it('leaves fiscal periods unemulated', () => {
    expect(dateLiteralRange('THIS_FISCAL_YEAR', now)).toBeNull();
    expect(dateLiteralRange('LAST_N_FISCAL_YEARS:2', now, 2)).toBeNull();
  });
});
