/**
 * The objects as they travel on the wire, typed against the installed SDK's own declarations so
 * a missing or misnamed field fails the type check. Decimal fields are JSON strings on the wire
 * (the SDK turns them into its Decimal type), hence the overrides.
 */
import type Stripe from 'stripe';
import { invoicePrefixFor } from './stripe-ids';

export interface WirePricing {
  type: 'price_details';
  price_details?: { price: string; product: string };
  unit_amount_decimal: string | null;
}

export type WireCustomer = Stripe.Customer;

export type WireInvoiceItem = Omit<Stripe.InvoiceItem, 'quantity_decimal' | 'pricing'> & {
  quantity_decimal: string;
  pricing: WirePricing | null;
};

export type WireLineItem = Omit<Stripe.InvoiceLineItem, 'quantity_decimal' | 'pricing'> & {
  quantity_decimal: string | null;
  pricing: WirePricing | null;
};

export interface WireList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export type WireInvoice = Omit<Stripe.Invoice, 'lines'> & { lines: WireList<WireLineItem> };

/** What the invoices table keeps: everything but the lines and totals, which come from items. */
export type StoredInvoice = Omit<
  WireInvoice,
  | 'lines'
  | 'subtotal'
  | 'subtotal_excluding_tax'
  | 'total'
  | 'total_excluding_tax'
  | 'amount_due'
  | 'amount_paid'
  | 'amount_remaining'
>;

export type WireWebhookEndpoint = Stripe.WebhookEndpoint;

export interface WireEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: object; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export function emptyAddress(): Stripe.Address {
  return { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };
}

export function newCustomer(id: string, created: number): WireCustomer {
  return {
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: invoicePrefixFor(id),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export function newInvoiceItem(fields: {
  id: string;
  created: number;
  customer: string;
  currency: string;
  amount: number;
  unitAmountDecimal: string;
  quantityDecimal: string;
}): WireInvoiceItem {
  return {
    id: fields.id,
    object: 'invoiceitem',
    amount: fields.amount,
    currency: fields.currency,
    customer: fields.customer,
    customer_account: null,
    date: fields.created,
    description: null,
    discountable: fields.amount >= 0,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    parent: null,
    period: { start: fields.created, end: fields.created },
    pricing: { type: 'price_details', unit_amount_decimal: fields.unitAmountDecimal },
    proration: false,
    quantity: Math.trunc(Number(fields.quantityDecimal)),
    quantity_decimal: fields.quantityDecimal,
    tax_rates: [],
    test_clock: null,
  };
}

export function newInvoice(fields: {
  id: string;
  created: number;
  customer: WireCustomer;
  currency: string;
}): StoredInvoice {
  return {
    id: fields.id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Syncwright Sandbox',
    account_tax_ids: null,
    amount_overpaid: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: false,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: 'manual',
    collection_method: 'charge_automatically',
    created: fields.created,
    currency: fields.currency,
    custom_fields: null,
    customer: fields.customer.id,
    customer_account: null,
    ...customerSnapshot(fields.customer),
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: fields.created,
    period_start: fields.created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    test_clock: null,
    total_discount_amounts: [],
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

/** The customer fields an invoice copies; they follow the customer until finalization. */
export function customerSnapshot(customer: WireCustomer) {
  return {
    customer_address: customer.address ?? null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: customer.shipping,
    customer_tax_exempt: customer.tax_exempt ?? 'none',
    customer_tax_ids: [],
  } satisfies Partial<StoredInvoice>;
}
