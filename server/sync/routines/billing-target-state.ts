import type { StripeConnector } from '@/server/connectors/stripe/stripe-connector';
import { writeFailure, type WriteResult } from '../pipeline/deliverer';
import { withRetries, type RetryPolicy } from '../retry';

type Failure = Extract<WriteResult, { ok: false }>;

/** Where an invoice stands in billing; `deleted` once finance deleted the draft. */
export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void' | 'deleted';

/** An item as billing holds it. */
export interface HeldItem {
  id: string;
  invoice: string | null;
  amount: number;
  currency: string;
  description: string | null;
  metadata: Record<string, string> | null;
}

/**
 * What billing holds now, as one billing run needs it: whether a draft is still a draft (finance
 * may finalize, void or delete it outside Syncwright) and which items are on it. Each is asked
 * once per run, however many lines need it; a failed look-up is asked again by the next line.
 */
export class BillingTargetState {
  private readonly statuses = new Map<string, Promise<{ ok: true; status: InvoiceStatus } | Failure>>();
  private readonly itemLists = new Map<string, Promise<{ ok: true; items: Map<string, HeldItem> } | Failure>>();

  constructor(
    private readonly stripe: StripeConnector,
    private readonly policy: RetryPolicy,
  ) {}

  status(invoice: string): Promise<{ ok: true; status: InvoiceStatus } | Failure> {
    return this.once(this.statuses, invoice, async () => {
      const found = await this.call(() => this.stripe.get('invoice', invoice));
      return { ok: true, status: found ? (String(found.status) as InvoiceStatus) : 'deleted' };
    });
  }

  /** The item carrying our key on this invoice — or, for a deleted draft, among the customer's
   *  pending items, where Stripe returns a deleted draft's items. */
  async itemFor(
    key: string,
    where: { invoice: string; status: InvoiceStatus; customer: string },
  ): Promise<{ ok: true; item: HeldItem | null } | Failure> {
    const filter =
      where.status === 'deleted' ? { customer: where.customer, pending: true as const } : { invoice: where.invoice };
    const listKey = 'invoice' in filter ? `invoice:${filter.invoice}` : `pending:${filter.customer}`;
    const list = await this.once(this.itemLists, listKey, async () => {
      const items = await this.call(() => this.stripe.listInvoiceItems(filter));
      return {
        ok: true,
        items: new Map(
          items.flatMap((item) => {
            const held = heldItem(item);
            return item.metadata?.syncwright_id ? [[item.metadata.syncwright_id, held] as const] : [];
          }),
        ),
      };
    });
    return list.ok ? { ok: true, item: list.items.get(key) ?? null } : list;
  }

  async item(id: string): Promise<{ ok: true; item: HeldItem | null } | Failure> {
    try {
      const found = await this.call(() => this.stripe.get('invoiceitem', id));
      return { ok: true, item: found ? heldItem(found) : null };
    } catch (error) {
      return { ok: false, idempotencyKey: '', ...writeFailure(error) };
    }
  }

  private call<T>(request: () => Promise<T>): Promise<T> {
    return withRetries(request, (error) => this.stripe.classifyError(error), this.policy);
  }

  private once<T extends { ok: true }>(
    cache: Map<string, Promise<T | Failure>>,
    key: string,
    load: () => Promise<T>,
  ): Promise<T | Failure> {
    let pending = cache.get(key);
    if (!pending) {
      pending = load().catch((error: unknown): Failure => {
        cache.delete(key);
        return { ok: false, idempotencyKey: '', ...writeFailure(error) };
      });
      cache.set(key, pending);
    }
    return pending;
  }
}

function heldItem(item: object): HeldItem {
  const i = item as Record<string, unknown>;
  const invoice = i.invoice;
  return {
    id: String(i.id),
    invoice:
      typeof invoice === 'string'
        ? invoice
        : invoice && typeof invoice === 'object'
          ? String((invoice as { id: unknown }).id)
          : null,
    amount: Number(i.amount),
    currency: String(i.currency),
    description: typeof i.description === 'string' ? i.description : null,
    metadata: (i.metadata as Record<string, string> | null) ?? null,
  };
}
