/**
 * Salesforce record ids: a 3-character key prefix, a pod code, and a base-62 counter make the
 * case-sensitive 15-character id; three checksum characters make it case-safe (18 characters).
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** Pod and reserved character between the key prefix and the counter. */
const POD = '5w0';
const COUNTER_LENGTH = 9;
const MAX_COUNTER = 62 ** COUNTER_LENGTH;

/** The deterministic 18-character id for counter `n` (1-based) of an object's key prefix. */
export function salesforceId(keyPrefix: string, n: number): string {
  if (!/^[0-9A-Za-z]{3}$/.test(keyPrefix)) throw new RangeError(`bad key prefix: ${keyPrefix}`);
  if (!Number.isSafeInteger(n) || n < 0 || n >= MAX_COUNTER) throw new RangeError(`bad id counter: ${n}`);
  let counter = '';
  let rest = n;
  do {
    counter = BASE62[rest % 62] + counter;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return withChecksum(keyPrefix + POD + counter.padStart(COUNTER_LENGTH, '0'));
}

/** The counter behind an id made by `salesforceId`, or null for ids made elsewhere. */
export function salesforceIdCounter(id: string): number | null {
  if (id.length < 15 || id.slice(3, 6) !== POD) return null;
  let n = 0;
  for (const char of id.slice(6, 15)) {
    const digit = BASE62.indexOf(char);
    if (digit < 0) return null;
    n = n * 62 + digit;
  }
  return n;
}

/** Appends the three case-safe checksum characters to a 15-character id. */
function withChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const char = id15.charCodeAt(chunk * 5 + i);
      if (char >= 65 && char <= 90) flags |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[flags];
  }
  return id15 + suffix;
}

/**
 * The canonical 18-character form of a 15- or 18-character id, or null when the text is not an
 * id. An 18-character id may arrive with its case lost; the checksum restores it.
 */
export function normalizeSalesforceId(text: string): string | null {
  if (text.length === 15 && /^[0-9A-Za-z]{15}$/.test(text)) return withChecksum(text);
  if (text.length !== 18 || !/^[0-9A-Za-z]{18}$/.test(text)) return null;
  if (withChecksum(text.slice(0, 15)) === text) return text; // already canonical: the common case
  let restored = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const flags = SUFFIX_ALPHABET.indexOf(text.charAt(15 + chunk).toUpperCase());
    if (flags < 0) return null;
    for (let i = 0; i < 5; i++) {
      const char = text.charAt(chunk * 5 + i);
      restored += flags & (1 << i) ? char.toUpperCase() : char.toLowerCase();
    }
  }
  const canonical = withChecksum(restored);
  return canonical.toLowerCase() === text.toLowerCase() ? canonical : null;
}
