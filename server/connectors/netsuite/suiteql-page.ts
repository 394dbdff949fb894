import { ConnectorError } from '@/server/connectors/connector';
import { invalidResponseError } from './classify-netsuite-error';
import type { NetSuiteRestClient } from './netsuite-rest-client';

/**
 * One page of a SuiteQL query: `POST /services/rest/query/v1/suiteql?limit&offset` with
 * `Prefer: transient` and the query JSON-encoded in `q`. NetSuite takes 1–1000 rows a page at an
 * offset that is a multiple of the limit, and returns every value as a string.
 */

export const MAX_SUITEQL_PAGE_SIZE = 1000;
const SUITEQL_PATH = '/services/rest/query/v1/suiteql';

export interface SuiteqlPage {
  items: Record<string, string>[];
  hasMore: boolean;
  totalResults: number;
}

export interface SuiteqlPageOptions {
  /** 1–1000; default 1000. */
  limit?: number;
  /** A multiple of `limit`; default 0. */
  offset?: number;
}

function checkPageParameter(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < (name === 'limit' ? 1 : 0) || value > max) {
    throw new ConnectorError({
      class: 'config',
      code: 'INVALID_PAGE_REQUEST',
      message: `SuiteQL ${name} must be an integer up to ${max}; got ${value}.`,
    });
  }
}

export async function runSuiteqlPage(
  client: NetSuiteRestClient,
  query: string,
  options: SuiteqlPageOptions = {},
): Promise<SuiteqlPage> {
  const limit = options.limit ?? MAX_SUITEQL_PAGE_SIZE;
  const offset = options.offset ?? 0;
  checkPageParameter('limit', limit, MAX_SUITEQL_PAGE_SIZE);
  checkPageParameter('offset', offset, Number.MAX_SAFE_INTEGER);
  const response = await client.request('POST', {
    path: SUITEQL_PATH,
    query: { limit, offset },
    headers: { Prefer: 'transient' },
    body: JSON.stringify({ q: query }),
  });
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new ConnectorError(invalidResponseError('the SuiteQL answer is not JSON'));
  }
  const { items, hasMore, totalResults } = (body ?? {}) as {
    items?: unknown;
    hasMore?: unknown;
    totalResults?: unknown;
  };
  if (!Array.isArray(items) || typeof hasMore !== 'boolean') {
    throw new ConnectorError(invalidResponseError('the SuiteQL answer has no items and hasMore'));
  }
  const rows = items.map((item: unknown) => {
    const row: Record<string, string> = {};
    if (typeof item !== 'object' || item === null) return row;
    for (const [column, value] of Object.entries(item)) {
      // `links` is navigation, not a column; null columns are left out as NetSuite does.
      if (column === 'links' || value === null || value === undefined) continue;
      row[column] = typeof value === 'string' ? value : String(value);
    }
    return row;
  });
  return { items: rows, hasMore, totalResults: typeof totalResults === 'number' ? totalResults : rows.length };
}
