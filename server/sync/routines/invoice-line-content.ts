import { contentHash } from '@/server/domain/canonical/canonical-record';

/** An invoice item's fields as billing sends them. */
export type InvoiceLineFields = {
  customer: string;
  currency: string;
  invoice: string;
  /** Minor units. */
  amount: number;
  description: string;
  metadata: Record<string, string>;
};

/** What the line is priced from: rate × quantity (a fee or milestone: its amount × 1). */
export interface LinePricing {
  rate: string;
  quantity: string;
}

/**
 * The content hash that decides whether a line was delivered unchanged: the source record and
 * everything the line sends — amount, rate, quantity, tax code, item, currency, description — and
 * the draft it goes onto. A rate-card or tax-code correction is therefore a change to deliver, and
 * the same line sent to another draft is another write with another key.
 */
export function lineContentHash(
  record: Record<string, unknown>,
  pricing: LinePricing,
  fields: InvoiceLineFields,
): string {
  return contentHash({ record: contentHash(record), pricing, fields });
}

/** The parts of an item a finance user reads on the invoice. */
const READ_ON_INVOICE = ['tax_code', 'item'] as const;

/**
 * Whether an item billing holds says what the line would send: an earlier attempt that reached
 * billing with this content needs recording, not sending again.
 */
export function sameAsHeld(
  held: { amount: number; currency: string; description: string | null; metadata: Record<string, string> | null },
  fields: InvoiceLineFields,
): boolean {
  return (
    held.amount === fields.amount &&
    held.currency === fields.currency &&
    (held.description ?? '') === fields.description &&
    READ_ON_INVOICE.every((key) => held.metadata?.[key] === fields.metadata[key])
  );
}
