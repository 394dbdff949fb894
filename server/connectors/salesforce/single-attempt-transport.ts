import type { Connection, HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import { type ObservedAnswer, RedirectedError } from './classify-salesforce-error';
import { quoteJsonNumbers } from './exact-numbers';

/**
 * The HTTP transport jsforce connections of this connector use, around jsforce's own.
 *
 * No retries. jsforce 3 (lib/request.js) retries GET, PUT, HEAD, OPTIONS and DELETE on
 * 420/429/500/502/503/504 and on connection errors — up to 5 times, waiting 500 ms and doubling.
 * Its retry settings come from the request options its HTTP layer hands the transport
 * (`HttpRequestOptions.retry`), and query / retrieve / upsert offer no way to pass them. So this
 * transport overrides them on every request: no method is retryable, no status or error code
 * qualifies, at most 0 retries. Each connector call is then exactly one HTTP exchange and the
 * pipeline's retry budget is the only one.
 *
 * It also:
 * - passes the connector's timeout, so jsforce aborts an unanswered request and frees its socket;
 * - follows no redirect: jsforce would resend the bearer token to wherever Location points, and
 *   the REST API does not redirect — an answer that does means the instance URL is wrong;
 * - records the answer's status and headers (jsforce's errors carry neither, and Retry-After,
 *   Sforce-Limit-Info and 201-vs-200 live there);
 * - rewrites JSON bodies so numbers arrive as exact decimal strings (exact-numbers.ts).
 */

type Transport = Connection['_transport'];

export const NO_RETRIES: NonNullable<HttpRequestOptions['retry']> = {
  maxRetries: 0,
  methods: [],
  statusCodes: [],
  errorCodes: [],
};

/** 300 Multiple Choices is not among them: it is an upsert's answer when several records match. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function singleAttemptTransport(
  base: Transport,
  timeoutMs: number,
  observe: (answer: ObservedAnswer) => void,
): Transport {
  return {
    httpRequest(request: HttpRequest, options: HttpRequestOptions = {}) {
      const inner = base.httpRequest(request, {
        ...options,
        timeout: timeoutMs,
        retry: NO_RETRIES,
        followRedirect: false,
      });
      const answered = inner.then((response: HttpResponse): HttpResponse => {
        observe({ status: response.statusCode, headers: response.headers });
        if (REDIRECTS.has(response.statusCode))
          throw new RedirectedError(response.statusCode, response.headers.location);
        const contentType = response.headers['content-type'] ?? '';
        if (!/^application\/json/i.test(contentType) || typeof response.body !== 'string') return response;
        return { ...response, body: quoteJsonNumbers(response.body) };
      });
      // jsforce reads the raw stream from the promise it gets back; hand it the inner one's.
      return Object.assign(answered, { stream: () => inner.stream() }) as ReturnType<Transport['httpRequest']>;
    },
    getRequestStreamCreator: () => base.getRequestStreamCreator(),
  };
}
