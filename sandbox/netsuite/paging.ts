import { NetSuiteApiError } from './netsuite-error';

/**
 * Collection paging shared by record lists and SuiteQL: `limit` 1–1000 (default 1000), `offset`
 * a multiple of `limit`, and results reachable only within the first `maxResults` rows (NetSuite
 * serves 100,000 without SuiteAnalytics Connect), plus the navigation links NetSuite prints.
 */

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_MAX_RESULTS = 100_000;

export interface PageRequest {
  limit: number;
  offset: number;
}

function invalidParameter(name: string, detail: string): NetSuiteApiError {
  return new NetSuiteApiError(400, 'INVALID_PARAMETER', detail, { 'o:errorQueryParam': name });
}

function integerParameter(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,9}$/.test(raw.trim())) {
    throw invalidParameter(
      name,
      `Invalid value for the '${name}' query parameter: '${raw}'. Provide a non-negative integer.`,
    );
  }
  return Number(raw.trim());
}

export function parsePageRequest(query: URLSearchParams, maxResults: number = DEFAULT_MAX_RESULTS): PageRequest {
  const limit = integerParameter(query, 'limit') ?? MAX_PAGE_SIZE;
  const offset = integerParameter(query, 'offset') ?? 0;
  if (limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalidParameter(
      'limit',
      `Invalid value for the 'limit' query parameter: ${limit}. The value must be between 1 and ${MAX_PAGE_SIZE}.`,
    );
  }
  if (offset % limit !== 0) {
    throw invalidParameter(
      'offset',
      `Invalid value for the 'offset' query parameter: ${offset}. The offset must be a multiple of the limit (${limit}).`,
    );
  }
  if (offset >= maxResults) {
    throw invalidParameter(
      'offset',
      `Invalid value for the 'offset' query parameter: ${offset}. Only the first ${maxResults} results can be paged; narrow the query (for example on lastmodifieddate or id) to read further.`,
    );
  }
  return { limit, offset };
}

export interface CollectionPage<T> {
  links: Array<{ rel: string; href: string }>;
  count: number;
  hasMore: boolean;
  items: T[];
  offset: number;
  totalResults: number;
}

/** The collection envelope; `href(limit, offset)` builds the URL of a page. */
export function collectionPage<T>(
  items: T[],
  page: PageRequest,
  total: number,
  href: (limit: number, offset: number) => string,
  maxResults: number = DEFAULT_MAX_RESULTS,
): CollectionPage<T> {
  const { limit, offset } = page;
  const hasMore = offset + items.length < total;
  const reachable = Math.min(total, maxResults);
  const lastOffset = reachable > 0 ? Math.floor((reachable - 1) / limit) * limit : 0;
  const links: Array<{ rel: string; href: string }> = [];
  if (offset > 0) links.push({ rel: 'previous', href: href(limit, Math.max(0, offset - limit)) });
  links.push({ rel: 'first', href: href(limit, 0) });
  if (hasMore && offset + limit < maxResults) links.push({ rel: 'next', href: href(limit, offset + limit) });
  links.push({ rel: 'last', href: href(limit, lastOffset) });
  links.push({ rel: 'self', href: href(limit, offset) });
  return { links, count: items.length, hasMore, items, offset, totalResults: total };
}
