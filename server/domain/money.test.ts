import { describe, expect, it } from 'vitest';
import { addMoney, amountSchema, fromMinorUnits, multiplyMoney, toMinorUnits } from './money';

describe('money', () => {
  it('keeps amounts exact as decimal strings', () => {
    expect(amountSchema.parse('0.1')).toBe('0.1');
    expect(addMoney({ amount: '0.1', currency: 'USD' }, { amount: '0.2', currency: 'USD' })).toEqual({
      amount: '0.3',
      currency: 'USD',
    });
  });

  it('refuses floats that are not exact and text that is not a number', () => {
    expect(amountSchema.safeParse(0.1 + 0.2).success).toBe(false);
    expect(amountSchema.safeParse('12,50').success).toBe(false);
    expect(amountSchema.parse(125)).toBe('125');
  });

  it('converts to and from minor units by currency', () => {
    expect(toMinorUnits({ amount: '1234.56', currency: 'EUR' })).toBe(123456n);
    expect(toMinorUnits({ amount: '1234', currency: 'JPY' })).toBe(1234n);
    expect(fromMinorUnits(123456n, 'GBP')).toEqual({ amount: '1234.56', currency: 'GBP' });
  });

  it('rounds hours × rate half-even to the cent', () => {
    expect(multiplyMoney({ amount: '187.50', currency: 'USD' }, '7.25')).toEqual({
      amount: '1359.38',
      currency: 'USD',
    });
    expect(multiplyMoney({ amount: '0.125', currency: 'USD' }, '1')).toEqual({ amount: '0.12', currency: 'USD' });
  });

  it('refuses to add different currencies', () => {
    expect(() => addMoney({ amount: '1', currency: 'USD' }, { amount: '1', currency: 'EUR' })).toThrow(/USD to EUR/);
  });
});
