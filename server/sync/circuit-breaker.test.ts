import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { decryptStoredCredentials, saveConnection } from '@/server/services/connections/connections';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { runRoutine } from './run-routine';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
beforeAll(async () => {
  fixture = await startConnectedSandbox();
}, 120_000);
afterAll(() => fixture?.stop());

const NO_RETRIES = { budget: 0, baseDelayMs: 1, maxDelayMs: 1 };

const billing = (legalEntityId: string, extra: { circuitBreakerFailures?: number } = {}) =>
  runRoutine({
    routine: 'billing_eligibility',
    connectionId: fixture.connections.netsuite,
    legalEntityId,
    trigger: 'manual',
    retryPolicy: NO_RETRIES,
    ...extra,
  });

const watermarkOf = (legalEntityId: string) =>
  db().watermark.findFirst({ where: { routine: 'billing_eligibility', legalEntityId } });

describe('a systemic failure', () => {
  it('stops the run at the first refused credentials, holding nothing and keeping the watermark', async () => {
    const stripe = await db().connection.findUniqueOrThrow({ where: { id: fixture.connections.stripe } });
    const withKey = (credentials: Record<string, string>) =>
      db().$transaction((tx) =>
        saveConnection(tx, {
          name: stripe.name,
          system: 'stripe',
          baseUrl: stripe.baseUrl,
          credentials,
          legalEntityIds: stripe.legalEntityIds,
        }),
      );
    const working = decryptStoredCredentials(stripe);
    await withKey({ ...working, secretKey: 'sk_test_revoked_key_0000000000' });
    const run = await billing('DE').finally(() => withKey(working));
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/stopped: a target refused the credentials/i);
    expect(await watermarkOf('DE')).toBeNull();
    expect(await db().syncException.count({ where: { legalEntityId: 'DE', code: 'AUTH_FAILED' } })).toBe(0);
  });

  it('stops the run once a target has failed too many records in a row, keeping the watermark', async () => {
    fixture.sandbox.faults.stripe.set({ rate5xx: 1 });
    try {
      const run = await billing('UK', { circuitBreakerFailures: 3 });
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/stopped: 3 records in a row failed/i);
      expect(await watermarkOf('UK')).toBeNull();
      expect(await db().syncException.count({ where: { legalEntityId: 'UK', code: 'RETRIES_EXHAUSTED' } })).toBe(0);
    } finally {
      fixture.sandbox.faults.stripe.reset();
    }
  });
});
