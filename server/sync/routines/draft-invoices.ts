import type { WriteResult } from '../pipeline/deliverer';

/** Stripe refuses an invoice's 251st item. */
export const MAX_ITEMS_PER_INVOICE = 250;

type Failure = Extract<WriteResult, { ok: false }>;

/** One part of a customer's monthly draft, and how many items are on it. */
export interface OpenDraft {
  ok: true;
  customer: string;
  draft: string;
  part: number;
  items: number;
  /** No longer a draft (finance finalized, voided or deleted it): it takes no more items. */
  closed?: boolean;
}

/**
 * The draft invoices of one billing run, one per customer, legal entity and month — and when a
 * draft is full, or closed in billing, a next part. Places are handed out one at a time, so the
 * run never sends a draft more items than it holds. `open` writes (or finds) a part and counts the
 * items already on it; a part that could not be opened is tried again by the next request for a
 * place.
 */
export class DraftInvoices {
  private readonly current = new Map<string, Promise<OpenDraft | Failure>>();

  async place(
    key: string,
    open: (part: number) => Promise<OpenDraft | Failure>,
  ): Promise<{ ok: true; customer: string; draft: string } | Failure> {
    for (;;) {
      let pending = this.current.get(key);
      if (!pending) {
        pending = open(1);
        this.current.set(key, pending);
      }
      const draft = await pending;
      if (!draft.ok) {
        if (this.current.get(key) === pending) this.current.delete(key);
        return draft;
      }
      if (!draft.closed && draft.items < MAX_ITEMS_PER_INVOICE) {
        draft.items += 1;
        return { ok: true, customer: draft.customer, draft: draft.draft };
      }
      if (this.current.get(key) === pending) this.current.set(key, open(draft.part + 1));
    }
  }
}
