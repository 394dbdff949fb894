import { describe, expect, it } from 'vitest';
import { ConnectorError, type ClassifiedError } from '@/server/connectors/connector';
import { backoffDelay, RetriesExhausted, withRetries } from './retry';

const transient: ClassifiedError = { class: 'transient', code: 'HTTP_503', message: 'busy' };
const business: ClassifiedError = { class: 'business', code: 'REQUIRED_FIELD_MISSING', message: 'Name', field: 'Name' };
const fast = { budget: 3, baseDelayMs: 1, maxDelayMs: 5 };

function failing(times: number, error: ClassifiedError) {
  let calls = 0;
  return {
    call: async () => {
      calls += 1;
      if (calls <= times) throw new ConnectorError(error);
      return 'ok';
    },
    calls: () => calls,
  };
}

describe('withRetries', () => {
  it('retries transient failures within the budget', async () => {
    const target = failing(3, transient);
    await expect(withRetries(target.call, () => transient, fast)).resolves.toBe('ok');
    expect(target.calls()).toBe(4);
  });

  it('gives up after the budget with the last failure', async () => {
    const target = failing(10, transient);
    const error = await withRetries(target.call, () => transient, fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect((error as RetriesExhausted).attempts).toBe(4);
    expect((error as RetriesExhausted).last.code).toBe('HTTP_503');
  });

  it('with a budget of 0 a transient failure is final at once', async () => {
    const target = failing(1, transient);
    await expect(withRetries(target.call, () => transient, { ...fast, budget: 0 })).rejects.toBeInstanceOf(
      RetriesExhausted,
    );
    expect(target.calls()).toBe(1);
  });

  it('never retries a business failure', async () => {
    const target = failing(1, business);
    await expect(withRetries(target.call, () => business, fast)).rejects.toMatchObject({ classified: business });
    expect(target.calls()).toBe(1);
  });

  it('backs off exponentially with jitter, capped, honouring Retry-After', () => {
    const policy = { budget: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 0, undefined, () => 0)).toBe(50);
    expect(backoffDelay(policy, 2, undefined, () => 1)).toBe(400);
    expect(backoffDelay(policy, 8, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(policy, 0, 700)).toBe(700);
  });
});
