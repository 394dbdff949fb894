import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { createDriverPool, driverTransaction } from '@/server/db/driver';
import { createScratchDatabase } from '@/test/scratch-database';
import { BatchJournal } from './batch-journal';
import { BillableWorkChanges, type BillableWorkEntry } from './billable-work';

// A database of its own: the rollups are compared with the whole table beneath them.
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let client: Db;
let pool: pg.Pool;
beforeAll(async () => {
  database = await createScratchDatabase({ migrated: true });
  client = createPrismaClient(database.url);
  pool = createDriverPool(database.url);
}, 120_000);
afterAll(async () => {
  await client?.$disconnect();
  await pool?.end();
  await database?.drop();
});

const work = (overrides: Partial<BillableWorkEntry> = {}): BillableWorkEntry => ({
  canonicalId: randomUUID(),
  legalEntityId: 'UK',
  sourceType: 'timebill',
  sourceId: String(Math.floor(Math.random() * 1e9)),
  projectId: '42',
  traceKey: null,
  amount: '1512.5',
  currency: 'GBP',
  workDate: '2026-11-02',
  ...overrides,
});

/** Commits the changes as a batch does: in its journal's transaction, made again if a deadlock ends it. */
async function commit(at: Date, change: (changes: BillableWorkChanges) => void) {
  const changes = new BillableWorkChanges();
  change(changes);
  await driverTransaction(pool, (sql) => changes.write(sql, at));
}

/** The rollup's days that hold anything, and the same figures summed from the records. */
async function unbilledByDay() {
  const rollup = await client.$queryRaw<unknown[]>`
    SELECT "legalEntityId", currency, "workDate"::text AS day, amount::text, records, unpriced
      FROM "UnbilledWorkDay" WHERE records <> 0 OR amount <> 0 ORDER BY 1, 2, 3`;
  const raw = await client.$queryRaw<unknown[]>`
    SELECT "legalEntityId", currency, "workDate"::text AS day, sum(coalesce(amount, 0))::numeric(18, 4)::text AS amount,
           count(*)::int AS records, (count(*) FILTER (WHERE amount IS NULL))::int AS unpriced
      FROM "BillableWork" WHERE "billedAt" IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
  return { rollup, raw };
}

/** Unbilled on a day, from the change rollup's running sum and straight from the records. */
async function unbilledOn(day: string) {
  const [fromChanges] = await client.$queryRaw<{ amount: string | null }[]>`
    SELECT sum(amount)::numeric(18, 4)::text AS amount FROM "UnbilledWorkChange"
     WHERE "legalEntityId" = 'UK' AND currency = 'GBP' AND day <= ${day}::date`;
  const [fromRecords] = await client.$queryRaw<{ amount: string | null }[]>`
    SELECT sum(coalesce(amount, 0))::numeric(18, 4)::text AS amount FROM "BillableWork"
     WHERE "legalEntityId" = 'UK' AND currency = 'GBP' AND "workDate" <= ${day}::date
       AND ("billedAt" IS NULL OR ("billedAt" AT TIME ZONE 'UTC')::date > ${day}::date)`;
  return { fromChanges: fromChanges?.amount ?? null, fromRecords: fromRecords?.amount ?? null };
}

describe('billable work and its rollups', () => {
  it('keep the unbilled days and the daily changes equal to the records through seeing, billing, correcting and withdrawing', async () => {
    const a = work({ amount: '1512.5' });
    const b = work({ amount: '99.99', workDate: '2026-11-03' });
    const unpriced = work({ amount: null, workDate: '2026-11-03' });
    const c = work({ amount: '0.01', workDate: '2026-11-20' });
    await commit(new Date('2026-11-21T10:00:00Z'), (w) => [a, b, unpriced, c].forEach((e) => w.see(e)));
    let days = await unbilledByDay();
    expect(days.rollup).toEqual(days.raw);
    expect(days.rollup).toContainEqual({
      legalEntityId: 'UK',
      currency: 'GBP',
      day: '2026-11-03',
      amount: '99.9900',
      records: 2,
      unpriced: 1,
    });

    // b goes onto an invoice on the 25th; a's rate is corrected; c is no longer billable.
    await commit(new Date('2026-11-25T09:00:00Z'), (w) => {
      w.see(b);
      w.billed(b.canonicalId, 'in_1');
      w.see({ ...a, amount: '1600' });
      w.withdraw(c.canonicalId);
    });
    days = await unbilledByDay();
    expect(days.rollup).toEqual(days.raw);
    expect(days.rollup.map((d) => (d as { day: string }).day)).toEqual(['2026-11-02', '2026-11-03']);

    // The unpriced record, billed by another way (its ERP record carries an invoice).
    await commit(new Date('2026-11-26T09:00:00Z'), (w) => w.billed(unpriced.canonicalId, 'in_2'));
    days = await unbilledByDay();
    expect(days.rollup).toEqual(days.raw);

    for (const day of ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-24', '2026-11-25', '2026-11-30']) {
      const { fromChanges, fromRecords } = await unbilledOn(day);
      expect(fromChanges ?? '0.0000', day).toBe(fromRecords ?? '0.0000');
    }
    expect((await unbilledOn('2026-11-24')).fromChanges).toBe('1699.9900');
    expect((await unbilledOn('2026-11-25')).fromChanges).toBe('1600.0000');
  });

  it('writes nothing for work seen again unchanged, and keeps billed work billed from its first billing day', async () => {
    const d = work({ amount: '10' });
    await commit(new Date('2026-11-10T00:00:00Z'), (w) => w.see(d));
    await commit(new Date('2026-11-11T00:00:00Z'), (w) => (w.see(d), w.billed(d.canonicalId, 'in_3')));
    await commit(new Date('2026-11-12T00:00:00Z'), (w) => (w.see(d), w.billed(d.canonicalId, 'in_4')));
    const [row] = await client.$queryRaw<{ billedAt: Date; billedInvoice: string; updatedAt: Date }[]>`
      SELECT "billedAt", "billedInvoice", "updatedAt" FROM "BillableWork" WHERE "canonicalId" = ${d.canonicalId}::uuid`;
    expect(row).toEqual({
      billedAt: new Date('2026-11-11T00:00:00Z'),
      billedInvoice: 'in_3',
      updatedAt: new Date('2026-11-11T00:00:00Z'),
    });
  });

  it('stays equal to the records when batches write the same days at once', async () => {
    const shared = Array.from({ length: 40 }, (_, i) =>
      work({ amount: `${i + 1}.25`, workDate: `2026-10-${String((i % 9) + 10).padStart(2, '0')}` }),
    );
    await Promise.all(
      [0, 1, 2, 3].map((batch) =>
        commit(new Date(`2026-11-0${batch + 1}T00:00:00Z`), (w) => {
          for (const entry of shared.slice(batch * 10, batch * 10 + 20)) w.see(entry);
          if (batch % 2) w.billed(shared[batch * 10]!.canonicalId, `in_${batch}`);
        }),
      ),
    );
    const days = await unbilledByDay();
    expect(days.rollup).toEqual(days.raw);
  });

  it('a batch whose commit PostgreSQL ends as one side of a deadlock is committed again', async () => {
    // Two days' rows of the daily changes; another transaction holds the later one.
    const [first, second] = ['2026-09-01', '2026-09-02'];
    await client.$executeRaw`
      INSERT INTO "UnbilledWorkChange" ("legalEntityId", currency, day, amount)
      VALUES ('UK', 'GBP', ${first}::date, 0), ('UK', 'GBP', ${second}::date, 0)
      ON CONFLICT DO NOTHING`;
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      // The journal's side waits for the usual second before it looks for a deadlock; this side
      // far longer, so that PostgreSQL ends the journal's transaction, not this one.
      await other.query(`SET LOCAL deadlock_timeout = '60s'`);
      const holding = `SELECT 1 FROM "UnbilledWorkChange" WHERE "legalEntityId" = 'UK' AND currency = 'GBP' AND day = $1::date FOR UPDATE`;
      await other.query(holding, [second]);

      const journal = new BatchJournal();
      journal.work.see(work({ workDate: first, amount: '10' }));
      journal.work.see(work({ workDate: second, amount: '20' }));
      const committed = journal.commit(pool);
      committed.catch(() => undefined);
      // The journal's rollup has taken the first day and waits for the second …
      for (let waited = 0; ; waited += 50) {
        const { rows } = await other.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (rows[0]!.n > 0) break;
        if (waited > 20_000) throw new Error('the journal never waited for the held day');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // … and this side now asks for the first: a deadlock, which PostgreSQL breaks by ending the journal's try.
      await other.query(holding, [first]);
      await other.query('COMMIT');
      await committed;
    } finally {
      await other.end();
    }
    const days = await unbilledByDay();
    expect(days.rollup).toEqual(days.raw);
    expect(days.rollup).toContainEqual(expect.objectContaining({ day: first, amount: '10.0000', records: 1 }));
    expect(days.rollup).toContainEqual(expect.objectContaining({ day: second, amount: '20.0000', records: 1 }));
  });
});
