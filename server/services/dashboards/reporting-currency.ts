import Decimal from 'decimal.js';
import { minorUnitDigits, type Money } from '@/server/domain/money';

/** One dated exchange rate: 1 unit of `from` is `rate` units of `to`, from `validFrom` (YYYY-MM-DD) on. */
export interface FxRate {
  from: string;
  to: string;
  validFrom: string;
  rate: string;
}

export type Conversion =
  { ok: true; amount: Money; converted: Money; rate: FxRate | null } | { ok: false; message: string };

/** The rate in force on a day: the latest one dated on or before it. */
export function rateOn(rates: readonly FxRate[], from: string, to: string, day: string): FxRate | null {
  let found: FxRate | null = null;
  for (const r of rates)
    if (r.from === from && r.to === to && r.validFrom <= day && (!found || r.validFrom > found.validFrom)) found = r;
  return found;
}

/**
 * A total in its own currency shown in the reporting currency. The rounding rule, written once:
 * each total (one entity's bucket) is converted once, from its exact sum, and rounded half-even
 * to the reporting currency's minor unit; converted figures are never summed from converted
 * parts of smaller totals. A day without a rate is a failure to show, never a total without it.
 */
export function convertTotal(
  amount: Money,
  reportingCurrency: string,
  day: string,
  rates: readonly FxRate[],
): Conversion {
  if (amount.currency === reportingCurrency) return { ok: true, amount, converted: amount, rate: null };
  const rate = rateOn(rates, amount.currency, reportingCurrency, day);
  if (!rate)
    return { ok: false, message: `No ${amount.currency}→${reportingCurrency} exchange rate in force on ${day}.` };
  const converted = new Decimal(amount.amount)
    .times(rate.rate)
    .toDecimalPlaces(minorUnitDigits(reportingCurrency), Decimal.ROUND_HALF_EVEN)
    .toFixed(minorUnitDigits(reportingCurrency));
  return { ok: true, amount, converted: { amount: converted, currency: reportingCurrency }, rate };
}
