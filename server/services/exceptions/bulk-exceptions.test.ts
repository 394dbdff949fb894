import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { bulkOperationStatus, runBulkOperation, startBulkOperation } from './bulk-exceptions';

// The test database is shared: this file's exceptions carry a legal entity of their own.
const entity = `BULK-${randomUUID().slice(0, 8)}`;
let finance: { id: string; email: string; role: 'finance' };

async function exception(team: 'finance' | 'operations', status: 'open' | 'resolved' = 'open') {
  const row = await db().syncException.create({
    data: {
      fingerprint: randomUUID(),
      kind: 'business',
      code: 'TAX_CODE_MISSING',
      routine: 'billing_eligibility',
      legalEntityId: entity,
      objectType: 'TimeBill',
      externalIds: [],
      message: 'No tax code',
      payload: {},
      correlationId: randomUUID(),
      status,
      team,
      priority: 'normal',
    },
  });
  return row.id;
}

beforeAll(async () => {
  const user = await db().user.create({
    data: { email: `bulk-${randomUUID()}@test`, name: 'Bulk Tester', role: 'finance', passwordHash: 'x' },
  });
  finance = { id: user.id, email: user.email, role: 'finance' };
});

describe('bulk work on exceptions', () => {
  it('works through every item with the single-item checks: another team’s is skipped with its reason', async () => {
    const own = await Promise.all(Array.from({ length: 60 }, () => exception('finance')));
    const theirs = await Promise.all(Array.from({ length: 3 }, () => exception('operations')));
    const started = await startBulkOperation({
      selection: { filters: { legalEntityId: [entity], status: ['open'] } },
      action: { action: 'priority', priority: 'urgent' },
      actor: finance,
    });
    expect(started.total).toBe(63);
    expect((await bulkOperationStatus({ id: started.id, actor: finance })).done).toBe(0);
    // The job is queued in the same transaction as the operation.
    const jobs = await db().$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = ${`bulk:${started.id}`}`;
    expect(Number(jobs[0]!.n)).toBe(1);

    await runBulkOperation(started.id);
    const status = await bulkOperationStatus({ id: started.id, actor: finance });
    expect(status).toMatchObject({ status: 'finished', total: 63, done: 63, succeeded: 60, failed: 0, skipped: 3 });
    expect(status.reasons).toEqual([
      { outcome: 'skipped', reason: expect.stringContaining('Operations team'), count: 3 },
    ]);
    expect(await db().syncException.count({ where: { id: { in: own }, priority: 'urgent' } })).toBe(60);
    expect(await db().syncException.count({ where: { id: { in: theirs }, priority: 'normal' } })).toBe(3);
    // Each change and each refusal audited like a single action.
    expect(
      await db().auditEvent.count({ where: { targetId: { in: own }, actorId: finance.id } }),
    ).toBeGreaterThanOrEqual(60);
    expect(await db().auditEvent.count({ where: { targetId: { in: theirs }, action: 'access.denied' } })).toBe(3);

    // Running it again (a retried job) changes nothing.
    await runBulkOperation(started.id);
    expect(await bulkOperationStatus({ id: started.id, actor: finance })).toMatchObject({ done: 63, succeeded: 60 });
  });

  it('skips a closed exception in a replay and needs a note to resolve many', async () => {
    const closed = await exception('finance', 'resolved');
    const started = await startBulkOperation({
      selection: { ids: [closed] },
      action: { action: 'replay' },
      actor: finance,
    });
    await runBulkOperation(started.id);
    expect(await bulkOperationStatus({ id: started.id, actor: finance })).toMatchObject({
      skipped: 1,
      reasons: [{ outcome: 'skipped', reason: expect.stringContaining('Already resolved'), count: 1 }],
    });
    await expect(
      startBulkOperation({
        selection: { ids: [closed] },
        action: { action: 'transition', to: 'resolved' },
        actor: finance,
      }),
    ).rejects.toThrow(/resolution note is required/);
  });

  it('shows an operation only to whoever started it', async () => {
    const id = await exception('finance');
    const started = await startBulkOperation({
      selection: { ids: [id] },
      action: { action: 'dry_run' },
      actor: finance,
    });
    await expect(bulkOperationStatus({ id: started.id, actor: { id: randomUUID(), role: 'finance' } })).rejects.toThrow(
      /No bulk operation/,
    );
  });
});
