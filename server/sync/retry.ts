import { ConnectorError, type ClassifiedError } from '@/server/connectors/connector';

export interface RetryPolicy {
  /** Retries after the first try; 0 = a transient failure is final at once. */
  budget: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { budget: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

/** A transient failure that outlived the retry budget. */
export class RetriesExhausted extends Error {
  constructor(
    readonly last: ClassifiedError,
    readonly attempts: number,
  ) {
    super(`gave up after ${attempts} attempts: ${last.code}: ${last.message}`);
    this.name = 'RetriesExhausted';
  }
}

/** Exponential backoff with "full jitter" (a random wait up to the cap), or what the target asked. */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/**
 * Runs `call`, retrying transient failures (as the connector classifies them) with backoff until
 * the budget is spent. Business, auth and config failures are thrown at once, unchanged.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  classify: (error: unknown) => ClassifiedError,
  policy: RetryPolicy,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const classified = error instanceof ConnectorError ? error.classified : classify(error);
      if (classified.class !== 'transient')
        throw error instanceof ConnectorError ? error : new ConnectorError(classified);
      if (attempt >= policy.budget) throw new RetriesExhausted(classified, attempt + 1);
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(policy, attempt, classified.retryAfterMs)));
    }
  }
}
