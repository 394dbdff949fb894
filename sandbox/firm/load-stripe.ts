import type pg from 'pg';
import { bulkInsertObjects } from '@/sandbox/stripe/bulk-load';
import type { Firm } from './firm-model';
import type { SystemLoadOptions } from './load-netsuite';
import { stripeCustomers, stripeInvoices } from './map-stripe';

/** Loads the firm's billing side (customers, invoices, their items); returns rows per object. */
export async function loadStripe(
  pool: pg.Pool,
  firm: Firm,
  options: SystemLoadOptions = {},
): Promise<Record<string, number>> {
  const customers = stripeCustomers(firm);
  const { invoices, items } = stripeInvoices(firm);
  await bulkInsertObjects(pool, 'customer', customers, { schema: options.schema });
  await bulkInsertObjects(pool, 'invoice', invoices, { schema: options.schema });
  await bulkInsertObjects(pool, 'invoiceitem', items, { schema: options.schema });
  return { 'stripe.customer': customers.length, 'stripe.invoice': invoices.length, 'stripe.invoiceitem': items.length };
}
