import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { createScratchDatabase } from '@/test/scratch-database';

// A database of its own: each rollup is compared with the whole table beneath it.
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let client: Db;
beforeAll(async () => {
  database = await createScratchDatabase({ migrated: true });
  client = createPrismaClient(database.url);
}, 120_000);
afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

const at = (iso: string) => new Date(iso);

/** Each rollup's non-empty rows, and the same figures aggregated from the rows beneath. */
async function rollupsAndRaw() {
  const q = (sql: string) => client.$queryRawUnsafe<unknown[]>(sql);
  return {
    latency: {
      rollup: await q(`SELECT routine::text, "legalEntityId", "changedHour", "finishedHour", seconds, deliveries
        FROM "DeliveryLatency" WHERE deliveries <> 0 ORDER BY 1, 2, 3, 4, 5`),
      raw: await q(`SELECT l.routine::text, r."legalEntityId", date_trunc('hour', l."sourceChangedAt", 'UTC') AS "changedHour",
          date_trunc('hour', l."finishedAt", 'UTC') AS "finishedHour",
          floor(extract(epoch FROM l."finishedAt" - l."sourceChangedAt"))::int AS seconds, count(*)::int AS deliveries
        FROM "LedgerEntry" l JOIN "SyncRun" r ON r.id = l."runId"
        WHERE l.outcome = 'delivered' AND l."sourceChangedAt" IS NOT NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`),
    },
    days: {
      rollup: await q(`SELECT "legalEntityId", routine::text, team::text, day::text, created, open, resolved, closed
        FROM "ExceptionDay" WHERE created <> 0 OR open <> 0 OR resolved <> 0 OR closed <> 0 ORDER BY 1, 2, 3, 4`),
      raw: await q(`SELECT "legalEntityId", routine::text, team::text, day::text, sum(created)::int AS created,
          sum(open)::int AS open, sum(resolved)::int AS resolved, sum(closed)::int AS closed
        FROM (SELECT "legalEntityId", routine, team, ("firstSeenAt" AT TIME ZONE 'UTC')::date AS day, 1 AS created,
                (status IN ('open', 'assigned', 'in_progress'))::int AS open, 0 AS resolved, 0 AS closed
                FROM "SyncException" WHERE "legalEntityId" IS NOT NULL
              UNION ALL
              SELECT "legalEntityId", routine, team, ("resolvedAt" AT TIME ZONE 'UTC')::date, 0, 0, (status = 'resolved')::int, 1
                FROM "SyncException" WHERE "legalEntityId" IS NOT NULL AND "resolvedAt" IS NOT NULL) x
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
    },
    resolveTimes: {
      rollup: await q(`SELECT "legalEntityId", team::text, day::text, seconds, resolved FROM "ExceptionResolveTime"
        WHERE resolved <> 0 ORDER BY 1, 2, 3, 4`),
      raw: await q(`SELECT "legalEntityId", team::text, ("resolvedAt" AT TIME ZONE 'UTC')::date::text AS day,
          floor(extract(epoch FROM "resolvedAt" - "firstSeenAt"))::int AS seconds, count(*)::int AS resolved
        FROM "SyncException" WHERE "legalEntityId" IS NOT NULL AND status = 'resolved' AND "resolvedAt" IS NOT NULL
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
    },
    rejections: {
      rollup: await q(`SELECT "legalEntityId", reason, day::text, rejections FROM "InvoiceRejectionDay"
        WHERE rejections <> 0 ORDER BY 1, 2, 3`),
      raw: await q(`SELECT "legalEntityId", coalesce("targetCode", code) AS reason,
          ("firstSeenAt" AT TIME ZONE 'UTC')::date::text AS day, count(*)::int AS rejections
        FROM "SyncException" WHERE "legalEntityId" IS NOT NULL AND routine = 'billing_eligibility' AND code = 'TARGET_REJECTED'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
    },
  };
}

async function expectRollupsEqualRaw() {
  const figures = await rollupsAndRaw();
  for (const [name, { rollup, raw }] of Object.entries(figures)) {
    expect({ name, rows: rollup }).toEqual({ name, rows: raw });
  }
  return figures;
}

async function run(legalEntityId: string) {
  return client.syncRun.create({
    data: {
      routine: 'billing_eligibility',
      connectionId: randomUUID(),
      legalEntityId,
      trigger: 'schedule',
      status: 'succeeded',
    },
  });
}

const ledgerRow = (runId: string, changed: Date | null, finished: Date, outcome = 'delivered') => ({
  runId,
  routine: 'billing_eligibility' as const,
  correlationId: randomUUID(),
  sourceSystem: 'netsuite' as const,
  sourceType: 'timebill',
  sourceId: randomUUID(),
  step: 'deliver',
  outcome,
  sourceChangedAt: changed,
  startedAt: finished,
  finishedAt: finished,
});

const exception = (overrides: Record<string, unknown> = {}) => ({
  fingerprint: randomUUID(),
  kind: 'business' as const,
  code: 'TARGET_REJECTED',
  routine: 'billing_eligibility' as const,
  legalEntityId: 'UK',
  objectType: 'Invoice',
  externalIds: [],
  message: 'refused',
  payload: {},
  correlationId: randomUUID(),
  team: 'finance' as const,
  priority: 'normal' as const,
  firstSeenAt: at('2026-11-02T23:59:59.500Z'),
  ...overrides,
});

describe('dashboard rollups', () => {
  it('count delivered latencies per routine, entity, hours and whole second as the ledger is written', async () => {
    const uk = await run('UK');
    const us = await run('US');
    await client.ledgerEntry.createMany({
      data: [
        ledgerRow(uk.id, at('2026-11-02T09:59:50Z'), at('2026-11-02T10:00:01.900Z')),
        ledgerRow(uk.id, at('2026-11-02T09:59:50Z'), at('2026-11-02T10:00:01.100Z')),
        ledgerRow(uk.id, at('2026-11-02T09:00:00Z'), at('2026-11-02T09:10:00Z')),
        ledgerRow(uk.id, at('2026-11-02T09:00:00Z'), at('2026-11-02T09:10:00Z'), 'noop'),
        ledgerRow(uk.id, null, at('2026-11-02T09:10:00Z')),
        ledgerRow(us.id, at('2025-11-02T09:00:00Z'), at('2026-11-02T09:10:00Z')),
      ],
    });
    const { latency } = await expectRollupsEqualRaw();
    expect(latency.rollup).toHaveLength(3);
    expect(latency.rollup).toContainEqual(expect.objectContaining({ legalEntityId: 'UK', seconds: 11, deliveries: 2 }));

    // A row corrected or removed moves its count with it.
    await client.ledgerEntry.updateMany({ where: { runId: us.id }, data: { outcome: 'exception' } });
    await client.ledgerEntry.deleteMany({ where: { runId: uk.id, finishedAt: at('2026-11-02T10:00:01.100Z') } });
    const after = await expectRollupsEqualRaw();
    expect(after.latency.rollup).toHaveLength(2);
  });

  it('count exceptions per day created, open, resolved and closed through their life', async () => {
    const rows = await client.syncException.createManyAndReturn({
      data: [
        exception({ targetCode: 'invoice_locked' }),
        exception({ targetCode: null, legalEntityId: 'DE' }),
        exception({ code: 'TAX_CODE_MISSING', team: 'operations', routine: 'change_orders' }),
        exception({ legalEntityId: null }),
      ],
      select: { id: true },
    });
    await expectRollupsEqualRaw();

    // Resolved across midnight, ignored, reassigned, reopened and deleted, one statement at a time.
    const [a, b, c, d] = rows.map((r) => r.id) as [string, string, string, string];
    await client.syncException.update({
      where: { id: a },
      data: { status: 'resolved', resolvedAt: at('2026-11-03T00:00:05.200Z') },
    });
    await client.syncException.update({
      where: { id: b },
      data: { status: 'ignored', resolvedAt: at('2026-11-04T08:00:00Z') },
    });
    await client.syncException.update({ where: { id: c }, data: { status: 'assigned', team: 'integration' } });
    const figures = await expectRollupsEqualRaw();
    expect(figures.resolveTimes.rollup).toEqual([
      { legalEntityId: 'UK', team: 'finance', day: '2026-11-03', seconds: 5, resolved: 1 },
    ]);
    await client.syncException.update({ where: { id: a }, data: { status: 'open', resolvedAt: null } });
    await client.syncException.updateMany({ where: { id: { in: [c, d] } }, data: { lastSeenAt: new Date() } });
    await client.syncException.delete({ where: { id: b } });
    const last = await expectRollupsEqualRaw();
    expect(last.resolveTimes.rollup).toEqual([]);
    expect(last.rejections.rollup).toEqual([
      { legalEntityId: 'UK', reason: 'invoice_locked', day: '2026-11-02', rejections: 1 },
    ]);
  });
});
