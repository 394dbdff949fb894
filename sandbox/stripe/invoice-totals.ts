/**
 * An invoice's lines and totals, derived from its invoice items in integer minor units
 * (BigInt sums, so no float ever carries money). No discounts, taxes or credit balance are
 * emulated, so subtotal = total, and amount_due is the total floored at zero.
 */
import Decimal from 'decimal.js';
import type { StoredInvoice, WireInvoice, WireInvoiceItem, WireLineItem } from './object-shapes';

/** Lines embedded in an invoice, as Stripe embeds them; the rest through /v1/invoices/:id/lines. */
export const EMBEDDED_LINES = 10;

export function lineIdFor(invoiceItemId: string): string {
  return `il_${invoiceItemId.replace(/^ii_/, '')}`;
}

export function lineItemFor(item: WireInvoiceItem, invoiceId: string): WireLineItem {
  return {
    id: lineIdFor(item.id),
    object: 'line_item',
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: [],
    discountable: item.discountable,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: item.metadata ?? {},
    parent: {
      type: 'invoice_item_details',
      invoice_item_details: {
        invoice_item: item.id,
        proration: false,
        proration_details: { credited_items: null },
        subscription: null,
      },
      subscription_item_details: null,
    },
    period: item.period,
    pretax_credit_amounts: [],
    pricing: item.pricing,
    quantity: item.quantity,
    quantity_decimal: item.quantity_decimal,
    subscription: null,
    subtotal: item.amount,
    taxes: [],
  };
}

export interface InvoiceTotals {
  subtotal: number;
  total: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
}

export function invoiceTotals(
  invoice: Pick<StoredInvoice, 'status'>,
  items: readonly WireInvoiceItem[],
): InvoiceTotals {
  const subtotal = items.reduce((sum, item) => sum + BigInt(item.amount), 0n);
  const due = subtotal > 0n ? subtotal : 0n;
  const paid = invoice.status === 'paid' ? due : 0n;
  const remaining = invoice.status === 'void' ? 0n : due - paid;
  return {
    subtotal: toSafeNumber(subtotal),
    total: toSafeNumber(subtotal),
    amount_due: toSafeNumber(due),
    amount_paid: toSafeNumber(paid),
    amount_remaining: toSafeNumber(remaining),
  };
}

export function renderInvoice(stored: StoredInvoice, items: readonly WireInvoiceItem[]): WireInvoice {
  const totals = invoiceTotals(stored, items);
  const lines = items.map((item) => lineItemFor(item, stored.id));
  return {
    ...stored,
    ...totals,
    subtotal_excluding_tax: totals.subtotal,
    total_excluding_tax: totals.total,
    lines: {
      object: 'list',
      data: lines.slice(0, EMBEDDED_LINES),
      has_more: lines.length > EMBEDDED_LINES,
      url: `/v1/invoices/${stored.id}/lines`,
    },
  };
}

/** unit_amount_decimal × quantity, rounded half-up to a whole minor unit. */
export function amountFromUnitPrice(unitAmountDecimal: string, quantityDecimal: string): number {
  const amount = new Decimal(unitAmountDecimal).times(quantityDecimal).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return toSafeNumber(BigInt(amount.toFixed(0)));
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount out of range: ${value}`);
  }
  return Number(value);
}
