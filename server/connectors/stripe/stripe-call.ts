import type Stripe from 'stripe';
import type { RequestLimiter } from '../request-limiter';
import { toConnectorError } from './classify-stripe-error';

/**
 * One Stripe API request, run inside the connector's limiter; any failure comes out as a
 * classified ConnectorError. Each call is a single HTTP request (no SDK auto-pagination inside),
 * so the limiter counts exactly what reaches Stripe.
 */
export type StripeCall = <T>(request: (stripe: Stripe) => Promise<T>) => Promise<T>;

export function limitedCall(stripe: Stripe, limiter: RequestLimiter): StripeCall {
  return async (request) => {
    try {
      return await limiter.run(() => request(stripe));
    } catch (error) {
      throw toConnectorError(error);
    }
  };
}

/** Whether Stripe answered a POST from its idempotency store instead of executing it again. */
export function wasReplayed(response: {
  lastResponse?: { headers?: Record<string, string | string[] | undefined> };
}): boolean {
  const value = response.lastResponse?.headers?.['idempotent-replayed'];
  return (Array.isArray(value) ? value[0] : value) === 'true';
}
