import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { lagFigures } from './sync-lag';

// The test database is shared: this file's entity has its own id.
const entity = `LE-${randomUUID().slice(0, 8)}`;
const NOW = new Date('2026-03-15T10:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

beforeAll(async () => {
  await db().legalEntity.create({
    data: { id: entity, name: 'Lag Test Ltd', country: 'GB', currency: 'GBP', taxRegime: 'VAT' },
  });
  const run = await db().syncRun.create({
    data: {
      routine: 'change_orders',
      connectionId: randomUUID(),
      legalEntityId: entity,
      trigger: 'schedule',
      status: 'succeeded',
      startedAt: minutesAgo(30),
      finishedAt: minutesAgo(20),
    },
  });
  // Two changes made within the day, confirmed 10 and 30 minutes after they were made; and one
  // record last changed a year ago that a first sync only now caught up on.
  const delivered = (changed: Date, finished: Date) => ({
    runId: run.id,
    routine: 'change_orders' as const,
    correlationId: randomUUID(),
    sourceSystem: 'salesforce' as const,
    sourceType: 'Opportunity',
    sourceId: randomUUID(),
    step: 'deliver',
    outcome: 'delivered',
    sourceChangedAt: changed,
    startedAt: finished,
    finishedAt: finished,
  });
  await db().ledgerEntry.createMany({
    data: [
      delivered(minutesAgo(40), minutesAgo(30)),
      delivered(minutesAgo(50), minutesAgo(20)),
      delivered(minutesAgo(365 * 24 * 60), minutesAgo(20)),
    ],
  });
});

describe('sync lag', () => {
  it('measures latency over the changes made in the window, not over history a first sync catches up on', async () => {
    const [cell] = (await lagFigures([entity], NOW, '24h')).filter((c) => c.routine === 'change_orders');
    expect(cell).toMatchObject({ p50Seconds: 1_200, p95Seconds: 1_740 });
  });
});
