import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { runRoutine } from '@/server/sync/run-routine';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { AUTO_RETRY_MINUTES, retryDueTechnicalExceptions } from './retry-technical-exceptions';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
beforeAll(async () => {
  fixture = await startConnectedSandbox();
}, 120_000);
afterAll(() => fixture?.stop());

const minutesFrom = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);
const retryAt = (now: Date) =>
  retryDueTechnicalExceptions({ now, retryPolicy: { budget: 0, baseDelayMs: 1, maxDelayMs: 1 } });

/** Billing for one entity with no retries, while Stripe drops the replies of `count` item creates. */
async function holdTechnicalExceptions(legalEntityId: string, count: number) {
  await fetch(`${fixture.sandbox.stripe.baseUrl}/__sandbox/lost-replies`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ path: '/v1/invoiceitems', count }),
  });
  await runRoutine({
    routine: 'billing_eligibility',
    connectionId: fixture.connections.netsuite,
    legalEntityId,
    trigger: 'manual',
    retryPolicy: { budget: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const held = await db().syncException.findMany({
    where: { legalEntityId, kind: 'technical', status: 'open' },
  });
  expect(held).toHaveLength(count);
  return held;
}

describe('automatic retry of technical exceptions', () => {
  it('replays them once their retry is due and resolves those that now go through', async () => {
    const held = await holdTechnicalExceptions('DE', 2);
    const lastSeen = new Date(Math.max(...held.map((e) => e.lastSeenAt.getTime())));
    expect(await retryAt(minutesFrom(lastSeen, AUTO_RETRY_MINUTES[0] - 1))).toMatchObject({
      retried: 0,
    });
    expect(await retryAt(minutesFrom(lastSeen, AUTO_RETRY_MINUTES[0] + 1))).toEqual({
      retried: 2,
      resolved: 2,
      exhausted: 0,
    });
    const after = await db().syncException.findMany({ where: { id: { in: held.map((e) => e.id) } } });
    expect(after.map((e) => e.status)).toEqual(['resolved', 'resolved']);
  });

  it('tries each on its schedule, then leaves it for a person', async () => {
    const [held] = await holdTechnicalExceptions('UK', 1);
    fixture.sandbox.faults.stripe.set({ rate5xx: 1 });
    try {
      const retries = [];
      for (const _ of AUTO_RETRY_MINUTES) {
        const { lastSeenAt } = await db().syncException.findUniqueOrThrow({ where: { id: held!.id } });
        await retryAt(minutesFrom(lastSeenAt, 24 * 60));
        retries.push((await db().syncException.findUniqueOrThrow({ where: { id: held!.id } })).autoRetries);
      }
      expect(retries).toEqual([1, 2, 3, 4]);
      await retryAt(minutesFrom(new Date(), 7 * 24 * 60));
      const exception = await db().syncException.findUniqueOrThrow({ where: { id: held!.id } });
      expect(exception).toMatchObject({ status: 'open', autoRetries: AUTO_RETRY_MINUTES.length });
    } finally {
      fixture.sandbox.faults.stripe.reset();
    }
  });
});
