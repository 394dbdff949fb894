/**
 * A Stripe object as plain JSON data: decimal fields (the SDK's Decimal) become their exact
 * strings and the non-enumerable `lastResponse` is left behind, so what the pipeline stores is
 * what Stripe sent.
 */
export function toPlainJson(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
