import { describe, expect, it } from 'vitest';
import { convertTotal, rateOn, type FxRate } from './reporting-currency';

const rates: FxRate[] = [
  { from: 'GBP', to: 'USD', validFrom: '2026-11-01', rate: '1.25' },
  { from: 'GBP', to: 'USD', validFrom: '2026-11-15', rate: '1.2725' },
  { from: 'EUR', to: 'USD', validFrom: '2026-11-20', rate: '1.08' },
];

describe('reporting currency', () => {
  it('uses the latest rate dated on or before the day', () => {
    expect(rateOn(rates, 'GBP', 'USD', '2026-11-14')?.rate).toBe('1.25');
    expect(rateOn(rates, 'GBP', 'USD', '2026-11-15')?.rate).toBe('1.2725');
    expect(rateOn(rates, 'GBP', 'USD', '2026-10-31')).toBeNull();
  });

  it('converts a total once and rounds half-even to the minor unit', () => {
    // 10.10 × 1.25 = 12.625 → 12.62 (half-even), not 12.63
    const a = convertTotal({ amount: '10.10', currency: 'GBP' }, 'USD', '2026-11-02', rates);
    expect(a).toMatchObject({ ok: true, converted: { amount: '12.62', currency: 'USD' } });
    // 10.30 × 1.25 = 12.875 → 12.88
    const b = convertTotal({ amount: '10.30', currency: 'GBP' }, 'USD', '2026-11-02', rates);
    expect(b).toMatchObject({ ok: true, converted: { amount: '12.88', currency: 'USD' } });
  });

  it('keeps the reporting currency as it is, with no rate', () => {
    expect(convertTotal({ amount: '5.5', currency: 'USD' }, 'USD', '2026-01-01', [])).toEqual({
      ok: true,
      amount: { amount: '5.5', currency: 'USD' },
      converted: { amount: '5.5', currency: 'USD' },
      rate: null,
    });
  });

  it('refuses a day without a rate instead of leaving the total out', () => {
    const missing = convertTotal({ amount: '100', currency: 'EUR' }, 'USD', '2026-11-19', rates);
    expect(missing).toEqual({ ok: false, message: 'No EUR→USD exchange rate in force on 2026-11-19.' });
  });
});
