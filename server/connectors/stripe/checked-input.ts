import { ConnectorError } from '../connector';
import type { RequestLimits } from '../request-limiter';

/**
 * Checks on what the pipeline hands the connector, made before any request so that a bad input
 * is a clear configuration error and never takes a slot in the limiter.
 */

/** An id goes into the request path: anything but Stripe's id characters would address something else. */
export function checkedId(id: string): string {
  if (/^[A-Za-z0-9_]+$/.test(id)) return id;
  throw new ConnectorError({ class: 'config', code: 'ID_INVALID', message: `"${id}" is not a Stripe object id.` });
}

export function checkedKey(key: string): string {
  // Stripe metadata values hold at most 500 characters.
  if (key.trim() && key.length <= 500) return key;
  throw new ConnectorError({
    class: 'config',
    code: 'KEY_INVALID',
    message: 'A Stripe record key must be 1–500 characters.',
  });
}

export function checkedIdempotencyKey(key: string): string {
  // Stripe accepts keys of up to 255 characters.
  if (key.trim() && key.length <= 255) return key;
  throw new ConnectorError({
    class: 'config',
    code: 'IDEMPOTENCY_KEY_INVALID',
    message: 'An idempotency key must be 1–255 characters.',
  });
}

export function checkedLimits(limits: RequestLimits): RequestLimits {
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  if (positive(limits.maxConcurrent) && (limits.perSecond === null || positive(limits.perSecond))) return limits;
  throw new ConnectorError({
    class: 'config',
    code: 'LIMITS_INVALID',
    message: `Request limits must be positive integers, got ${JSON.stringify(limits)}.`,
  });
}
