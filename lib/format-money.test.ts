import { describe, expect, it } from 'vitest';
import { formatMoney } from './format-money';

describe('formatMoney', () => {
  it('formats the decimal string exactly, with its currency', () => {
    expect(formatMoney('1250.5', 'GBP')).toBe('£1,250.50');
    expect(formatMoney('90071992547409.93', 'USD')).toBe('US$90,071,992,547,409.93');
    expect(formatMoney('12', 'XYZ')).toBe('XYZ\u00a012.00');
  });
});
