import { createHash, randomBytes } from 'node:crypto';

/**
 * Object ids in Stripe's form: a type prefix, an underscore and base-62 characters.
 * Random ids for objects made through the API; deterministic ones for seeded data.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomBase62(length: number): string {
  // 248 is the largest multiple of 62 below 256: rejecting bytes above it keeps digits uniform.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function randomId(prefix: string): string {
  return `${prefix}_${randomBase62(14)}`;
}

/** Seeded ids carry an `SW` mark and a zero-padded base-36 counter: `cus_SW000000000001`. */
export function stripeId(prefix: 'cus' | 'ii' | 'in' | 'evt', n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad id counter: ${n}`);
  return `${prefix}_SW${n.toString(36).toUpperCase().padStart(12, '0')}`;
}

/** A customer's invoice-number prefix: eight upper-case characters derived from its id. */
export function invoicePrefixFor(customerId: string): string {
  const digest = createHash('sha256').update(customerId).digest();
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[(digest[i] ?? 0) % 36];
  return out;
}

export function requestId(): string {
  return `req_${randomBase62(14)}`;
}
