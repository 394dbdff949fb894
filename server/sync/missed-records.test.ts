import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/server/db/client';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { runRoutine } from './run-routine';
import { ROUTINE_DEFINITIONS } from './routines/registry';
import type { RunTrigger } from './run-types';

/**
 * Billing reads NetSuite time bills since its watermark. A run must notice when a record it read
 * ends without an outcome.
 */
const ENTITY = 'UK';
let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let netsuiteDb: pg.Pool;
/** Time bills the first run delivered, lowest id first: each test edits some of its own. */
let spare: string[];

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
 *  NetSuite stamps a save: billing has a new amount to deliver. */
async function edit(id: string, memo: string, stamp: Date, client: pg.Pool | pg.PoolClient = netsuiteDb) {
  await client.query(
    'UPDATE sandbox_netsuite.timebill SET hours = hours + 0.25, memo = $2, last_modified = $3 WHERE id = $1',
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
