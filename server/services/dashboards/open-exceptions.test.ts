import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { exceptionHealth } from './exception-health';
import { openExceptionsAt, openExceptionsNow } from './open-exceptions';

// The test database is shared: this file's entity has its own id.
const entity = `LE-${randomUUID().slice(0, 8)}`;
const NOW = new Date('2026-03-15T10:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const DAY = 86_400_000;

beforeAll(async () => {
  await db().legalEntity.create({
    data: { id: entity, name: 'Ageing Test Ltd', country: 'GB', currency: 'GBP', taxRegime: 'VAT' },
  });
  const exception = (firstSeenAt: Date, more: Record<string, unknown> = {}) => ({
    fingerprint: randomUUID(),
    kind: 'business' as const,
    code: 'TAX_CODE_MISSING',
    routine: 'billing_eligibility' as const,
    legalEntityId: entity,
    objectType: 'TimeBill',
    externalIds: [],
    message: 'no tax code',
    payload: {},
    correlationId: randomUUID(),
    team: 'finance' as const,
    priority: 'normal' as const,
    firstSeenAt,
    lastSeenAt: firstSeenAt,
    ...more,
  });
  // Either side of each age edge (a second apart, within the edge's own day), one in a whole
  // day between edges, one after `now`, and two closed before and after a week ago.
  await db().syncException.createMany({
    data: [
      exception(ago(DAY - 1000)),
      exception(ago(DAY + 1000)),
      exception(ago(7 * DAY - 1000)),
      exception(ago(7 * DAY + 1000)),
      exception(ago(30 * DAY - 1000)),
      exception(ago(30 * DAY + 1000)),
      exception(ago(12 * DAY)),
      exception(new Date(NOW.getTime() + 1000)),
      exception(ago(20 * DAY), { status: 'resolved', resolvedAt: ago(7 * DAY + 5000) }),
      exception(ago(20 * DAY), { status: 'ignored', resolvedAt: ago(7 * DAY - 5000) }),
    ],
  });
});

describe('open exceptions from the day rollup', () => {
  it('puts exceptions either side of an age edge in the right bucket', async () => {
    const scope = {
      entities: [{ id: entity, name: 'Ageing Test Ltd', currency: 'GBP', region: 'EMEA' }],
      reportingCurrency: 'USD',
      from: '2026-03-01',
      to: '2026-03-15',
    };
    const health = await exceptionHealth({ scope, now: NOW });
    expect(health.openByTeam.filter((o) => o.team === 'finance').map((o) => o.count)).toEqual([1, 2, 3, 1]);
  });

  it('counts open now and open a week ago, edges included', async () => {
    expect(await openExceptionsNow([entity])).toBe(8);
    // First seen by then: six; of those the one resolved before then is closed, and the one
    // ignored after then was still open then.
    expect(await openExceptionsAt([entity], ago(7 * DAY))).toBe(5);
  });
});
