import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/server/db/client';
import type { JobContext } from '@/server/jobs/job-definition';
import { reconcileJob } from '@/server/jobs/reconcile-job';
import { routineRunJob } from '@/server/jobs/routine-run-job';
import { routineRunKey, type RoutineRunPayload } from '@/server/jobs/routine-run-spec';
import { queuedJobs } from '@/test/job-queue-database';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { runRoutine } from './run-routine';
import { ROUTINE_DEFINITIONS } from './routines/registry';
import type { RunTrigger } from './run-types';

/**
 * Billing reads NetSuite time bills since its watermark. A record must reach billing however its
 * change lands: saved later within a second already read, committed after the read passed its
 * time, or committed so late that only the nightly reconciliation looks that far back. And a run
 * must notice when a record it read ends without an outcome.
 */
const ENTITY = 'UK';
let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let netsuiteDb: pg.Pool;
/** Time bills the first run delivered, lowest id first: each test edits some of its own. */
let spare: string[];

const context: JobContext = {
  jobId: '1',
  attempt: 1,
  signal: new AbortController().signal,
  logger: pino({ level: 'silent' }),
};

const billing = (trigger: RunTrigger = 'manual') =>
  runRoutine({
    routine: 'billing_eligibility',
    connectionId: fixture.connections.netsuite,
    legalEntityId: ENTITY,
    trigger,
  });

beforeAll(async () => {
  fixture = await startConnectedSandbox({ scale: 500 });
  netsuiteDb = new pg.Pool({ connectionString: fixture.databaseUrl, max: 3 });
  // Catch up: the watermark moves to the newest change the firm holds.
  const first = await billing();
  expect(first.status).toBe('succeeded');
  const delivered = await db().ledgerEntry.findMany({
    where: { runId: first.runId, sourceType: 'timebill', outcome: 'delivered' },
    select: { sourceId: true },
  });
  spare = delivered.map((row) => row.sourceId).sort((a, b) => Number(a) - Number(b));
  expect(spare.length).toBeGreaterThanOrEqual(8);
}, 180_000);
afterAll(async () => {
  await netsuiteDb?.end();
  await fixture?.stop();
});

/** A quarter of an hour more on a time bill, written to the emulator's own tables and stamped as
 *  NetSuite stamps a save, and its billing reference cleared (finance took it off the invoice to
 *  correct it): billing reads it again and has a new amount to deliver. */
async function edit(id: string, memo: string, stamp: Date, client: pg.Pool | pg.PoolClient = netsuiteDb) {
  await client.query(
    `UPDATE sandbox_netsuite.timebill SET hours = hours + 0.25, memo = $2, last_modified = $3,
       custcol_sw_billed_invoice = NULL WHERE id = $1`,
    [id, memo, stamp],
  );
}

async function outcomeOf(runId: string, timebill: string) {
  const row = await db().ledgerEntry.findFirst({ where: { runId, sourceType: 'timebill', sourceId: timebill } });
  return row?.outcome;
}

const watermark = () =>
  db().watermark.findUniqueOrThrow({
    where: {
      routine_connectionId_legalEntityId: {
        routine: 'billing_eligibility',
        connectionId: fixture.connections.netsuite,
        legalEntityId: ENTITY,
      },
    },
  });

describe('incremental reads', () => {
  it('delivers a record saved within a second the previous read already reached', async () => {
    const [earlier, later] = spare.splice(0, 2) as [string, string];
    // A second the account is still writing in when the run reads: stamped ahead of its clock.
    const second = Math.ceil(Date.now() / 1000) * 1000 + 2_000;
    await edit(later, 'saved first', new Date(second + 100));
    await billing();
    // Saved later in that same second, with a lower id than the one a read may have passed.
    await edit(earlier, 'saved later in the same second', new Date(second + 600));
    await sleep(second + 3_500 - Date.now());
    await billing();

    for (const id of [earlier, later]) {
      const delivered = await db().ledgerEntry.findFirst({
        where: { sourceType: 'timebill', sourceId: id, outcome: 'delivered', sourceChangedAt: new Date(second) },
      });
      expect(delivered, `time bill ${id}`).not.toBeNull();
    }
  });

  it('delivers a record whose commit lands after a read passed its time, re-reading the overlap as no-ops', async () => {
    const [late, other] = spare.splice(0, 2) as [string, string];
    const saving = await netsuiteDb.connect();
    let before;
    try {
      // Saved (and stamped) now, visible only once its transaction commits.
      await saving.query('BEGIN');
      await edit(late, 'committed late', new Date(), saving);
      await sleep(1_100);
      await edit(other, 'saved and committed meanwhile', new Date());
      await sleep(3_500);
      before = await billing();
      expect(await outcomeOf(before.runId, other)).toBe('delivered');
      expect(await outcomeOf(before.runId, late)).toBeUndefined();
      await saving.query('COMMIT');
    } finally {
      saving.release();
    }

    const after = await billing();
    expect(after.status).toBe('succeeded');
    expect(await outcomeOf(after.runId, late)).toBe('delivered');
    // Read again inside the overlap, what was delivered already is a no-op, not a failure.
    expect(await outcomeOf(after.runId, other)).toBe('noop');
    expect(after.exceptions).toBe(0);
    expect(after.delivered + after.noop + after.exceptions).toBe(after.recordsRead);
  });

  it('leaves a commit older than the overlap to the nightly reconciliation, which delivers it without moving the watermark back', async () => {
    const [lost] = spare.splice(0, 1) as [string];
    // Stamped when it was saved ten minutes ago, visible only now: the overlap does not reach it.
    await edit(lost, 'committed ten minutes after its save', new Date(Date.now() - 600_000));
    const regular = await billing();
    expect(regular.status).toBe('succeeded');
    expect(await outcomeOf(regular.runId, lost)).toBeUndefined();
    const before = await watermark();

    await reconcileJob.handler({ routine: 'billing_eligibility', legalEntityId: ENTITY }, context);
    const queued = (await queuedJobs({ task: 'routine.run' })).filter(
      (job) => (job.payload as RoutineRunPayload).trigger === 'reconcile',
    );
    const payload: RoutineRunPayload = {
      routine: 'billing_eligibility',
      connectionId: fixture.connections.netsuite,
      legalEntityId: ENTITY,
      trigger: 'reconcile',
    };
    expect(queued.map((job) => job.payload)).toEqual([payload]);
    // It waits in the same queue as the routine's other runs, never beside one of them.
    expect(queued[0]!.queueName).toBe(routineRunKey(payload));

    await routineRunJob.handler(queued[0]!.payload, context);
    const run = await db().syncRun.findFirstOrThrow({ where: { trigger: 'reconcile' } });
    expect(run).toMatchObject({ status: 'succeeded', error: null, legalEntityId: ENTITY });
    expect(await outcomeOf(run.id, lost)).toBe('delivered');
    expect(run.delivered).toBe(1);
    expect(run.noop).toBeGreaterThan(0);
    expect(run.delivered + run.noop + run.exceptions).toBe(run.recordsRead);
    const after = await watermark();
    expect(after.cursor).toBe(before.cursor);
    expect(after.sourceTime).toEqual(before.sourceTime);
  });
});

describe('records read', () => {
  it('fails a run that leaves a record it read without an outcome, naming the record, and keeps the watermark before it', async () => {
    const [dropped] = spare.splice(0, 1) as [string];
    await edit(dropped, 'read, then left without an outcome', new Date(Date.now() - 5_000));
    const before = await watermark();
    // A routine that loses one record of its batch on the way.
    const definition = ROUTINE_DEFINITIONS.billing_eligibility;
    const prepare = definition.prepare.bind(definition);
    const leaky = vi.spyOn(definition, 'prepare').mockImplementation(async (scope) => {
      const prepared = await prepare(scope);
      return {
        ...prepared,
        processBatch: (records, journal, sink) =>
          prepared.processBatch(
            records.filter((r) => r.externalId !== dropped),
            journal,
            sink,
          ),
      };
    });
    let failed;
    try {
      failed = await billing();
    } finally {
      leaky.mockRestore();
    }
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(`timebill ${dropped}`);
    expect(failed.recordsRead).toBe(failed.delivered + failed.noop + failed.exceptions + 1);
    expect((await watermark()).cursor).toBe(before.cursor);

    const next = await billing();
    expect(next.status).toBe('succeeded');
    expect(await outcomeOf(next.runId, dropped)).toBe('delivered');
  });
});

describe('progress', () => {
  it('counts the records read and the batches committed while the run is still going', async () => {
    // The delivered time bills saved again a minute ago, their billing reference cleared (billing
    // reads only unbilled work): a reconciliation reads them again in batches of 4, each its own commit.
    const runs = await db().syncRun.findMany({
      where: { connectionId: fixture.connections.netsuite },
      select: { id: true },
    });
    const delivered = await db().ledgerEntry.findMany({
      where: { runId: { in: runs.map((r) => r.id) }, sourceType: 'timebill', outcome: 'delivered' },
      distinct: ['sourceId'],
      select: { sourceId: true },
    });
    expect(delivered.length).toBeGreaterThanOrEqual(8);
    await netsuiteDb.query(
      `UPDATE sandbox_netsuite.timebill SET last_modified = now() - interval '1 minute', custcol_sw_billed_invoice = NULL WHERE id = ANY($1::bigint[])`,
      [delivered.map((row) => row.sourceId)],
    );
    const running = runRoutine({
      routine: 'billing_eligibility',
      connectionId: fixture.connections.netsuite,
      legalEntityId: ENTITY,
      trigger: 'reconcile',
      batchSize: 4,
    });
    const seen: Array<{ recordsRead: number; batches: number }> = [];
    let done = false;
    void running.finally(() => (done = true));
    while (!done) {
      const row = await db().syncRun.findFirst({
        where: { trigger: 'reconcile', status: 'running' },
        orderBy: { startedAt: 'desc' },
      });
      if (row && row.batches > 0) seen.push({ recordsRead: row.recordsRead, batches: row.batches });
      await sleep(20);
    }
    const finished = await running;
    expect(finished.status).toBe('succeeded');
    // One commit per page of at most 4 records.
    expect(finished.recordsRead).toBeGreaterThanOrEqual(delivered.length);
    expect(finished.batches).toBeGreaterThanOrEqual(Math.ceil(finished.recordsRead / 4));
    // Mid-run, the row already told how far it had got.
    expect(seen.length).toBeGreaterThan(0);
    const midway = seen[0]!;
    expect(midway.batches).toBeLessThan(finished.batches);
    expect(midway.recordsRead).toBeGreaterThan(0);
    expect(midway.recordsRead).toBeLessThanOrEqual(midway.batches * 4);
  });
});
