import { z } from 'zod';
import { ConnectorError } from '../connector';

/**
 * What the field schemas share. `UpsertInput.fields` arrive in Stripe's own names; they are
 * checked here before anything is sent, so a mapping that produces a float amount or an unknown
 * field becomes one clear exception instead of a half-understood Stripe refusal.
 */

/** The metadata key that carries our stable key on every object we write. */
export const SYNCWRIGHT_ID = 'syncwright_id';

/** Stripe metadata: string values; an empty string removes the key on update. */
export const metadataSchema = z.record(z.string(), z.string());

/** ISO 4217, in whichever case the mapping writes it; Stripe wants lower case. */
export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'a three-letter ISO 4217 currency code')
  .transform((code) => code.toLowerCase());

/** Integer minor units (cents) as a number, bigint or digit string — never a fraction. */
export const minorUnitsSchema = z.union([z.number(), z.bigint(), z.string()]).transform((value, ctx) => {
  const text = typeof value === 'string' ? value.trim() : value.toString();
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    ctx.addIssue({ code: 'custom', message: `"${String(value)}" is not an integer number of minor units` });
    return z.NEVER;
  }
  return Number(text);
});

/** A decimal as text (Stripe accepts at most 12 decimal places), so no float ever carries it. */
export const decimalTextSchema = z
  .string()
  .regex(/^-?\d+(\.\d{1,12})?$/, 'a decimal string with at most 12 decimal places');

export function parseFields<T>(schema: z.ZodType<T>, objectType: string, fields: unknown): T {
  const result = schema.safeParse(fields);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const summary = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(fields)'}: ${issue.message}`)
    .join('; ');
  throw new ConnectorError({
    class: 'business',
    code: 'FIELDS_INVALID',
    message: `The ${objectType} fields cannot be sent to Stripe: ${summary}`,
    ...(first && first.path.length > 0 && { field: first.path.join('.') }),
  });
}

/** The caller's metadata with our key stamped on it (ours wins: it is how we find the object). */
export function withSyncwrightId(metadata: Record<string, string> | undefined, key: string): Record<string, string> {
  return { ...metadata, [SYNCWRIGHT_ID]: key };
}

/** Drops absent values, so a create never sends an empty parameter. */
export function definedOnly<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null)) as {
    [K in keyof T]?: Exclude<T[K], null | undefined>;
  };
}

/** For an update: `null` clears a field, which Stripe spells as an empty string. */
export function clearedAsEmpty<T>(value: T | null | undefined): T | '' | undefined {
  return value === null ? '' : value;
}
