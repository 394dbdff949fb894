import type Stripe from 'stripe';
import { z } from 'zod';
import { currencySchema, definedOnly, metadataSchema, parseFields, withSyncwrightId } from './parse-fields';

/**
 * `UpsertInput.fields` for a Stripe invoice. A new invoice is a draft that gathers the customer's
 * pending invoice items (`pending_invoice_items_behavior: 'include'`, unless the fields say
 * 'exclude'); its total is what Stripe computes from them. Customer, currency and what it did with
 * pending items are fixed once it exists. Once finalized, Stripe
 * accepts changes to metadata, description, footer, custom fields and (while open) the due date
 * only; any other field in an update is refused as `invoice_not_editable`.
 */
const customFieldSchema = z.strictObject({ name: z.string().min(1), value: z.string() });

const invoiceShape = z.strictObject({
  customer: z.string().min(1),
  currency: currencySchema.optional(),
  description: z.string().nullish(),
  footer: z.string().nullish(),
  statement_descriptor: z.string().nullish(),
  collection_method: z.enum(['charge_automatically', 'send_invoice']).optional(),
  days_until_due: z.int().min(0).optional(),
  due_date: z.int().optional(),
  /** Left false (Stripe's default for API invoices) so that finalization stays an explicit step. */
  auto_advance: z.boolean().optional(),
  custom_fields: z.array(customFieldSchema).max(4).nullish(),
  metadata: metadataSchema.optional(),
  /** 'exclude' for a draft whose every item is put on it by name, so that it holds those only. */
  pending_invoice_items_behavior: z.enum(['include', 'exclude']).optional(),
});

export const invoiceFieldsSchema = invoiceShape;
const invoiceUpdateSchema = invoiceShape.partial();

export type InvoiceFields = z.input<typeof invoiceFieldsSchema>;

export function invoiceCreateParams(key: string, fields: unknown): Stripe.InvoiceCreateParams {
  const f = parseFields(invoiceFieldsSchema, 'invoice', fields);
  return {
    ...definedOnly({
      customer: f.customer,
      currency: f.currency,
      description: f.description,
      footer: f.footer,
      statement_descriptor: f.statement_descriptor,
      collection_method: f.collection_method,
      days_until_due: f.days_until_due,
      due_date: f.due_date,
      auto_advance: f.auto_advance,
      custom_fields: f.custom_fields,
    }),
    pending_invoice_items_behavior: f.pending_invoice_items_behavior ?? 'include',
    metadata: withSyncwrightId(f.metadata, key),
  };
}

export function invoiceUpdateParams(key: string, fields: unknown): Stripe.InvoiceUpdateParams {
  const f = parseFields(invoiceUpdateSchema, 'invoice', fields);
  const customFields: Stripe.Emptyable<Stripe.InvoiceUpdateParams.CustomField[]> | undefined =
    f.custom_fields === null ? '' : f.custom_fields;
  return {
    ...definedOnly({
      description: f.description === null ? '' : f.description,
      footer: f.footer === null ? '' : f.footer,
      statement_descriptor: f.statement_descriptor === null ? '' : f.statement_descriptor,
      collection_method: f.collection_method,
      days_until_due: f.days_until_due,
      due_date: f.due_date,
      auto_advance: f.auto_advance,
      custom_fields: customFields,
    }),
    metadata: withSyncwrightId(f.metadata, key),
  };
}
