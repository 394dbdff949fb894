import { describe, expect, it } from 'vitest';
import { formatChange, formatMoneyChange, formatSeconds } from './dashboard-format';

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

describe('formatMoneyChange', () => {
  it('subtracts the decimals exactly and says the direction in words', () => {
    const usd = (amount: string) => ({ amount, currency: 'USD' });
    expect(formatMoneyChange(usd('0.3'), usd('0.1'))).toBe('▲ up US$0.20 since last week');
    expect(formatMoneyChange(usd('1000'), usd('1250.5'))).toBe('▼ down US$250.50 since last week');
    expect(formatMoneyChange(usd('7'), usd('7.00'))).toBe('no change since last week');
    expect(formatMoneyChange(usd('7'), null)).toBe('no figure a week ago');
  });
});
