/**
 * /v1/invoices: drafts, their lines, and the documented status transitions —
 *   draft → open (finalize; a zero amount due goes straight to paid) → paid (pay) | void | uncollectible,
 *   uncollectible → paid | void; pay on a draft finalizes it first; only drafts can be deleted.
 * Any other transition is a 400. Paying always succeeds (no payment methods are emulated).
 */
import { pathParam, type ApiContext, type ApiRoute } from './api-context';
import { assertCustomerCurrency, taxLocationProblem } from './billing-rules';
import { ACCOUNT_DEFAULT_CURRENCY } from './currencies';
import { previousAttributes } from './event-log';
import { expandObjects, expansionsFor } from './expand';
import { lineItemFor } from './invoice-totals';
import { addRangeFilter, Conditions, LIST_PARAMS, listObject, listPage, readListRequest } from './list-page';
import { customerSnapshot, newInvoice, type StoredInvoice, type WireInvoice } from './object-shapes';
import { applyMetadata, type ParamReader } from './param-reader';
import { invalidRequest, parameterError, parameterMissing, resourceMissing } from './stripe-error';
import { randomId } from './stripe-ids';

const DAY = 86_400;
const STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;
const COLLECTION_METHODS = ['charge_automatically', 'send_invoice'] as const;

const SHARED_PARAMS = [
  'account_tax_ids',
  'application_fee_amount',
  'auto_advance',
  'automatic_tax',
  'automatically_finalizes_at',
  'collection_method',
  'custom_fields',
  'days_until_due',
  'default_payment_method',
  'default_source',
  'default_tax_rates',
  'description',
  'discounts',
  'due_date',
  'effective_at',
  'expand',
  'footer',
  'issuer',
  'metadata',
  'number',
  'on_behalf_of',
  'payment_settings',
  'rendering',
  'shipping_cost',
  'shipping_details',
  'statement_descriptor',
  'transfer_data',
];
const CREATE_PARAMS = [
  ...SHARED_PARAMS,
  'currency',
  'customer',
  'customer_account',
  'from_invoice',
  'pending_invoice_items_behavior',
  'subscription',
];
/** What a finalized invoice still lets you change; money and collection are fixed. */
const FINALIZED_EDITABLE: Record<string, readonly string[]> = {
  open: ['metadata', 'description', 'footer', 'custom_fields', 'auto_advance', 'due_date', 'days_until_due', 'expand'],
  uncollectible: ['metadata', 'description', 'footer', 'custom_fields', 'auto_advance', 'expand'],
  paid: ['metadata', 'description', 'footer', 'expand'],
  void: ['metadata', 'expand'],
};

export const invoiceRoutes: ApiRoute[] = [
  { method: 'POST', pattern: '/v1/invoices', handler: createInvoice },
  { method: 'GET', pattern: '/v1/invoices', handler: listInvoices },
  { method: 'GET', pattern: '/v1/invoices/:id', handler: retrieveInvoice },
  { method: 'POST', pattern: '/v1/invoices/:id', handler: updateInvoice },
  { method: 'DELETE', pattern: '/v1/invoices/:id', handler: deleteInvoice },
  { method: 'GET', pattern: '/v1/invoices/:id/lines', handler: listLines },
  { method: 'POST', pattern: '/v1/invoices/:id/finalize', handler: finalizeInvoice },
  { method: 'POST', pattern: '/v1/invoices/:id/pay', handler: payInvoice },
  { method: 'POST', pattern: '/v1/invoices/:id/void', handler: voidInvoice },
  { method: 'POST', pattern: '/v1/invoices/:id/mark_uncollectible', handler: markUncollectible },
];

async function createInvoice(ctx: ApiContext) {
  const p = ctx.params.allow(CREATE_PARAMS);
  const expand = expansionsFor(p.expand(), ['customer'], false);
  rejectUnemulated(p);
  const requestedCurrency = p.currency('currency');
  const behavior = p.enum('pending_invoice_items_behavior', ['exclude', 'include']) ?? 'exclude';
  const customerId = p.string('customer');
  if (!customerId) throw parameterMissing('customer');
  const row = await ctx.store.customer(customerId, true);
  if (!row || row.deleted) throw resourceMissing('customer', customerId, 'customer', false);
  const customer = row.doc;
  const pendingCurrency = behavior === 'include' ? await ctx.store.pendingItemCurrency(customerId) : null;
  const currency = requestedCurrency ?? pendingCurrency ?? customer.currency ?? ACCOUNT_DEFAULT_CURRENCY;
  assertCustomerCurrency(customer, currency);

  const invoice = newInvoice({ id: randomId('in'), created: ctx.now, customer, currency });
  applyEditable(invoice, p, ctx.now);
  if (!customer.currency) {
    customer.currency = currency;
    await ctx.store.saveCustomer(customer);
  }
  await ctx.store.insertInvoice(invoice);
  if (behavior === 'include') await ctx.store.attachPendingItems(customerId, invoice.id, currency);
  const rendered = await ctx.store.renderInvoice(invoice);
  await ctx.emit('invoice.created', rendered);
  return first(await expandObjects(ctx.store, [rendered], expand));
}

async function retrieveInvoice(ctx: ApiContext) {
  const p = ctx.params.allow(['expand']);
  const expand = expansionsFor(p.expand(), ['customer'], false);
  const invoice = await load(ctx, false);
  return first(await expandObjects(ctx.store, [await ctx.store.renderInvoice(invoice)], expand));
}

async function updateInvoice(ctx: ApiContext) {
  const p = ctx.params.allow(SHARED_PARAMS);
  const expand = expansionsFor(p.expand(), ['customer'], false);
  const before = await load(ctx, true);
  const allowed = before.status === 'draft' ? null : FINALIZED_EDITABLE[before.status ?? ''];
  if (allowed) {
    const blocked = SHARED_PARAMS.find((key) => p.has(key) && !allowed.includes(key));
    if (blocked) {
      throw invalidRequest(
        `This invoice is ${before.status}, so \`${blocked}\` can no longer be updated. You can only update ${allowed.filter((k) => k !== 'expand').join(', ')} on a ${before.status} invoice.`,
        { param: blocked, code: 'invoice_not_editable' },
      );
    }
  } else {
    rejectUnemulated(p);
  }
  const invoice = structuredClone(before);
  applyEditable(invoice, p, ctx.now);
  await ctx.store.saveInvoice(invoice);
  const rendered = await ctx.store.renderInvoice(invoice);
  const previous = previousAttributes(await ctx.store.renderInvoice(before), rendered);
  if (Object.keys(previous).length > 0) await ctx.emit('invoice.updated', rendered, previous);
  return first(await expandObjects(ctx.store, [rendered], expand));
}

async function deleteInvoice(ctx: ApiContext) {
  ctx.params.allow([]);
  const invoice = await load(ctx, true);
  if (invoice.status !== 'draft') {
    throw invalidRequest(`You can only delete draft invoices. This invoice is ${invoice.status}; void it instead.`, {
      code: 'invoice_not_editable',
    });
  }
  const rendered = await ctx.store.renderInvoice(invoice);
  await ctx.store.detachItems(invoice.id);
  await ctx.store.deleteInvoice(invoice.id);
  await ctx.emit('invoice.deleted', rendered);
  return { id: invoice.id, object: 'invoice' as const, deleted: true as const };
}

async function listInvoices(ctx: ApiContext) {
  const p = ctx.params.allow([
    ...LIST_PARAMS,
    'collection_method',
    'created',
    'customer',
    'customer_account',
    'due_date',
    'status',
    'subscription',
  ]);
  const request = readListRequest(p);
  const expand = expansionsFor(p.expand(), ['customer'], true);
  const where = new Conditions();
  const customer = p.string('customer');
  if (customer) where.add(`customer = ${where.bind(customer)}`);
  const status = p.enum('status', STATUSES);
  if (status) where.add(`status = ${where.bind(status)}`);
  const method = p.enum('collection_method', COLLECTION_METHODS);
  if (method) where.add(`doc->>'collection_method' = ${where.bind(method)}`);
  addRangeFilter(p, 'created', 'created', where);
  addRangeFilter(p, 'due_date', `(doc->>'due_date')::bigint`, where);
  // No subscriptions are emulated, so a subscription filter matches nothing.
  if (p.string('subscription')) where.add('false');
  p.string('customer_account');
  const { docs, hasMore } = await listPage<StoredInvoice>(
    ctx.store.db,
    `${ctx.store.s}.invoices`,
    'invoice',
    where,
    request,
  );
  const rendered = await ctx.store.renderInvoices(docs);
  return listObject('/v1/invoices', await expandObjects(ctx.store, rendered, expand), hasMore);
}

async function listLines(ctx: ApiContext) {
  const p = ctx.params.allow(LIST_PARAMS);
  const request = readListRequest(p);
  p.expand();
  const invoice = await load(ctx, false);
  const items = (await ctx.store.itemsOfInvoices([invoice.id])).get(invoice.id) ?? [];
  const lines = items.map((item) => lineItemFor(item, invoice.id));
  // Lines keep the invoice's own order (oldest first); cursors move along it.
  let start = 0;
  let end = lines.length;
  if (request.startingAfter) {
    const at = lines.findIndex((l) => l.id === request.startingAfter);
    if (at < 0) throw resourceMissing('line item', request.startingAfter, 'starting_after', false);
    start = at + 1;
    end = Math.min(lines.length, start + request.limit);
  } else if (request.endingBefore) {
    const at = lines.findIndex((l) => l.id === request.endingBefore);
    if (at < 0) throw resourceMissing('line item', request.endingBefore, 'ending_before', false);
    end = at;
    start = Math.max(0, end - request.limit);
  } else {
    end = Math.min(lines.length, request.limit);
  }
  const hasMore = request.endingBefore && !request.startingAfter ? start > 0 : end < lines.length;
  return listObject(`/v1/invoices/${invoice.id}/lines`, lines.slice(start, end), hasMore);
}

async function finalizeInvoice(ctx: ApiContext) {
  const p = ctx.params.allow(['auto_advance', 'expand']);
  const expand = expansionsFor(p.expand(), ['customer'], false);
  const invoice = await load(ctx, true);
  if (invoice.status !== 'draft') {
    throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", {
      code: 'invoice_not_editable',
    });
  }
  const autoAdvance = p.bool('auto_advance');
  if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
  const rendered = await finalize(ctx, invoice);
  return first(await expandObjects(ctx.store, [rendered], expand));
}

async function payInvoice(ctx: ApiContext) {
  const p = ctx.params.allow([
    'expand',
    'forgive',
    'mandate',
    'off_session',
    'paid_out_of_band',
    'payment_method',
    'source',
  ]);
  const expand = expansionsFor(p.expand(), ['customer'], false);
  const paymentMethod = p.string('payment_method');
  if (paymentMethod) throw resourceMissing('PaymentMethod', paymentMethod, 'payment_method', false);
  const source = p.string('source');
  if (source) throw resourceMissing('source', source, 'source', false);
  const outOfBand = p.bool('paid_out_of_band') ?? false;
  p.bool('forgive');
  p.bool('off_session');
  p.string('mandate', { unsettable: true });
  let invoice = await load(ctx, true);
  if (invoice.status === 'paid') throw transitionError('Invoice is already paid.');
  if (invoice.status === 'void') throw transitionError('This invoice is void and can no longer be paid.');
  if (invoice.status === 'draft') {
    const finalized = await finalize(ctx, invoice);
    if (finalized.status === 'paid') return first(await expandObjects(ctx.store, [finalized], expand));
    invoice = (await ctx.store.invoice(invoice.id, true)) ?? invoice;
  }
  const rendered = await markPaid(ctx, invoice, outOfBand);
  return first(await expandObjects(ctx.store, [rendered], expand));
}

async function voidInvoice(ctx: ApiContext) {
  const p = ctx.params.allow(['expand']);
  const expand = expansionsFor(p.expand(), ['customer'], false);
  const invoice = await load(ctx, true);
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
    throw transitionError(
      `You can only void invoices that are open or uncollectible. This invoice is ${invoice.status}.`,
    );
  }
  invoice.status = 'void';
  invoice.status_transitions.voided_at = ctx.now;
  invoice.auto_advance = false;
  await ctx.store.saveInvoice(invoice);
  const rendered = await ctx.store.renderInvoice(invoice);
  await ctx.emit('invoice.voided', rendered);
  return first(await expandObjects(ctx.store, [rendered], expand));
}

async function markUncollectible(ctx: ApiContext) {
  const p = ctx.params.allow(['expand']);
  const expand = expansionsFor(p.expand(), ['customer'], false);
  const invoice = await load(ctx, true);
  if (invoice.status !== 'open') {
    throw transitionError(`You can only mark open invoices as uncollectible. This invoice is ${invoice.status}.`);
  }
  invoice.status = 'uncollectible';
  invoice.status_transitions.marked_uncollectible_at = ctx.now;
  await ctx.store.saveInvoice(invoice);
  const rendered = await ctx.store.renderInvoice(invoice);
  await ctx.emit('invoice.marked_uncollectible', rendered);
  return first(await expandObjects(ctx.store, [rendered], expand));
}

/** draft → open, numbered from the customer's sequence; a zero amount due is paid at once. */
async function finalize(ctx: ApiContext, invoice: StoredInvoice): Promise<WireInvoice> {
  const customerId = String(invoice.customer);
  const row = await ctx.store.customer(customerId, true);
  if (!row) throw resourceMissing('customer', customerId, 'customer', false);
  const customer = row.doc;
  const problem = taxLocationProblem(customer);
  if (problem) {
    invoice.last_finalization_error = {
      type: 'invalid_request_error',
      code: problem.code,
      message: problem.message,
      param: problem.param,
    };
    await ctx.store.saveInvoice(invoice);
    await ctx.emit('invoice.finalization_failed', await ctx.store.renderInvoice(invoice));
    throw invalidRequest(problem.message, { code: problem.code, param: problem.param, commit: true });
  }
  const sequence = customer.next_invoice_sequence ?? 1;
  invoice.number = `${customer.invoice_prefix ?? 'INV'}-${String(sequence).padStart(4, '0')}`;
  customer.next_invoice_sequence = sequence + 1;
  await ctx.store.saveCustomer(customer);

  Object.assign(invoice, customerSnapshot(customer));
  invoice.status = 'open';
  invoice.last_finalization_error = null;
  invoice.status_transitions.finalized_at = ctx.now;
  invoice.effective_at = invoice.effective_at ?? ctx.now;
  invoice.webhooks_delivered_at = ctx.now;
  if (invoice.collection_method === 'send_invoice' && invoice.due_date === null) {
    invoice.due_date = ctx.now + 30 * DAY;
  }
  await ctx.store.saveInvoice(invoice);
  const rendered = await ctx.store.renderInvoice(invoice);
  await ctx.emit('invoice.finalized', rendered);
  if (rendered.amount_due === 0) return markPaid(ctx, invoice, false);
  return rendered;
}

async function markPaid(ctx: ApiContext, invoice: StoredInvoice, outOfBand: boolean): Promise<WireInvoice> {
  invoice.status = 'paid';
  invoice.status_transitions.paid_at = ctx.now;
  invoice.auto_advance = false;
  if (!outOfBand) {
    invoice.attempted = true;
    invoice.attempt_count += 1;
  }
  await ctx.store.saveInvoice(invoice);
  const rendered = await ctx.store.renderInvoice(invoice);
  await ctx.emit('invoice.paid', rendered);
  await ctx.emit('invoice.payment_succeeded', rendered);
  return rendered;
}

async function load(ctx: ApiContext, lock: boolean): Promise<StoredInvoice> {
  const id = pathParam(ctx, 'id');
  const invoice = await ctx.store.invoice(id, lock);
  if (!invoice) throw resourceMissing('invoice', id, 'id', true);
  return invoice;
}

function applyEditable(invoice: StoredInvoice, p: ParamReader, now: number): void {
  const autoAdvance = p.bool('auto_advance');
  if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
  const method = p.enum('collection_method', COLLECTION_METHODS);
  if (method) invoice.collection_method = method;
  const days = p.int('days_until_due', { min: 0, max: 3650 });
  const dueDate = p.int('due_date');
  if (days !== undefined && days !== null && dueDate !== undefined && dueDate !== null) {
    throw parameterError(
      'You may only specify one of these parameters: days_until_due, due_date.',
      'due_date',
      'parameters_exclusive',
    );
  }
  if (invoice.collection_method === 'charge_automatically' && ((days ?? null) !== null || (dueDate ?? null) !== null)) {
    throw parameterError(
      'Invoices with `collection_method=charge_automatically` cannot have a due date; set `collection_method=send_invoice`.',
      days !== undefined ? 'days_until_due' : 'due_date',
    );
  }
  // Days count from the invoice's creation, as Stripe counts them.
  if (days !== undefined && days !== null) invoice.due_date = invoice.created + days * DAY;
  if (dueDate !== undefined && dueDate !== null) {
    if (dueDate < now - DAY) throw parameterError('The due date must be in the future.', 'due_date');
    invoice.due_date = dueDate;
  }
  if (invoice.collection_method === 'send_invoice' && invoice.due_date === null && method) {
    // Stripe's account default: due 30 days after the invoice is created.
    invoice.due_date = invoice.created + 30 * DAY;
  }
  if (invoice.collection_method === 'charge_automatically') invoice.due_date = null;
  const description = p.string('description', { unsettable: true, maxLength: 1500 });
  if (description !== undefined) invoice.description = description;
  const footer = p.string('footer', { unsettable: true, maxLength: 5000 });
  if (footer !== undefined) invoice.footer = footer;
  const statement = p.string('statement_descriptor', { unsettable: true, maxLength: 22 });
  if (statement !== undefined) invoice.statement_descriptor = statement;
  const number = p.string('number', { unsettable: true, maxLength: 26 });
  if (number !== undefined) invoice.number = number;
  const effectiveAt = p.int('effective_at', { unsettable: true });
  if (effectiveAt !== undefined) invoice.effective_at = effectiveAt;
  const automaticTax = p.object('automatic_tax', ['enabled', 'liability']);
  if (automaticTax) {
    const enabled = automaticTax.bool('enabled');
    if (enabled === undefined) throw parameterMissing('automatic_tax[enabled]');
    automaticTax.object('liability', ['account', 'type']);
    invoice.automatic_tax = { ...invoice.automatic_tax, enabled, status: enabled ? 'requires_location_inputs' : null };
  }
  const customFields = p.object('custom_fields', ['0', '1', '2', '3'], { unsettable: true });
  if (customFields === null) invoice.custom_fields = null;
  else if (customFields) {
    invoice.custom_fields = ['0', '1', '2', '3']
      .map((i) => customFields.object(i, ['name', 'value']))
      .filter((f): f is ParamReader => !!f)
      .map((f) => ({
        name: f.requiredString('name', { maxLength: 40 }),
        value: f.requiredString('value', { maxLength: 140 }),
      }));
  }
  invoice.metadata = applyMetadata(invoice.metadata ?? {}, p.metadata());
  // Accepted as Stripe accepts them; the emulator models nothing they control.
  p.int('automatically_finalizes_at');
  p.object('issuer', ['account', 'type']);
  p.object('payment_settings', ['default_mandate', 'payment_method_options', 'payment_method_types']);
  p.object('rendering', ['amount_tax_display', 'pdf', 'template', 'template_version'], { unsettable: true });
}

/** References to objects this emulator does not hold are missing objects, as Stripe says. */
function rejectUnemulated(p: ParamReader): void {
  const single: Array<[string, string]> = [
    ['default_payment_method', 'PaymentMethod'],
    ['default_source', 'source'],
    ['on_behalf_of', 'account'],
    ['subscription', 'subscription'],
    ['customer_account', 'account'],
  ];
  for (const [key, kind] of single) {
    const id = p.has(key) ? p.string(key, { unsettable: true }) : undefined;
    if (id) throw resourceMissing(kind, id, key, false);
  }
  for (const [key, kind] of [
    ['default_tax_rates', 'tax rate'],
    ['account_tax_ids', 'tax id'],
  ] as const) {
    const ids = p.has(key) ? p.stringArray(key, { unsettable: true }) : undefined;
    const id = ids?.[0];
    if (id) throw resourceMissing(kind, id, key, false);
  }
  if (p.has('discounts')) {
    const discount = p
      .object('discounts', ['0'], { unsettable: true })
      ?.object('0', ['coupon', 'discount', 'promotion_code']);
    const id = discount?.string('coupon') ?? discount?.string('discount') ?? discount?.string('promotion_code');
    if (id) throw resourceMissing('coupon', id, 'discounts[0][coupon]', false);
  }
  for (const key of ['from_invoice', 'transfer_data', 'shipping_cost', 'shipping_details']) {
    if (p.has(key))
      throw invalidRequest(`\`${key}\` is not supported by the Stripe sandbox.`, { param: key, saveable: false });
  }
  if (p.has('application_fee_amount')) {
    throw invalidRequest('Application fees can only be set on invoices of connected accounts.', {
      param: 'application_fee_amount',
      saveable: false,
    });
  }
}

function transitionError(message: string) {
  return invalidRequest(message, { code: 'status_transition_invalid' });
}

function first<T>(items: T[]): T {
  const [item] = items;
  if (item === undefined) throw new Error('expected one object');
  return item;
}
