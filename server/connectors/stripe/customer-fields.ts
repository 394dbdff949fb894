import type Stripe from 'stripe';
import { z } from 'zod';
import { clearedAsEmpty, definedOnly, metadataSchema, parseFields, withSyncwrightId } from './parse-fields';

/**
 * `UpsertInput.fields` for a Stripe customer. Formats (e-mail, locales, prefix) are left to
 * Stripe, whose refusal keeps its own code and param. `null` clears a field on update.
 */
const addressSchema = z.strictObject({
  line1: z.string().nullish(),
  line2: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  postal_code: z.string().nullish(),
  country: z.string().nullish(),
});

export const customerFieldsSchema = z.strictObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  description: z.string().nullish(),
  phone: z.string().nullish(),
  address: addressSchema.nullish(),
  preferred_locales: z.array(z.string()).optional(),
  tax_exempt: z.enum(['none', 'exempt', 'reverse']).optional(),
  invoice_prefix: z.string().optional(),
  metadata: metadataSchema.optional(),
});

export type CustomerFields = z.input<typeof customerFieldsSchema>;

export function customerCreateParams(key: string, fields: unknown): Stripe.CustomerCreateParams {
  const f = parseFields(customerFieldsSchema, 'customer', fields);
  return {
    ...definedOnly({
      name: f.name,
      email: f.email,
      description: f.description,
      phone: f.phone,
      address: f.address ? definedOnly(f.address) : undefined,
      preferred_locales: f.preferred_locales,
      tax_exempt: f.tax_exempt,
      invoice_prefix: f.invoice_prefix,
    }),
    metadata: withSyncwrightId(f.metadata, key),
  };
}

export function customerUpdateParams(key: string, fields: unknown): Stripe.CustomerUpdateParams {
  const f = parseFields(customerFieldsSchema, 'customer', fields);
  const address: Stripe.Emptyable<Stripe.AddressParam> | undefined =
    f.address === undefined ? undefined : f.address === null ? '' : addressUpdate(f.address);
  return {
    ...definedOnly({
      name: clearedAsEmpty(f.name),
      email: clearedAsEmpty(f.email),
      description: clearedAsEmpty(f.description),
      phone: clearedAsEmpty(f.phone),
      address,
      preferred_locales: f.preferred_locales,
      tax_exempt: f.tax_exempt,
      invoice_prefix: f.invoice_prefix,
    }),
    metadata: withSyncwrightId(f.metadata, key),
  };
}

function addressUpdate(address: z.output<typeof addressSchema>): Stripe.AddressParam {
  return definedOnly({
    line1: clearedAsEmpty(address.line1),
    line2: clearedAsEmpty(address.line2),
    city: clearedAsEmpty(address.city),
    state: clearedAsEmpty(address.state),
    postal_code: clearedAsEmpty(address.postal_code),
    country: clearedAsEmpty(address.country),
  });
}
