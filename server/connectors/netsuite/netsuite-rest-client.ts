import { ConnectorError } from '@/server/connectors/connector';
import type { RequestLimiter } from '@/server/connectors/request-limiter';
import { classifyNetSuiteError, classifyResponse } from './classify-netsuite-error';
import type { RequestSigner } from './oauth-signer';

/**
 * The one way out to NetSuite: every call is signed, waits for its turn in the limiter, and is
 * bounded by the request timeout (which covers reading the body too). A non-2xx answer or a
 * transport failure becomes a ConnectorError carrying its verdict; nothing is retried here.
 */

export interface RestRequest {
  /** Path below the base URL, e.g. `/services/rest/record/v1/customer/eid:C-1`. */
  path: string;
  query?: Record<string, string | number>;
  /** A ready JSON text (never part of the OAuth signature). */
  body?: string;
  headers?: Record<string, string>;
}

export interface RestResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface NetSuiteRestClientOptions {
  baseUrl: URL;
  sign: RequestSigner;
  limiter: RequestLimiter;
  timeoutMs: number;
  /** Told of every answer's headers, whatever its status (the account's clock is read from their Date). */
  onAnswer?: (headers: Headers) => void;
}

export class NetSuiteRestClient {
  private readonly root: string;

  constructor(private readonly options: NetSuiteRestClientOptions) {
    this.root = options.baseUrl.href.replace(/\/+$/, '');
  }

  url(path: string, query: Record<string, string | number> = {}): URL {
    const url = new URL(`${this.root}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
    return url;
  }

  /** Sends one request; resolves with any 2xx answer, throws ConnectorError otherwise. */
  request(method: string, request: RestRequest): Promise<RestResponse> {
    const url = this.url(request.path, request.query);
    return this.options.limiter.run(async () => {
      try {
        const signal = AbortSignal.timeout(this.options.timeoutMs);
        const headers: Record<string, string> = {
          Accept: 'application/json',
          ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...request.headers,
          // Signed at the last moment: the timestamp must be fresh once the limiter lets us go.
          Authorization: this.options.sign(method, url),
        };
        // A redirect would be followed with a signature made for another URL: report it instead.
        const response = await fetch(url, { method, headers, body: request.body, signal, redirect: 'manual' });
        this.options.onAnswer?.(response.headers);
        const text = await response.text();
        if (response.status < 200 || response.status > 299) {
          throw new ConnectorError(classifyResponse(response.status, text, response.headers.get('retry-after')));
        }
        return { status: response.status, headers: response.headers, text };
      } catch (error) {
        throw error instanceof ConnectorError ? error : new ConnectorError(classifyNetSuiteError(error));
      }
    });
  }
}
