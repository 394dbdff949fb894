/**
 * /v1/customers: create, retrieve, update, list, delete. `currency` is not a parameter: it is set
 * by the customer's first invoice item or invoice and locks the customer to that currency.
 */
import type Stripe from 'stripe';
import { pathParam, type ApiContext, type ApiRoute } from './api-context';
import { previousAttributes } from './event-log';
import { addRangeFilter, Conditions, LIST_PARAMS, listObject, listPage, readListRequest } from './list-page';
import { customerSnapshot, newCustomer, type WireCustomer } from './object-shapes';
import { applyMetadata, type ParamReader } from './param-reader';
import { parameterError, resourceMissing } from './stripe-error';
import { randomId } from './stripe-ids';

const ADDRESS_KEYS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'] as const;

const WRITABLE = [
  'address',
  'balance',
  'business_name',
  'cash_balance',
  'description',
  'email',
  'expand',
  'individual_name',
  'invoice_prefix',
  'invoice_settings',
  'metadata',
  'name',
  'next_invoice_sequence',
  'phone',
  'preferred_locales',
  'shipping',
  'tax',
  'tax_exempt',
] as const;
const CREATE_PARAMS = [...WRITABLE, 'payment_method', 'source', 'tax_id_data', 'test_clock', 'validate'];
const UPDATE_PARAMS = [...WRITABLE, 'default_source', 'source', 'validate'];

export const customerRoutes: ApiRoute[] = [
  { method: 'POST', pattern: '/v1/customers', handler: createCustomer },
  { method: 'GET', pattern: '/v1/customers', handler: listCustomers },
  { method: 'GET', pattern: '/v1/customers/:id', handler: retrieveCustomer },
  { method: 'POST', pattern: '/v1/customers/:id', handler: updateCustomer },
  { method: 'DELETE', pattern: '/v1/customers/:id', handler: deleteCustomer },
];

async function createCustomer(ctx: ApiContext) {
  const p = ctx.params.allow(CREATE_PARAMS);
  rejectUnemulatedReferences(p, ['payment_method', 'source', 'test_clock']);
  const customer = applyWritable(newCustomer(randomId('cus'), ctx.now), p);
  await ctx.store.insertCustomer(customer);
  await ctx.emit('customer.created', customer);
  return customer;
}

async function retrieveCustomer(ctx: ApiContext) {
  ctx.params.allow(['expand']);
  const id = pathParam(ctx, 'id');
  const row = await ctx.store.customer(id);
  if (!row) throw resourceMissing('customer', id, 'id', true);
  if (row.deleted) return deletedStub(id);
  return row.doc;
}

async function updateCustomer(ctx: ApiContext) {
  const p = ctx.params.allow(UPDATE_PARAMS);
  rejectUnemulatedReferences(p, ['default_source', 'source']);
  const id = pathParam(ctx, 'id');
  const row = await ctx.store.customer(id, true);
  if (!row || row.deleted) throw resourceMissing('customer', id, 'id', true);
  const updated = applyWritable(structuredClone(row.doc), p);
  await ctx.store.saveCustomer(updated);
  await ctx.store.refreshDraftSnapshots(id, customerSnapshot(updated));
  const previous = previousAttributes(row.doc, updated);
  if (Object.keys(previous).length > 0) await ctx.emit('customer.updated', updated, previous);
  return updated;
}

async function deleteCustomer(ctx: ApiContext) {
  ctx.params.allow([]);
  const id = pathParam(ctx, 'id');
  const row = await ctx.store.customer(id, true);
  if (!row || row.deleted) throw resourceMissing('customer', id, 'id', true);
  await ctx.store.saveCustomer(row.doc, true);
  await ctx.emit('customer.deleted', row.doc);
  return deletedStub(id);
}

async function listCustomers(ctx: ApiContext) {
  const p = ctx.params.allow([...LIST_PARAMS, 'created', 'email', 'test_clock']);
  const request = readListRequest(p);
  const where = new Conditions().add('deleted = false');
  const email = p.string('email', { maxLength: 512 });
  if (email) where.add(`email = ${where.bind(email)}`);
  addRangeFilter(p, 'created', 'created', where);
  p.expand();
  const { docs, hasMore } = await listPage<WireCustomer>(
    ctx.store.db,
    `${ctx.store.s}.customers`,
    'customer',
    where,
    request,
  );
  return listObject('/v1/customers', docs, hasMore);
}

function deletedStub(id: string) {
  return { id, object: 'customer' as const, deleted: true as const };
}

/** Objects this emulator does not hold (payment methods, sources, test clocks) cannot be named. */
function rejectUnemulatedReferences(p: ParamReader, keys: readonly string[]): void {
  const kinds: Record<string, string> = {
    payment_method: 'PaymentMethod',
    source: 'source',
    default_source: 'source',
    test_clock: 'test clock',
  };
  for (const key of keys) {
    const value = p.string(key, { unsettable: true });
    if (value) throw resourceMissing(kinds[key] ?? key, value, key, false);
  }
}

function applyWritable(customer: WireCustomer, p: ParamReader): WireCustomer {
  const email = p.string('email', { unsettable: true, maxLength: 512 });
  if (email) validateEmail(email);
  if (email !== undefined) customer.email = email;
  const name = p.string('name', { unsettable: true, maxLength: 256 });
  if (name !== undefined) customer.name = name;
  const description = p.string('description', { unsettable: true, maxLength: 350 });
  if (description !== undefined) customer.description = description;
  const phone = p.string('phone', { unsettable: true, maxLength: 20 });
  if (phone !== undefined) customer.phone = phone;
  const businessName = p.string('business_name', { unsettable: true, maxLength: 150 });
  if (businessName !== undefined) customer.business_name = businessName ?? '';
  const individualName = p.string('individual_name', { unsettable: true, maxLength: 150 });
  if (individualName !== undefined) customer.individual_name = individualName ?? '';
  const balance = p.int('balance');
  if (balance !== undefined && balance !== null) customer.balance = balance;
  const address = readAddress(p, 'address');
  if (address !== undefined) customer.address = address;
  const shipping = p.object('shipping', ['address', 'name', 'phone'], { unsettable: true });
  if (shipping === null) customer.shipping = null;
  else if (shipping) {
    customer.shipping = {
      address: readAddress(shipping, 'address') ?? undefined,
      name: shipping.requiredString('name'),
      phone: shipping.string('phone', { unsettable: true }) ?? null,
    };
  }
  const taxExempt = p.enum('tax_exempt', ['none', 'exempt', 'reverse'], { unsettable: true });
  if (taxExempt !== undefined) customer.tax_exempt = taxExempt ?? 'none';
  const prefix = p.string('invoice_prefix');
  if (prefix) {
    if (!/^[A-Z0-9]{3,12}$/.test(prefix)) {
      throw parameterError('Invoice prefix must be 3-12 uppercase letters or numbers.', 'invoice_prefix');
    }
    customer.invoice_prefix = prefix;
  }
  const sequence = p.int('next_invoice_sequence', { min: 1 });
  if (sequence) customer.next_invoice_sequence = sequence;
  const locales = p.stringArray('preferred_locales');
  if (locales) customer.preferred_locales = locales;
  const settings = p.object('invoice_settings', [
    'custom_fields',
    'default_payment_method',
    'footer',
    'rendering_options',
  ]);
  if (settings) {
    const paymentMethod = settings.string('default_payment_method', { unsettable: true });
    if (paymentMethod)
      throw resourceMissing('PaymentMethod', paymentMethod, 'invoice_settings[default_payment_method]', false);
    const footer = settings.string('footer', { unsettable: true, maxLength: 5000 });
    if (footer !== undefined) customer.invoice_settings.footer = footer;
    const fields = readCustomFields(settings);
    if (fields !== undefined) customer.invoice_settings.custom_fields = fields;
    settings.object('rendering_options', ['amount_tax_display', 'template'], { unsettable: true });
  }
  customer.metadata = applyMetadata(customer.metadata, p.metadata());
  // Accepted as Stripe accepts them; they change nothing the emulator models.
  p.object('tax', ['ip_address', 'validate_location']);
  p.object('cash_balance', ['settings']);
  p.expand();
  return customer;
}

function readAddress(p: ParamReader, key: string): Stripe.Address | null | undefined {
  const a = p.object(key, ADDRESS_KEYS, { unsettable: true });
  if (a === undefined || a === null) return a;
  const address: Stripe.Address = {
    city: null,
    country: null,
    line1: null,
    line2: null,
    postal_code: null,
    state: null,
  };
  for (const field of ADDRESS_KEYS) address[field] = a.string(field, { unsettable: true, maxLength: 200 }) ?? null;
  return address;
}

function readCustomFields(p: ParamReader): Array<{ name: string; value: string }> | null | undefined {
  const indexes = ['0', '1', '2', '3'];
  const raw = p.object('custom_fields', indexes, { unsettable: true });
  if (raw === null || raw === undefined) return raw;
  const out: Array<{ name: string; value: string }> = [];
  for (const index of indexes) {
    const field = raw.object(index, ['name', 'value']);
    if (field)
      out.push({
        name: field.requiredString('name', { maxLength: 40 }),
        value: field.requiredString('value', { maxLength: 140 }),
      });
  }
  return out;
}

function validateEmail(email: string): void {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw parameterError(`Invalid email address: ${email}`, 'email', 'email_invalid');
  }
}
