/**
 * `expand[]`: replaces an id field with the object it names. Supported: `customer` on invoices
 * and invoice items, `invoice` on invoice items; on lists the same under `data.`.
 */
import { parameterError } from './stripe-error';
import type { StripeStore } from './stripe-store';
import type { WireInvoice, WireInvoiceItem } from './object-shapes';

type Expandable = 'customer' | 'invoice';

/** Which expansions apply to the objects of a response (`data.x` on lists). */
export function expansionsFor(
  expand: readonly string[],
  allowed: readonly Expandable[],
  isList: boolean,
): Expandable[] {
  const out: Expandable[] = [];
  for (const path of expand) {
    const field = isList ? (path.startsWith('data.') ? path.slice(5) : null) : path;
    const match = allowed.find((a) => a === field);
    if (!match) throw parameterError(`This property cannot be expanded (${path}).`, 'expand');
    if (!out.includes(match)) out.push(match);
  }
  return out;
}

export async function expandObjects<T extends WireInvoice | WireInvoiceItem>(
  store: StripeStore,
  objects: T[],
  fields: readonly Expandable[],
): Promise<T[]> {
  let result = objects;
  if (fields.includes('customer')) {
    const ids = result.map((o) => o.customer).filter((c): c is string => typeof c === 'string');
    const customers = await store.customersByIds(ids);
    result = result.map((o) => {
      if (typeof o.customer !== 'string') return o;
      const row = customers.get(o.customer);
      if (!row) return o;
      const customer = row.deleted ? { id: row.doc.id, object: 'customer' as const, deleted: true as const } : row.doc;
      return { ...o, customer };
    });
  }
  if (fields.includes('invoice')) {
    const expanded: T[] = [];
    for (const o of result) {
      if (o.object !== 'invoiceitem' || typeof o.invoice !== 'string') {
        expanded.push(o);
        continue;
      }
      const stored = await store.invoice(o.invoice);
      // The SDK types `invoice` as its Invoice; the wire form differs only in decimal fields.
      const invoice = stored
        ? ((await store.renderInvoice(stored)) as unknown as WireInvoiceItem['invoice'])
        : o.invoice;
      expanded.push({ ...o, invoice });
    }
    result = expanded;
  }
  return result;
}
