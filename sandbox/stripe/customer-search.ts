/**
 * GET /v1/customers/search: Stripe's Search Query Language for the fields the emulator holds:
 * exact matches `email:'…'`, `name:'…'` and `metadata['key']:'value'`, joined by `AND` (Stripe
 * allows `AND` or `OR` in one query, not both; `OR` is accepted here alone too). Results run newest
 * first; `page` is the opaque token of the previous result's `next_page`. Unlike Stripe, whose
 * index lags writes by up to a minute, the emulator finds an object at once.
 */
import type { ApiContext, ApiRoute } from './api-context';
import { Conditions } from './list-page';
import type { WireCustomer } from './object-shapes';
import { invalidRequest, parameterError } from './stripe-error';

export const customerSearchRoutes: ApiRoute[] = [
  { method: 'GET', pattern: '/v1/customers/search', handler: searchCustomers },
];

const CLAUSE = /^(email|name|metadata\['([^'\\]{1,40})'\]):'((?:[^'\\]|\\.)*)'$/;

async function searchCustomers(ctx: ApiContext) {
  const p = ctx.params.allow(['query', 'limit', 'page', 'expand']);
  const query = p.string('query');
  if (!query) throw parameterError('Missing required param: query.', 'query');
  const limit = p.int('limit', { min: 1, max: 100 }) ?? 10;
  const offset = readPage(p.string('page') ?? undefined);
  p.expand();
  const where = new Conditions().add('deleted = false');
  const clauses = splitClauses(query);
  const parts = clauses.terms.map((term) => {
    const match = CLAUSE.exec(term.trim());
    if (!match)
      throw invalidRequest(`The search query clause "${term.trim()}" is not supported by the Stripe sandbox.`);
    const value = where.bind(match[3]!.replace(/\\(.)/g, '$1'));
    if (match[2] !== undefined) return `doc->'metadata'->>${where.bind(match[2])} = ${value}`;
    return match[1] === 'email' ? `email = ${value}` : `doc->>'name' = ${value}`;
  });
  where.add(`(${parts.join(clauses.or ? ' OR ' : ' AND ')})`);
  const { rows } = await ctx.store.db.query<{ doc: WireCustomer }>(
    `SELECT doc FROM ${ctx.store.s}.customers ${where.where()}
      ORDER BY created DESC, seq DESC OFFSET ${where.bind(offset)} LIMIT ${where.bind(limit + 1)}`,
    where.values,
  );
  const hasMore = rows.length > limit;
  return {
    object: 'search_result' as const,
    url: '/v1/customers/search',
    data: rows.slice(0, limit).map((r) => r.doc),
    has_more: hasMore,
    next_page: hasMore ? Buffer.from(String(offset + limit)).toString('base64url') : null,
  };
}

function splitClauses(query: string): { terms: string[]; or: boolean } {
  const and = query.split(/\s+AND\s+/);
  const or = query.split(/\s+OR\s+/);
  if (and.length > 1 && or.length > 1) throw invalidRequest('A search query cannot combine AND and OR.');
  return or.length > 1 ? { terms: or, or: true } : { terms: and, or: false };
}

function readPage(page: string | undefined): number {
  if (page === undefined) return 0;
  const offset = Number(Buffer.from(page, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) throw parameterError('Invalid page token.', 'page');
  return offset;
}
