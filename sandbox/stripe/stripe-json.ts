/**
 * JSON as Stripe prints it: two-space indentation, `id` and `object` first, the other keys in
 * alphabetical order. PostgreSQL's jsonb forgets key order, so order is restored on the way out.
 */
export function stripeJson(value: unknown): string {
  return JSON.stringify(ordered(value), null, 2);
}

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = ordered(source[key]);
  return out;
}

function rank(key: string): number {
  return key === 'id' ? 0 : key === 'object' ? 1 : 2;
}
