/**
 * The business rules behind the realistic rejections a seed can plant.
 *
 * 1. Currency lock. A customer takes the currency of its first invoice item or invoice; an
 *    invoice item or invoice in another currency is refused with Stripe's message
 *    "You cannot combine currencies on a single customer…" (400 invalid_request_error,
 *    param `currency`). Seed: give a customer `currency: 'usd'`, then post a `eur` item.
 *
 * 2. Tax location. Finalizing (or paying a draft) fails with 400 `customer_tax_location_invalid`
 *    when the invoice's customer
 *      - has metadata `sandbox_tax_location` = `invalid`, or
 *      - has a US address whose postal code is not a 5-digit ZIP (ZIP+4 allowed).
 *    The invoice stays a draft, gets `last_finalization_error`, and an
 *    `invoice.finalization_failed` event is sent. Fixing the address (or removing the metadata
 *    key) and finalizing again succeeds.
 */
import type { WireCustomer } from './object-shapes';
import { invalidRequest } from './stripe-error';

export const TAX_LOCATION_FLAG = 'sandbox_tax_location';

export function assertCustomerCurrency(customer: WireCustomer, currency: string): void {
  if (customer.currency && customer.currency !== currency) {
    throw invalidRequest(
      `You cannot combine currencies on a single customer. This customer has had a subscription, coupon, or invoice item with currency ${customer.currency}`,
      { param: 'currency' },
    );
  }
}

export interface TaxLocationProblem {
  code: 'customer_tax_location_invalid';
  message: string;
  param: string;
}

export function taxLocationProblem(customer: WireCustomer): TaxLocationProblem | null {
  const flagged = customer.metadata?.[TAX_LOCATION_FLAG] === 'invalid';
  const address = customer.address;
  const badZip = address?.country === 'US' && !/^\d{5}(-\d{4})?$/.test(address.postal_code ?? '');
  if (!flagged && !badZip) return null;
  return {
    code: 'customer_tax_location_invalid',
    message:
      "The customer's location could not be determined for tax purposes. Customers in the US require a valid 5-digit postal code. Update the customer's address and finalize the invoice again.",
    param: 'customer',
  };
}
