/**
 * Loads seed data straight into the emulator's tables, in Stripe's JSON shapes with ids chosen
 * by the caller (see `stripeId`). Missing fields take the defaults an API-created object has;
 * loading the same id again replaces the object. No events are recorded: seeded objects are
 * history that existed before the sandbox started.
 *
 * Per kind:
 *   customer     `id`; optional `created` (unix seconds), `email`, `name`, `currency`, `address`,
 *                `metadata`, … Loaded customers without `currency` take their first item's.
 *   invoiceitem  `id`, `customer`, `currency`, and `amount` (integer minor units) or
 *                `pricing.unit_amount_decimal` + `quantity_decimal`/`quantity`; `invoice` (id or null).
 *   invoice      `id`, `customer`, `currency`; `status` (default 'draft'), `number`,
 *                `status_transitions`, … Totals and lines are always recomputed from the invoice
 *                items whose `invoice` names it, so load the items too.
 * Load customers first, then invoices and invoice items, in any order between those two.
 */
import type pg from 'pg';
import { amountFromUnitPrice } from './invoice-totals';
import {
  newCustomer,
  newInvoice,
  newInvoiceItem,
  type StoredInvoice,
  type WireCustomer,
  type WireInvoiceItem,
} from './object-shapes';
import { DEFAULT_STRIPE_SCHEMA, ensureStripeSchema, inTransaction, quoteSchema } from './stripe-schema';

export { stripeId } from './stripe-ids';
export { ensureStripeSchema } from './stripe-schema';

export type BulkKind = 'customer' | 'invoiceitem' | 'invoice';
export type BulkObject = Record<string, unknown> & { id: string };

const CHUNK = 2000;
const COMPUTED_INVOICE_FIELDS = [
  'lines',
  'subtotal',
  'subtotal_excluding_tax',
  'total',
  'total_excluding_tax',
  'amount_due',
  'amount_paid',
  'amount_remaining',
];

export async function bulkInsertObjects(
  pool: pg.Pool,
  kind: BulkKind,
  objects: BulkObject[],
  options: { schema?: string } = {},
): Promise<void> {
  const schema = options.schema ?? DEFAULT_STRIPE_SCHEMA;
  await ensureStripeSchema(pool, schema);
  const s = quoteSchema(schema);
  const now = Math.floor(Date.now() / 1000);
  await inTransaction(pool, async (db) => {
    for (let start = 0; start < objects.length; start += CHUNK) {
      const chunk = objects.slice(start, start + CHUNK).map(withoutUndefined);
      if (kind === 'customer')
        await insertCustomers(
          db,
          s,
          chunk.map((o) => customerFrom(o, now)),
        );
      else if (kind === 'invoiceitem')
        await insertItems(
          db,
          s,
          chunk.map((o) => itemFrom(o, now)),
        );
      else await insertInvoices(db, s, await invoicesFrom(db, s, chunk, now));
    }
    // A customer is locked to the currency of its first item or invoice, as through the API.
    await db.query(`
      UPDATE ${s}.customers c SET doc = jsonb_set(c.doc, '{currency}', to_jsonb(first.currency))
        FROM (SELECT DISTINCT ON (customer) customer, doc->>'currency' AS currency
                FROM (SELECT customer, doc, created, seq FROM ${s}.invoice_items
                      UNION ALL SELECT customer, doc, created, seq FROM ${s}.invoices) x
               ORDER BY customer, created, seq) first
       WHERE c.id = first.customer AND c.doc->'currency' = 'null'::jsonb`);
  });
}

function customerFrom(input: BulkObject, now: number): WireCustomer {
  const created = integerField(input, 'created') ?? now;
  const base = newCustomer(input.id, created);
  return {
    ...base,
    ...input,
    object: 'customer',
    created,
    metadata: (input.metadata as WireCustomer['metadata']) ?? {},
  } as WireCustomer;
}

function itemFrom(input: BulkObject, now: number): WireInvoiceItem {
  const customer = requiredString(input, 'customer');
  const currency = requiredString(input, 'currency').toLowerCase();
  const created = integerField(input, 'date') ?? integerField(input, 'created') ?? now;
  const pricing = input.pricing as { unit_amount_decimal?: unknown } | null | undefined;
  const quantityDecimal =
    typeof input.quantity_decimal === 'string' ? input.quantity_decimal : String(integerField(input, 'quantity') ?? 1);
  let amount = integerField(input, 'amount');
  let unit = typeof pricing?.unit_amount_decimal === 'string' ? pricing.unit_amount_decimal : undefined;
  if (amount === undefined) {
    if (unit === undefined)
      throw new TypeError(`invoice item ${input.id}: needs an integer amount or pricing.unit_amount_decimal`);
    amount = amountFromUnitPrice(unit, quantityDecimal);
  }
  unit ??= String(amount);
  const base = newInvoiceItem({
    id: input.id,
    created,
    customer,
    currency,
    amount,
    unitAmountDecimal: unit,
    quantityDecimal,
  });
  const { created: _created, ...rest } = input;
  return {
    ...base,
    ...rest,
    object: 'invoiceitem',
    customer,
    currency,
    amount,
    date: created,
    invoice: typeof input.invoice === 'string' ? input.invoice : null,
    metadata: (input.metadata as WireInvoiceItem['metadata']) ?? {},
  } as WireInvoiceItem;
}

async function invoicesFrom(db: pg.PoolClient, s: string, inputs: BulkObject[], now: number): Promise<StoredInvoice[]> {
  const customerIds = [...new Set(inputs.map((i) => requiredString(i, 'customer')))];
  const { rows } = await db.query<{ id: string; doc: WireCustomer }>(
    `SELECT id, doc FROM ${s}.customers WHERE id = ANY($1)`,
    [customerIds],
  );
  const customers = new Map(rows.map((r) => [r.id, r.doc]));
  return inputs.map((input) => {
    const customerId = requiredString(input, 'customer');
    const customer = customers.get(customerId);
    if (!customer) throw new TypeError(`invoice ${input.id}: customer ${customerId} is not loaded`);
    const created = integerField(input, 'created') ?? now;
    const currency = (typeof input.currency === 'string' ? input.currency : (customer.currency ?? 'usd')).toLowerCase();
    const base = newInvoice({ id: input.id, created, customer, currency });
    const rest: Record<string, unknown> = { ...input };
    for (const field of COMPUTED_INVOICE_FIELDS) delete rest[field];
    return {
      ...base,
      ...rest,
      object: 'invoice',
      created,
      currency,
      customer: customerId,
      status: typeof input.status === 'string' ? input.status : 'draft',
      status_transitions: { ...base.status_transitions, ...(input.status_transitions as object | undefined) },
      metadata: (input.metadata as StoredInvoice['metadata']) ?? {},
    } as StoredInvoice;
  });
}

async function insertCustomers(db: pg.PoolClient, s: string, docs: WireCustomer[]) {
  await db.query(
    `INSERT INTO ${s}.customers (id, created, email, doc)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::jsonb[])
     ON CONFLICT (id) DO UPDATE SET created = EXCLUDED.created, email = EXCLUDED.email, doc = EXCLUDED.doc, deleted = false`,
    [docs.map((d) => d.id), docs.map((d) => d.created), docs.map((d) => d.email), docs.map((d) => JSON.stringify(d))],
  );
}

async function insertItems(db: pg.PoolClient, s: string, docs: WireInvoiceItem[]) {
  await db.query(
    `INSERT INTO ${s}.invoice_items (id, created, customer, invoice, doc)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::jsonb[])
     ON CONFLICT (id) DO UPDATE SET created = EXCLUDED.created, customer = EXCLUDED.customer,
                                   invoice = EXCLUDED.invoice, doc = EXCLUDED.doc`,
    [
      docs.map((d) => d.id),
      docs.map((d) => d.date),
      docs.map((d) => d.customer as string),
      docs.map((d) => d.invoice as string | null),
      docs.map((d) => JSON.stringify(d)),
    ],
  );
}

async function insertInvoices(db: pg.PoolClient, s: string, docs: StoredInvoice[]) {
  await db.query(
    `INSERT INTO ${s}.invoices (id, created, customer, status, doc)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::jsonb[])
     ON CONFLICT (id) DO UPDATE SET created = EXCLUDED.created, customer = EXCLUDED.customer,
                                   status = EXCLUDED.status, doc = EXCLUDED.doc`,
    [
      docs.map((d) => d.id),
      docs.map((d) => d.created),
      docs.map((d) => d.customer as string),
      docs.map((d) => d.status ?? 'draft'),
      docs.map((d) => JSON.stringify(d)),
    ],
  );
}

function withoutUndefined(input: BulkObject): BulkObject {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as BulkObject;
}

function requiredString(input: BulkObject, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`${input.id}: \`${field}\` must be a non-empty string`);
  return value;
}

function integerField(input: BulkObject, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`${input.id}: \`${field}\` must be an integer`);
  }
  return value;
}
