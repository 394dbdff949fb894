import type Stripe from 'stripe';
import { ConnectorError, type PulledRecord, type PullFilter, type PullResult } from '../connector';
import { decodeInvoiceCursor, encodeCursor, type EventPosition } from './event-cursor';
import { pageSize, readEventsAfter } from './read-events';
import { toPlainJson } from './plain-json';
import type { StripeCall } from './stripe-call';

/**
 * Invoices changed since a cursor.
 *
 * Changes come from the event log (`/v1/events`, `type=invoice.*`), not from listing invoices:
 * the invoice list has no "changed since" filter (only creation time), so a payment or a void on
 * an older invoice would never show up there, while every status change is an event carrying the
 * invoice as it became. A page of events is folded to one record per invoice, holding its newest state in that
 * page, so `invoice.paid` + `invoice.payment_succeeded` arrive as one change.
 *
 * A first pull (cursor null) cannot rely on events alone — Stripe keeps them 30 days — so it
 * lists the existing invoices first (Stripe's order, newest first; each invoice once, as it is
 * now) and then follows the events recorded after the newest invoice event seen when the listing
 * began. Something that changes during the listing arrives again from the tail: at least once.
 *
 * A filter compares invoice fields by equality (`customer`, `currency`, `metadata.legal_entity`…).
 * Stripe filters the listing by `customer`, `status` and `collection_method` itself; events
 * cannot be filtered by their object, so the tail reads every invoice event and keeps the
 * matching ones. (A legal entity usually has a Stripe account of its own, and no filter at all.)
 */
const INVOICE_EVENTS = ['invoice.*'];
/** Allowance for the difference between our clock and Stripe's when no event can anchor the tail. */
const CLOCK_MARGIN_SECONDS = 300;

export async function pullInvoices(
  call: StripeCall,
  cursor: string | null,
  limit: number,
  filter: PullFilter = {},
): Promise<PullResult> {
  const size = pageSize(limit);
  const matches = matcher(filter);
  if (cursor === null) return listInvoices(call, await tailStart(call), undefined, size, filter, matches);
  const { snapshotAfter, ...position } = decodeInvoiceCursor(cursor);
  if (snapshotAfter !== undefined) return listInvoices(call, position, snapshotAfter, size, filter, matches);
  return tail(call, position, size, matches);
}

async function tailStart(call: StripeCall): Promise<EventPosition> {
  const newest = await call((s) => s.events.list({ type: 'invoice.*', limit: 1 }));
  const event = newest.data[0];
  if (event) return { event: event.id, created: event.created };
  return { event: null, created: Math.floor(Date.now() / 1000) - CLOCK_MARGIN_SECONDS };
}

async function listInvoices(
  call: StripeCall,
  tailFrom: EventPosition,
  after: string | undefined,
  size: number,
  filter: PullFilter,
  matches: (invoice: object) => boolean,
): Promise<PullResult> {
  const params: Stripe.InvoiceListParams = {
    limit: size,
    ...(after && { starting_after: after }),
    ...listFilter(filter),
  };
  const page = await call((s) => s.invoices.list(params));
  const records = page.data
    .filter(hasId)
    .filter(matches)
    .map((invoice) => record(invoice, lastChange(invoice)));
  const last = page.data.at(-1);
  if (page.has_more && last) {
    return { records, nextCursor: encodeCursor({ ...tailFrom, snapshotAfter: last.id }), hasMore: true };
  }
  // The listing is complete; what changed while it ran is waiting in the tail.
  return { records, nextCursor: encodeCursor(tailFrom), hasMore: true };
}

async function tail(
  call: StripeCall,
  from: EventPosition,
  size: number,
  matches: (invoice: object) => boolean,
): Promise<PullResult> {
  const page = await readEventsAfter(call, from, INVOICE_EVENTS, size);
  const newest = new Map<string, PulledRecord>();
  for (const event of page.events) {
    const invoice = event.data.object as Stripe.Invoice;
    // `invoice.upcoming` previews an invoice that does not exist yet: it has no id.
    if (!hasId(invoice) || !matches(invoice)) continue;
    const data = event.type === 'invoice.deleted' ? { ...invoice, deleted: true } : invoice;
    newest.delete(invoice.id);
    newest.set(invoice.id, record(data, event.created));
  }
  return { records: [...newest.values()], nextCursor: encodeCursor(page.next ?? from), hasMore: page.hasMore };
}

/**
 * Invoices by id as they are now. Stripe retrieves one object a request (its list takes no ids);
 * a deleted draft answers `resource_missing` and is left out.
 */
export async function readInvoices(call: StripeCall, ids: readonly string[]): Promise<PulledRecord[]> {
  const found = await Promise.all(
    [...new Set(ids)].map(async (id) => {
      try {
        const invoice = await call((s) => s.invoices.retrieve(id));
        return hasId(invoice) ? record(invoice, lastChange(invoice)) : null;
      } catch (error) {
        if (
          error instanceof ConnectorError &&
          error.classified.code === 'resource_missing' &&
          error.classified.status === 404
        )
          return null;
        throw error;
      }
    }),
  );
  return found.filter((r): r is PulledRecord => r !== null);
}

/** The filter conditions Stripe's invoice list applies itself. */
function listFilter(filter: PullFilter): Pick<Stripe.InvoiceListParams, 'customer' | 'status' | 'collection_method'> {
  const params: Pick<Stripe.InvoiceListParams, 'customer' | 'status' | 'collection_method'> = {};
  if (typeof filter.customer === 'string') params.customer = filter.customer;
  if (typeof filter.status === 'string') params.status = filter.status as Stripe.InvoiceListParams.Status;
  if (typeof filter.collection_method === 'string')
    params.collection_method = filter.collection_method as Stripe.InvoiceListParams.CollectionMethod;
  return params;
}

/** Equality on a field or a dotted path (`metadata.legal_entity`), compared as text; null: empty. */
function matcher(filter: PullFilter): (invoice: object) => boolean {
  const conditions = Object.entries(filter).map(([path, expected]) => ({ path: path.split('.'), expected }));
  return (invoice) =>
    conditions.every(({ path, expected }) => {
      let value: unknown = invoice;
      for (const key of path)
        value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      if (value === undefined || value === null || value === '') return expected === null;
      return String(value) === expected;
    });
}

function record(invoice: { id: string }, changedAtSeconds: number): PulledRecord {
  return {
    objectType: 'invoice',
    externalId: invoice.id,
    changedAt: new Date(changedAtSeconds * 1000).toISOString(),
    data: toPlainJson(invoice),
  };
}

/** An invoice has no `updated` timestamp; its latest status transition is the nearest thing. */
function lastChange(invoice: Stripe.Invoice): number {
  const t = invoice.status_transitions;
  return Math.max(
    invoice.created,
    t.finalized_at ?? 0,
    t.paid_at ?? 0,
    t.voided_at ?? 0,
    t.marked_uncollectible_at ?? 0,
  );
}

function hasId(invoice: Stripe.Invoice): invoice is Stripe.Invoice & { id: string } {
  return typeof invoice.id === 'string' && invoice.id !== '';
}
