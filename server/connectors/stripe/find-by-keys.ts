import type Stripe from 'stripe';
import type { KeyLookup } from '../connector';
import { checkedId } from './checked-input';
import { SYNCWRIGHT_ID } from './parse-fields';
import { MAX_PAGE } from './read-events';
import type { StripeCall } from './stripe-call';

/**
 * Finds objects by the key Syncwright stamps in their `metadata.syncwright_id`, for creates whose
 * idempotency key Stripe may have forgotten. Stripe's Search API covers customers and invoices but
 * not invoice items, and it is eventually consistent; lists are exact. So each object is listed
 * where its create put it: an invoice item on the draft it was sent to (else among its customer's
 * items), an invoice among its customer's, a customer by its e-mail (else among all). Lookups that
 * share a list share one walk through it.
 */
type ListParams = { invoice?: string; customer?: string; email?: string };
/** The connector's object types (stripe-connector.ts), named here so neither module imports the other. */
type StripeObjectType = 'customer' | 'invoiceitem' | 'invoice';

export async function findByKeys(
  call: StripeCall,
  objectType: StripeObjectType,
  lookups: readonly KeyLookup[],
): Promise<Map<string, string>> {
  const groups = new Map<string, { params: ListParams; keys: Set<string> }>();
  for (const lookup of lookups) {
    const params = listParamsFor(objectType, lookup);
    const id = JSON.stringify(params);
    const group = groups.get(id) ?? { params, keys: new Set<string>() };
    group.keys.add(lookup.key);
    groups.set(id, group);
  }
  const found = new Map<string, string>();
  for (const { params, keys } of groups.values()) {
    let startingAfter: string | undefined;
    for (;;) {
      const page = await listPage(call, objectType, { ...params, limit: MAX_PAGE, starting_after: startingAfter });
      for (const object of page.data) {
        const key = object.metadata?.[SYNCWRIGHT_ID];
        // The oldest stands: lists run newest first.
        if (key && keys.has(key) && object.id) found.set(key, object.id);
      }
      const last = page.data.at(-1);
      if (!page.has_more || !last?.id) break;
      startingAfter = last.id;
    }
  }
  return found;
}

function listParamsFor(objectType: StripeObjectType, lookup: KeyLookup): ListParams {
  const text = (name: string) => {
    const value = lookup.fields[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  switch (objectType) {
    case 'invoiceitem': {
      if (lookup.parentId) return { invoice: checkedId(lookup.parentId) };
      const customer = text('customer');
      return customer ? { customer: checkedId(customer) } : {};
    }
    case 'invoice': {
      const customer = text('customer');
      return customer ? { customer: checkedId(customer) } : {};
    }
    case 'customer': {
      const email = text('email');
      return email ? { email } : {};
    }
  }
}

type Listed = { id?: string; metadata?: Stripe.Metadata | null };

function listPage(
  call: StripeCall,
  objectType: StripeObjectType,
  params: ListParams & { limit: number; starting_after?: string },
): Promise<{ data: Listed[]; has_more: boolean }> {
  const page = { limit: params.limit, ...(params.starting_after && { starting_after: params.starting_after }) };
  switch (objectType) {
    case 'invoiceitem':
      return call((s) =>
        s.invoiceItems.list({
          ...page,
          ...(params.invoice && { invoice: params.invoice }),
          ...(params.customer && { customer: params.customer }),
        }),
      );
    case 'invoice':
      return call((s) => s.invoices.list({ ...page, ...(params.customer && { customer: params.customer }) }));
    case 'customer':
      return call((s) => s.customers.list({ ...page, ...(params.email && { email: params.email }) }));
  }
}
