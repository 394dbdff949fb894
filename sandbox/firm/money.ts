import Decimal from 'decimal.js';

/**
 * Money in the firm is held as integer minor units (cents, pence) — exact and fast for the
 * million-entry time stream — and leaves the generator as decimal strings ('1234.50').
 * Every currency the firm uses (USD, GBP, EUR) has two decimals.
 */
export type Minor = number;

export function assertMinor(value: number): Minor {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an exact minor-unit amount: ${value}`);
  return value;
}

export function formatMinor(minor: Minor): string {
  assertMinor(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const units = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${units}.${cents < 10 ? '0' : ''}${cents}`;
}

export function parseMinor(text: string): Minor {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new RangeError(`not a two-decimal amount: ${text}`);
  const [, sign = '', units = '0', fraction = ''] = match;
  const minor = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return assertMinor(sign === '-' ? -minor : minor);
}

/** Amount for a number of quarter hours at a rate in minor units; exact when the rate is in whole currency units. */
export function quarterHoursAmount(quarters: number, rateMinor: Minor): Minor {
  const product = assertMinor(rateMinor * quarters);
  if (product % 4 === 0) return product / 4;
  return assertMinor(
    new Decimal(rateMinor).times(quarters).dividedBy(4).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(),
  );
}

/** Tax on a net amount at a percentage given as a decimal string, rounded half-up to the minor unit. */
export function taxOn(netMinor: Minor, ratePercent: string): Minor {
  return assertMinor(
    new Decimal(netMinor).times(ratePercent).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(),
  );
}

/**
 * Splits a total into shares by weight, each a multiple of `step` minor units except the last,
 * which takes the rounding remainder so the shares add up to the total exactly.
 */
export function splitMinor(total: Minor, weights: readonly number[], step = 1): Minor[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.floor((total * w) / sum / step) * step);
  const rest = total - shares.reduce((a, b) => a + b, 0);
  shares[shares.length - 1] = (shares[shares.length - 1] ?? 0) + rest;
  return shares.map(assertMinor);
}
