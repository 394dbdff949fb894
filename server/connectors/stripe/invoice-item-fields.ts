import Stripe from 'stripe';
import { z } from 'zod';
import {
  currencySchema,
  decimalTextSchema,
  definedOnly,
  metadataSchema,
  minorUnitsSchema,
  parseFields,
  withSyncwrightId,
} from './parse-fields';

/**
 * `UpsertInput.fields` for a Stripe invoice item. It is priced either by `amount` (integer minor
 * units) or by `unit_amount_decimal` (minor units, decimal text) × `quantity` (integer) or
 * `quantity_decimal` (decimal text) — Stripe rounds that product to the minor unit. Customer,
 * currency and invoice are fixed once the item exists, so an update leaves them out.
 */
const itemShape = z.strictObject({
  customer: z.string().min(1),
  currency: currencySchema,
  amount: minorUnitsSchema.optional(),
  unit_amount_decimal: decimalTextSchema.optional(),
  quantity: z.int().min(0).optional(),
  quantity_decimal: decimalTextSchema.regex(/^\d/, 'a quantity cannot be negative').optional(),
  description: z.string().nullish(),
  period: z.strictObject({ start: z.int(), end: z.int() }).optional(),
  discountable: z.boolean().optional(),
  /** A draft invoice to put the item on at once, instead of leaving it pending. */
  invoice: z.string().min(1).optional(),
  metadata: metadataSchema.optional(),
});

type ItemFields = Partial<z.output<typeof itemShape>>;

function checkPricing(f: ItemFields, ctx: z.RefinementCtx, creating: boolean): void {
  const priced = [
    f.amount !== undefined && 'amount',
    f.unit_amount_decimal !== undefined && 'unit_amount_decimal',
  ].filter(Boolean);
  if (priced.length > 1)
    ctx.addIssue({ code: 'custom', path: ['amount'], message: 'give either amount or unit_amount_decimal, not both' });
  if (creating && priced.length === 0)
    ctx.addIssue({ code: 'custom', path: ['amount'], message: 'an amount or a unit_amount_decimal is required' });
  if (f.quantity !== undefined && f.quantity_decimal !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'give either quantity or quantity_decimal, not both' });
  }
  if (f.amount !== undefined && (f.quantity !== undefined || f.quantity_decimal !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['quantity'],
      message: 'a quantity prices by unit_amount_decimal; with amount it is ambiguous',
    });
  }
}

export const invoiceItemFieldsSchema = itemShape.superRefine((f, ctx) => checkPricing(f, ctx, true));
const invoiceItemUpdateSchema = itemShape.partial().superRefine((f, ctx) => checkPricing(f, ctx, false));

export type InvoiceItemFields = z.input<typeof invoiceItemFieldsSchema>;

export function invoiceItemCreateParams(key: string, fields: unknown): Stripe.InvoiceItemCreateParams {
  const f = parseFields(invoiceItemFieldsSchema, 'invoiceitem', fields);
  return {
    ...definedOnly({
      customer: f.customer,
      currency: f.currency,
      invoice: f.invoice,
      description: f.description,
      period: f.period,
      discountable: f.discountable,
    }),
    ...pricing(f),
    metadata: withSyncwrightId(f.metadata, key),
  };
}

export function invoiceItemUpdateParams(key: string, fields: unknown): Stripe.InvoiceItemUpdateParams {
  const f = parseFields(invoiceItemUpdateSchema, 'invoiceitem', fields);
  return {
    ...definedOnly({
      description: f.description === null ? '' : f.description,
      period: f.period,
      discountable: f.discountable,
    }),
    ...pricing(f),
    metadata: withSyncwrightId(f.metadata, key),
  };
}

function pricing(
  f: ItemFields,
): Pick<Stripe.InvoiceItemCreateParams, 'amount' | 'unit_amount_decimal' | 'quantity' | 'quantity_decimal'> {
  return definedOnly({
    amount: f.amount,
    unit_amount_decimal: f.unit_amount_decimal === undefined ? undefined : Stripe.Decimal.from(f.unit_amount_decimal),
    quantity: f.quantity,
    quantity_decimal: f.quantity_decimal === undefined ? undefined : Stripe.Decimal.from(f.quantity_decimal),
  });
}
