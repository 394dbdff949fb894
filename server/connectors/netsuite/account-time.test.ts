import { describe, expect, it } from 'vitest';
import { checkTimeZone, isWallClockText, nextSecond, wallClockAt, wallClockToIso } from './account-time';

describe('account time', () => {
  it('steps wall-clock text by one second across minute, day and year ends', () => {
    expect(nextSecond('2026-01-31 17:04:05')).toBe('2026-01-31 17:04:06');
    expect(nextSecond('2026-12-31 23:59:59')).toBe('2027-01-01 00:00:00');
    expect(nextSecond('2028-02-28 23:59:59')).toBe('2028-02-29 00:00:00');
  });

  it('accepts only real datetimes in the SuiteQL watermark format', () => {
    expect(isWallClockText('2026-02-28 10:00:00')).toBe(true);
    for (const text of [
      '2026-02-30 10:00:00',
      '2026-01-01T10:00:00',
      '2026-01-01 24:00:00',
      "2026-01-01 10:00:00' OR '1",
    ]) {
      expect(isWallClockText(text), text).toBe(false);
    }
  });

  it('converts the wall clock of a time zone to UTC, daylight saving included', () => {
    expect(wallClockToIso('2026-01-15 09:30:00', 'UTC')).toBe('2026-01-15T09:30:00.000Z');
    expect(wallClockToIso('2026-01-15 09:30:00', 'America/Los_Angeles')).toBe('2026-01-15T17:30:00.000Z');
    expect(wallClockToIso('2026-07-15 09:30:00', 'America/Los_Angeles')).toBe('2026-07-15T16:30:00.000Z');
    expect(wallClockToIso('2026-07-15 09:30:00', 'Europe/Berlin')).toBe('2026-07-15T07:30:00.000Z');
    // 01:30 happens twice when New York sets its clocks back; the first (EDT) is taken.
    expect(wallClockToIso('2026-11-01 01:30:00', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
  });

  it('prints an instant as the wall clock of a time zone, cut to the second', () => {
    expect(wallClockAt(Date.parse('2026-01-15T17:30:00.999Z'), 'UTC')).toBe('2026-01-15 17:30:00');
    expect(wallClockAt(Date.parse('2026-01-15T17:30:00.999Z'), 'America/Los_Angeles')).toBe('2026-01-15 09:30:00');
    expect(wallClockAt(Date.parse('2026-07-15T07:30:00Z'), 'Europe/Berlin')).toBe('2026-07-15 09:30:00');
    // Both instants of the hour New York repeats print alike.
    expect(wallClockAt(Date.parse('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30:00');
    expect(wallClockAt(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30:00');
  });

  it('refuses a time zone Intl does not know', () => {
    expect(() => checkTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => checkTimeZone('Europe/London')).not.toThrow();
  });
});
