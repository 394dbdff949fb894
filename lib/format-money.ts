/**
 * A decimal amount (a string, never a float) with its currency, e.g. "£1,250.50". Intl formats
 * the string exactly; an unknown currency code is shown after the plain number.
 */
export function formatMoney(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}
