/**
 * Presentment currencies the emulator accepts (a subset of Stripe's list: the ones a
 * professional-services firm bills in). Amounts are integers in each currency's minor unit.
 */
const SUPPORTED = new Set([
  'aed',
  'aud',
  'brl',
  'cad',
  'chf',
  'cny',
  'czk',
  'dkk',
  'eur',
  'gbp',
  'hkd',
  'huf',
  'idr',
  'ils',
  'inr',
  'jpy',
  'krw',
  'mxn',
  'myr',
  'nok',
  'nzd',
  'php',
  'pln',
  'ron',
  'sar',
  'sek',
  'sgd',
  'thb',
  'try',
  'twd',
  'usd',
  'zar',
]);

export function isSupportedCurrency(code: string): boolean {
  return SUPPORTED.has(code);
}

/** The account's default currency, used when neither the request nor the customer names one. */
export const ACCOUNT_DEFAULT_CURRENCY = 'usd';
