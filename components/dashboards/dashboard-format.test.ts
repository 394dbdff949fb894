import { describe, expect, it } from 'vitest';
import { formatChange, formatSeconds } from './dashboard-format';

describe('formatSeconds', () => {
  it('says a duration in its largest sensible units', () => {
    expect([null, 45, 720, 12_000, 7200, 187_200, 172_800].map(formatSeconds)).toEqual([
      '—',
      '45 s',
      '12 min',
      '3 h 20 min',
      '2 h',
      '2 d 4 h',
      '2 d',
    ]);
  });
});

describe('formatChange', () => {
  it('says the direction in words and arrows', () => {
    expect(formatChange(5, 2)).toBe('▲ up 3 since last week');
    expect(formatChange(2, 5)).toBe('▼ down 3 since last week');
    expect(formatChange(2, 2)).toBe('no change since last week');
    expect(formatChange(2, null)).toBe('no figure a week ago');
    expect(formatChange(600, 60, formatSeconds)).toBe('▲ up 9 min since last week');
  });
});
