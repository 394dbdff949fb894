import Decimal from 'decimal.js';
import { z } from 'zod';

/** ISO 4217 code. The firm's entities bill in these; others are refused at validation. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 currency code');

/**
 * A decimal amount as a string (never a float): "1234.50". Kept as text in the canonical model so
 * that hashing and JSON round trips are exact; arithmetic goes through decimal.js.
 */
export const amountSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'number' && !Number.isSafeInteger(value * 100)) {
    ctx.addIssue({ code: 'custom', message: 'an amount must be exact; send it as a decimal string' });
    return z.NEVER;
  }
  let parsed: Decimal;
  try {
    parsed = new Decimal(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${String(value)}" is not a decimal amount` });
    return z.NEVER;
  }
  if (!parsed.isFinite()) {
    ctx.addIssue({ code: 'custom', message: 'an amount must be finite' });
    return z.NEVER;
  }
  return parsed.toFixed();
});

export const moneySchema = z.object({ amount: amountSchema, currency: currencySchema });
export type Money = z.infer<typeof moneySchema>;

/** Digits after the decimal point in each currency's minor unit (Stripe's "zero-decimal" list aside). */
const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };

export function minorUnitDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** An amount in the currency's minor unit (cents), rounded half-even; refuses what does not fit. */
export function toMinorUnits(money: Money): bigint {
  const scaled = new Decimal(money.amount).times(new Decimal(10).pow(minorUnitDigits(money.currency)));
  return BigInt(scaled.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0));
}

export function fromMinorUnits(minor: bigint | number, currency: string): Money {
  return {
    amount: new Decimal(minor.toString()).dividedBy(new Decimal(10).pow(minorUnitDigits(currency))).toFixed(),
    currency,
  };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new Error(`cannot add ${a.currency} to ${b.currency}`);
  return { amount: new Decimal(a.amount).plus(b.amount).toFixed(), currency: a.currency };
}

/** quantity × rate, rounded to the currency's minor unit (half-even, as finance systems do). */
export function multiplyMoney(rate: Money, quantity: string): Money {
  return {
    amount: new Decimal(rate.amount)
      .times(quantity)
      .toDecimalPlaces(minorUnitDigits(rate.currency), Decimal.ROUND_HALF_EVEN)
      .toFixed(),
    currency: rate.currency,
  };
}
