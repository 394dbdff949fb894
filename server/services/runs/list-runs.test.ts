import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { startJobQueueDatabase } from '@/test/job-queue-database';
import { listRuns, runFacets, type RunFilters } from './list-runs';

let database: Awaited<ReturnType<typeof startJobQueueDatabase>>;
let erp: string;
const gone = '00000000-0000-4000-8000-00000000dead';

beforeAll(async () => {
  database = await startJobQueueDatabase();
  erp = (
    await db().connection.create({
      data: {
        name: 'ERP',
        system: 'netsuite',
        baseUrl: 'http://127.0.0.1:9',
        credentials: 'v1.unused',
        legalEntityIds: ['US'],
      },
    })
  ).id;
  const base = Date.parse('2026-11-26T09:00:00Z');
  // 30 runs, three to a second, so pages must break ties on the id.
  await db().syncRun.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({
      routine: i % 2 === 0 ? ('billing_eligibility' as const) : ('project_activation' as const),
      connectionId: i === 29 ? gone : erp,
      legalEntityId: ['US', 'UK', 'DE'][i % 3]!,
      trigger: i % 5 === 0 ? 'manual' : 'schedule',
      status: i === 29 ? 'running' : i % 7 === 0 ? 'failed' : 'succeeded',
      startedAt: new Date(base + Math.floor(i / 3) * 1000),
      finishedAt: i === 29 ? null : new Date(base + Math.floor(i / 3) * 1000 + 1500),
      recordsRead: i,
      delivered: i,
      lagSeconds: i === 29 ? null : 90,
      error: i % 7 === 0 ? 'NetSuite said no' : null,
    })),
  });
}, 60_000);
afterAll(() => database?.stop());

async function everyPage(filters: RunFilters, limit: number) {
  const seen = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await listRuns({ filters, cursor, limit });
    seen.push(...page.items);
    if (!page.nextCursor) return seen;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

describe('listRuns', () => {
  it('pages newest first without skipping or repeating a run, ties broken by id', async () => {
    const all = await everyPage({}, 7);
    expect(all).toHaveLength(30);
    expect(new Set(all.map((r) => r.id)).size).toBe(30);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(
        a.startedAt.getTime() > b.startedAt.getTime() ||
          (a.startedAt.getTime() === b.startedAt.getTime() && a.id > b.id),
      ).toBe(true);
    }
  });

  it('shows each run with its routine label, connection, entity, duration and lag', async () => {
    const { items } = await listRuns({ filters: {}, limit: 3 });
    const running = items.find((r) => r.status === 'running')!;
    expect(running).toMatchObject({
      routineLabel: 'Project activation',
      connectionName: null,
      finishedAt: null,
      durationMs: null,
      lagSeconds: null,
    });
    const done = items.find((r) => r.status !== 'running')!;
    expect(done).toMatchObject({ connectionName: 'ERP', durationMs: 1500, lagSeconds: 90 });
    expect(done.legalEntityName).toMatch(/^Syncwright Demo Consulting/);
  });

  it('filters by routine, legal entity, status and trigger together', async () => {
    const filters: RunFilters = {
      routine: 'billing_eligibility',
      legalEntityId: 'US',
      trigger: 'schedule',
      status: 'succeeded',
    };
    const runs = await everyPage(filters, 2);
    // Even i, i % 3 === 0, i % 5 !== 0, i % 7 !== 0: 6, 12, 18, 24.
    expect(runs.map((r) => r.recordsRead).sort((a, b) => a - b)).toEqual([6, 12, 18, 24]);
    expect((await everyPage({ status: 'failed' }, 50)).map((r) => r.error)).toEqual(Array(5).fill('NetSuite said no'));
  });

  it('needs attention: runs with exceptions, failed or running ones, and the latest of each routine × entity', async () => {
    const quiet = await db().syncRun.create({
      data: {
        routine: 'invoice_status',
        connectionId: erp,
        legalEntityId: 'US',
        trigger: 'webhook',
        status: 'succeeded',
        startedAt: new Date('2026-11-26T08:00:00Z'),
        finishedAt: new Date('2026-11-26T08:00:01Z'),
      },
    });
    const held = await db().syncRun.create({
      data: {
        routine: 'invoice_status',
        connectionId: erp,
        legalEntityId: 'US',
        trigger: 'schedule',
        status: 'succeeded',
        startedAt: new Date('2026-11-26T08:01:00Z'),
        finishedAt: new Date('2026-11-26T08:01:01Z'),
        recordsRead: 3,
        exceptions: 2,
      },
    });
    const latest = await db().syncRun.create({
      data: {
        routine: 'invoice_status',
        connectionId: erp,
        legalEntityId: 'US',
        trigger: 'webhook',
        status: 'succeeded',
        startedAt: new Date('2026-11-26T08:02:00Z'),
        finishedAt: new Date('2026-11-26T08:02:01Z'),
      },
    });
    try {
      const shown = await everyPage({ attention: true }, 4);
      const ids = new Set(shown.map((r) => r.id));
      expect(ids.has(held.id)).toBe(true);
      expect(ids.has(latest.id)).toBe(true);
      expect(ids.has(quiet.id)).toBe(false);
      // Every failed and running run is there; of the quiet succeeded ones only the latest per routine × entity.
      expect(shown.filter((r) => r.status === 'failed')).toHaveLength(5);
      expect(shown.filter((r) => r.status === 'running')).toHaveLength(1);
      expect((await everyPage({}, 50)).length).toBeGreaterThan(shown.length);
    } finally {
      await db().syncRun.deleteMany({ where: { id: { in: [quiet.id, held.id, latest.id] } } });
    }
  });

  it('refuses a cursor it did not issue', async () => {
    await expect(listRuns({ filters: {}, cursor: 'yesterday', limit: 5 })).rejects.toBeInstanceOf(AppError);
  });

  it('offers the filter values', async () => {
    const facets = await runFacets();
    expect(facets.routines.map((r) => r.value)).toEqual([
      'project_activation',
      'billing_eligibility',
      'invoice_status',
      'change_orders',
    ]);
    expect(facets.legalEntities.map((e) => e.value)).toEqual(['DE', 'UK', 'US']);
    expect(facets.statuses).toEqual(['running', 'succeeded', 'failed', 'cancelled']);
    expect(facets.triggers).toContain('manual');
  });
});
