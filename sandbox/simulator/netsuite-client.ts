import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

/**
 * A small NetSuite REST client for the simulator: token-based authentication (OAuth 1.0a,
 * HMAC-SHA256, realm = account id) over fetch, the record service and SuiteQL — the same way
 * an integration talks to a real NetSuite account.
 */
export interface NetSuiteConnection {
  baseUrl: string;
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export class NetSuiteRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`NetSuite answered ${status}: ${describe(body)}`);
    this.name = 'NetSuiteRequestError';
  }
}

function describe(body: unknown): string {
  const details = (body as { 'o:errorDetails'?: { detail?: string; 'o:errorCode'?: string }[] } | null)?.[
    'o:errorDetails'
  ];
  const first = details?.[0];
  return first
    ? `${first['o:errorCode'] ?? ''} ${first.detail ?? ''}`.trim()
    : (JSON.stringify(body)?.slice(0, 200) ?? '');
}

export interface SuiteQlPage<T> {
  items: T[];
  hasMore: boolean;
  totalResults: number;
}

export function netSuiteClient(connection: NetSuiteConnection, options: { timeoutMs?: number } = {}) {
  const oauth = new OAuth({
    consumer: { key: connection.consumerKey, secret: connection.consumerSecret },
    signature_method: 'HMAC-SHA256',
    realm: connection.accountId,
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  const token = { key: connection.tokenId, secret: connection.tokenSecret };
  const base = connection.baseUrl.replace(/\/$/, '');

  async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const url = `${base}${path}`;
    const authorization = oauth.toHeader(oauth.authorize({ url, method }, token)).Authorization;
    const response = await fetch(url, {
      method,
      headers: {
        authorization,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    const json: unknown = text === '' ? null : JSON.parse(text);
    if (!response.ok) throw new NetSuiteRequestError(response.status, json);
    return { status: response.status, location: response.headers.get('location'), json };
  }

  return {
    request,

    async suiteql<T = Record<string, unknown>>(
      query: string,
      page: { limit?: number; offset?: number } = {},
    ): Promise<SuiteQlPage<T>> {
      const params = new URLSearchParams({ limit: String(page.limit ?? 100), offset: String(page.offset ?? 0) });
      const { json } = await request(
        'POST',
        `/services/rest/query/v1/suiteql?${params}`,
        { q: query },
        { prefer: 'transient' },
      );
      const result = json as { items?: T[]; hasMore?: boolean; totalResults?: number };
      return { items: result.items ?? [], hasMore: result.hasMore ?? false, totalResults: result.totalResults ?? 0 };
    },

    /** Creates a record and returns its internal id, read from the Location header of the 204. */
    async create(type: string, fields: Record<string, unknown>): Promise<string> {
      const { location } = await request('POST', `/services/rest/record/v1/${type}`, fields);
      const id = location?.slice(location.lastIndexOf('/') + 1);
      if (!id) throw new Error(`NetSuite created a ${type} without a Location header`);
      return id;
    },

    async update(type: string, id: string, fields: Record<string, unknown>): Promise<void> {
      await request('PATCH', `/services/rest/record/v1/${type}/${id}`, fields);
    },

    async get<T = Record<string, unknown>>(type: string, id: string): Promise<T> {
      const { json } = await request('GET', `/services/rest/record/v1/${type}/${id}`);
      return json as T;
    },
  };
}

export type NetSuiteClient = ReturnType<typeof netSuiteClient>;
