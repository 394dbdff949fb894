/**
 * /v1/invoiceitems. An item is priced by `amount` (minor units), by `unit_amount_decimal`
 * × `quantity`/`quantity_decimal`, or by inline `price_data`; it is pending until an invoice
 * takes it (`invoice` on create, or `pending_invoice_items_behavior=include`), and can change or
 * be deleted only while pending or on a draft.
 */
import Decimal from 'decimal.js';
import { pathParam, type ApiContext, type ApiRoute } from './api-context';
import { assertCustomerCurrency } from './billing-rules';
import { expandObjects, expansionsFor } from './expand';
import { amountFromUnitPrice } from './invoice-totals';
import { addRangeFilter, Conditions, LIST_PARAMS, listObject, listPage, readListRequest } from './list-page';
import { newInvoiceItem, type StoredInvoice, type WireInvoiceItem } from './object-shapes';
import { applyMetadata, type ParamReader } from './param-reader';
import { invalidRequest, parameterError, parameterMissing, resourceMissing } from './stripe-error';
import { randomId } from './stripe-ids';

const MAX_ITEMS_PER_INVOICE = 250;
/** A ceiling for one item's amount in minor units, far above any real invoice line. */
const MAX_AMOUNT = 99_999_999_999;

const PRICING_PARAMS = ['amount', 'unit_amount_decimal', 'price_data', 'pricing'] as const;
const SHARED_PARAMS = [
  ...PRICING_PARAMS,
  'description',
  'discountable',
  'discounts',
  'expand',
  'metadata',
  'period',
  'quantity',
  'quantity_decimal',
  'tax_behavior',
  'tax_code',
  'tax_rates',
];
const CREATE_PARAMS = [...SHARED_PARAMS, 'currency', 'customer', 'customer_account', 'invoice', 'subscription'];
const UPDATE_PARAMS = [...SHARED_PARAMS, 'invoicing_rules'];

export const invoiceItemRoutes: ApiRoute[] = [
  { method: 'POST', pattern: '/v1/invoiceitems', handler: createInvoiceItem },
  { method: 'GET', pattern: '/v1/invoiceitems', handler: listInvoiceItems },
  { method: 'GET', pattern: '/v1/invoiceitems/:id', handler: retrieveInvoiceItem },
  { method: 'POST', pattern: '/v1/invoiceitems/:id', handler: updateInvoiceItem },
  { method: 'DELETE', pattern: '/v1/invoiceitems/:id', handler: deleteInvoiceItem },
];

async function createInvoiceItem(ctx: ApiContext) {
  const p = ctx.params.allow(CREATE_PARAMS);
  const expand = expansionsFor(p.expand(), ['customer', 'invoice'], false);
  rejectUnemulated(p);
  const priceData = readPriceData(p);
  const pricing = readPricing(p, priceData, true);
  if (!pricing) throw parameterMissing('amount');
  const invoiceId = p.string('invoice');
  let invoice: StoredInvoice | null = null;
  if (invoiceId) {
    invoice = await ctx.store.invoice(invoiceId, true);
    if (!invoice) throw resourceMissing('invoice', invoiceId, 'invoice', false);
  }
  const customerId = p.string('customer') ?? (invoice ? String(invoice.customer) : undefined);
  if (!customerId) throw parameterMissing('customer');
  const customerRow = await ctx.store.customer(customerId, true);
  if (!customerRow || customerRow.deleted) throw resourceMissing('customer', customerId, 'customer', false);
  const customer = customerRow.doc;

  const currency = p.currency('currency') ?? priceData?.currency ?? invoice?.currency ?? customer.currency;
  if (!currency) throw parameterMissing('currency');
  if (priceData && priceData.currency !== currency) {
    throw parameterError(
      'The currency of `price_data` must match the currency of the invoice item.',
      'price_data[currency]',
    );
  }
  assertCustomerCurrency(customer, currency);
  if (invoice) await assertAttachable(ctx, invoice, customerId, currency);

  const item = newInvoiceItem({
    id: randomId('ii'),
    created: ctx.now,
    customer: customerId,
    currency,
    amount: pricing.amount,
    unitAmountDecimal: pricing.unitAmountDecimal,
    quantityDecimal: pricing.quantityDecimal,
  });
  if (priceData) {
    item.pricing = {
      type: 'price_details',
      unit_amount_decimal: pricing.unitAmountDecimal,
      price_details: inlinePrice(priceData),
    };
  }
  item.invoice = invoice?.id ?? null;
  applyShared(item, p);

  if (!customer.currency) {
    customer.currency = currency;
    await ctx.store.saveCustomer(customer);
  }
  await ctx.store.insertInvoiceItem(item);
  await ctx.emit('invoiceitem.created', item);
  const [out] = await expandObjects(ctx.store, [item], expand);
  return out ?? item;
}

async function retrieveInvoiceItem(ctx: ApiContext) {
  const p = ctx.params.allow(['expand']);
  const expand = expansionsFor(p.expand(), ['customer', 'invoice'], false);
  const item = await loadItem(ctx, false);
  const [out] = await expandObjects(ctx.store, [item], expand);
  return out ?? item;
}

async function updateInvoiceItem(ctx: ApiContext) {
  const p = ctx.params.allow(UPDATE_PARAMS);
  const expand = expansionsFor(p.expand(), ['customer', 'invoice'], false);
  rejectUnemulated(p);
  const before = await loadItem(ctx, true);
  await assertEditable(ctx, before);
  const item = structuredClone(before);
  const priceData = readPriceData(p);
  if (priceData && priceData.currency !== item.currency) {
    throw parameterError(
      'The currency of `price_data` must match the currency of the invoice item.',
      'price_data[currency]',
    );
  }
  const pricing = readPricing(p, priceData, false, item);
  if (pricing) {
    item.amount = pricing.amount;
    item.discountable = pricing.amount >= 0;
    item.quantity = Math.trunc(Number(pricing.quantityDecimal));
    item.quantity_decimal = pricing.quantityDecimal;
    item.pricing = { type: 'price_details', unit_amount_decimal: pricing.unitAmountDecimal };
    if (priceData) item.pricing.price_details = inlinePrice(priceData);
  }
  applyShared(item, p);
  // Stripe has no invoiceitem.updated event type: an update is silent.
  await ctx.store.saveInvoiceItem(item);
  const [out] = await expandObjects(ctx.store, [item], expand);
  return out ?? item;
}

async function deleteInvoiceItem(ctx: ApiContext) {
  ctx.params.allow([]);
  const item = await loadItem(ctx, true);
  await assertEditable(ctx, item);
  await ctx.store.deleteInvoiceItem(item.id);
  await ctx.emit('invoiceitem.deleted', item);
  return { id: item.id, object: 'invoiceitem' as const, deleted: true as const };
}

async function listInvoiceItems(ctx: ApiContext) {
  const p = ctx.params.allow([...LIST_PARAMS, 'created', 'customer', 'customer_account', 'invoice', 'pending']);
  const request = readListRequest(p);
  const expand = expansionsFor(p.expand(), ['customer', 'invoice'], true);
  const where = new Conditions();
  const customer = p.string('customer');
  if (customer) where.add(`customer = ${where.bind(customer)}`);
  const invoice = p.string('invoice');
  if (invoice) where.add(`invoice = ${where.bind(invoice)}`);
  const pending = p.bool('pending');
  if (pending !== undefined) where.add(pending ? 'invoice IS NULL' : 'invoice IS NOT NULL');
  addRangeFilter(p, 'created', 'created', where);
  p.string('customer_account');
  const { docs, hasMore } = await listPage<WireInvoiceItem>(
    ctx.store.db,
    `${ctx.store.s}.invoice_items`,
    'invoiceitem',
    where,
    request,
  );
  return listObject('/v1/invoiceitems', await expandObjects(ctx.store, docs, expand), hasMore);
}

async function loadItem(ctx: ApiContext, lock: boolean): Promise<WireInvoiceItem> {
  const id = pathParam(ctx, 'id');
  const item = await ctx.store.invoiceItem(id, lock);
  if (!item) throw resourceMissing('invoiceitem', id, 'id', true);
  return item;
}

async function assertAttachable(ctx: ApiContext, invoice: StoredInvoice, customerId: string, currency: string) {
  if (invoice.customer !== customerId) {
    throw invalidRequest(`The invoice ${invoice.id} belongs to another customer than ${customerId}.`, {
      param: 'invoice',
    });
  }
  if (invoice.status !== 'draft') {
    throw invalidRequest(
      `You can only add invoice items to draft invoices; invoice ${invoice.id} is ${invoice.status}.`,
      {
        param: 'invoice',
        code: 'invoice_not_editable',
      },
    );
  }
  if (invoice.currency !== currency) {
    throw invalidRequest(
      `The currency of the invoice item (${currency}) must match the currency of the invoice (${invoice.currency}).`,
      { param: 'currency' },
    );
  }
  if ((await ctx.store.countItemsOfInvoice(invoice.id)) >= MAX_ITEMS_PER_INVOICE) {
    throw invalidRequest(`An invoice can have at most ${MAX_ITEMS_PER_INVOICE} invoice items.`, { param: 'invoice' });
  }
}

async function assertEditable(ctx: ApiContext, item: WireInvoiceItem) {
  if (typeof item.invoice !== 'string') return;
  const invoice = await ctx.store.invoice(item.invoice);
  if (invoice && invoice.status !== 'draft') {
    throw invalidRequest(
      `Invoice item ${item.id} is attached to invoice ${invoice.id}, which is ${invoice.status} and can no longer be edited.`,
      { code: 'invoice_not_editable' },
    );
  }
}

interface PriceData {
  currency: string;
  product: string;
  unitAmountDecimal: string;
}

function readPriceData(p: ParamReader): PriceData | undefined {
  const d = p.object('price_data', ['currency', 'product', 'tax_behavior', 'unit_amount', 'unit_amount_decimal']);
  if (!d) return undefined;
  const currency = d.currency('currency');
  if (!currency) throw parameterMissing('price_data[currency]');
  const product = d.requiredString('product');
  const unitAmount = d.int('unit_amount', { min: 0 });
  const unitAmountDecimal = d.decimal('unit_amount_decimal');
  if (unitAmount !== undefined && unitAmountDecimal !== undefined) {
    throw parameterError(
      'You may only specify one of these parameters: unit_amount, unit_amount_decimal.',
      'price_data',
      'parameters_exclusive',
    );
  }
  const unit = unitAmountDecimal ?? (unitAmount === undefined || unitAmount === null ? undefined : String(unitAmount));
  if (unit === undefined) throw parameterMissing('price_data[unit_amount]');
  d.enum('tax_behavior', ['exclusive', 'inclusive', 'unspecified']);
  return { currency, product, unitAmountDecimal: unit };
}

/** Inline price data makes a one-off Price in Stripe; its id is all that is kept here. */
function inlinePrice(priceData: PriceData) {
  return { price: randomId('price'), product: priceData.product };
}

interface Pricing {
  amount: number;
  unitAmountDecimal: string;
  quantityDecimal: string;
}

/** The item's price from whichever pricing parameter was given; undefined if none was. */
function readPricing(
  p: ParamReader,
  priceData: PriceData | undefined,
  creating: boolean,
  current?: WireInvoiceItem,
): Pricing | undefined {
  const given = PRICING_PARAMS.filter((k) => p.has(k));
  if (given.length > 1) {
    throw parameterError(
      `You may only specify one of these parameters: ${given.join(', ')}.`,
      given[1] ?? 'amount',
      'parameters_exclusive',
    );
  }
  const pricingPrice = p.object('pricing', ['price']);
  const price = pricingPrice?.string('price');
  if (price) throw resourceMissing('price', price, 'pricing[price]', false);
  const quantity = p.int('quantity', { min: 0 });
  const quantityDecimal = p.decimal('quantity_decimal');
  if (quantity !== undefined && quantityDecimal !== undefined) {
    throw parameterError(
      'You may only specify one of these parameters: quantity, quantity_decimal.',
      'quantity_decimal',
      'parameters_exclusive',
    );
  }
  if (quantityDecimal !== undefined && new Decimal(quantityDecimal).isNegative()) {
    throw parameterError('Quantity must be non-negative.', 'quantity_decimal');
  }
  const newQuantity = quantityDecimal ?? (quantity === undefined || quantity === null ? undefined : String(quantity));

  const amount = p.int('amount', { min: -MAX_AMOUNT, max: MAX_AMOUNT });
  if (amount !== undefined && amount !== null) {
    if (newQuantity !== undefined && new Decimal(newQuantity).comparedTo(1) !== 0) {
      throw parameterError(
        'When `amount` is given, `quantity` must be 1; use `unit_amount_decimal` to price by quantity.',
        'quantity',
      );
    }
    return { amount, unitAmountDecimal: String(amount), quantityDecimal: '1' };
  }
  // On update, a new quantity alone reprices at the item's current unit amount.
  const currentUnit =
    !creating && newQuantity !== undefined ? (current?.pricing?.unit_amount_decimal ?? undefined) : undefined;
  const unit = p.decimal('unit_amount_decimal') ?? priceData?.unitAmountDecimal ?? currentUnit;
  if (unit === undefined) {
    if (creating && newQuantity !== undefined) throw parameterMissing('unit_amount_decimal');
    return undefined;
  }
  const q = newQuantity ?? (creating ? '1' : (current?.quantity_decimal ?? '1'));
  const total = amountFromUnitPrice(unit, q);
  if (Math.abs(total) > MAX_AMOUNT)
    throw parameterError('The invoice item amount is too large.', 'unit_amount_decimal');
  return { amount: total, unitAmountDecimal: unit, quantityDecimal: q };
}

function applyShared(item: WireInvoiceItem, p: ParamReader): void {
  const description = p.string('description', { unsettable: true, maxLength: 5000 });
  if (description !== undefined) item.description = description;
  const discountable = p.bool('discountable');
  if (discountable !== undefined) item.discountable = discountable;
  const period = p.object('period', ['start', 'end']);
  if (period) {
    const start = period.int('start');
    const end = period.int('end');
    if (start === undefined || start === null) throw parameterMissing('period[start]');
    if (end === undefined || end === null) throw parameterMissing('period[end]');
    if (end < start) throw parameterError('The period end must be greater than or equal to the start.', 'period[end]');
    item.period = { start, end };
  }
  item.metadata = applyMetadata(item.metadata ?? {}, p.metadata());
  p.enum('tax_behavior', ['exclusive', 'inclusive', 'unspecified']);
  p.string('tax_code', { unsettable: true });
  p.string('invoicing_rules', { unsettable: true });
}

/** Coupons, tax rates, subscriptions and accounts are not emulated: naming one is a missing object. */
function rejectUnemulated(p: ParamReader): void {
  const rates = p.stringArray('tax_rates', { unsettable: true });
  const rate = rates?.[0];
  if (rate) throw resourceMissing('tax rate', rate, 'tax_rates', false);
  const subscription = p.has('subscription') ? p.string('subscription') : undefined;
  if (subscription) throw resourceMissing('subscription', subscription, 'subscription', false);
  const account = p.has('customer_account') ? p.string('customer_account') : undefined;
  if (account) throw resourceMissing('account', account, 'customer_account', false);
  if (p.has('discounts')) {
    const discounts = p.object('discounts', ['0'], { unsettable: true });
    const first = discounts?.object('0', ['coupon', 'discount', 'promotion_code']);
    const coupon = first?.string('coupon') ?? first?.string('discount') ?? first?.string('promotion_code');
    if (coupon) throw resourceMissing('coupon', coupon, 'discounts[0][coupon]', false);
  }
}
