import Stripe from 'stripe';

/**
 * The SDK's Node HTTP client, made to send each request exactly once.
 *
 * stripe-node retries a request whose connection closed (ECONNRESET, EPIPE) once even with
 * `maxNetworkRetries: 0`. That second attempt would start outside the request limiter and behind
 * the pipeline's retry budget, so such a failure is renamed here: the SDK then reports it as a
 * StripeConnectionError without retrying, and the pipeline decides.
 *
 * It also remembers the HTTP status of answers whose body is not JSON (a proxy's or web server's
 * HTML page), which the SDK otherwise reports as a StripeAPIError without any status.
 */
export const CONNECTION_CLOSED = 'CONNECTION_CLOSED';

const CLOSED_CODES = new Set(Stripe.HttpClient.CONNECTION_CLOSED_ERROR_CODES);
const statusOfUnparsedAnswer = new WeakMap<object, number>();

/** The HTTP status of an answer the SDK could not parse, when `error` is that parse failure. */
export function unparsedAnswerStatus(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? statusOfUnparsedAnswer.get(error) : undefined;
}

export function singleAttemptHttpClient(inner: Stripe.HttpClient = Stripe.createNodeHttpClient()): Stripe.HttpClient {
  return {
    getClientName: () => inner.getClientName(),
    async makeRequest(host, port, path, method, headers, requestData, protocol, timeout) {
      let response: Stripe.HttpClientResponse;
      try {
        response = await inner.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
      } catch (error) {
        throw closedConnection(error) ?? error;
      }
      const status = response.getStatusCode();
      return {
        getStatusCode: () => status,
        getHeaders: () => response.getHeaders(),
        getRawResponse: () => response.getRawResponse(),
        toStream: (done) => response.toStream(done),
        dispose: () => response.dispose?.(),
        toJSON: () =>
          response.toJSON().catch((error: unknown) => {
            if (typeof error === 'object' && error !== null) statusOfUnparsedAnswer.set(error, status);
            throw error;
          }),
      };
    },
  };
}

function closedConnection(error: unknown): Error | null {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (typeof code !== 'string' || !CLOSED_CODES.has(code)) return null;
  const message = error instanceof Error ? error.message : code;
  return Object.assign(new Error(`The connection closed before an answer arrived (${message}).`, { cause: error }), {
    code: CONNECTION_CLOSED,
  });
}
