import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeSetting } from '@/env';
import { seed } from '@/prisma/seed';
import { db } from '@/server/db/client';
import { createScratchDatabase } from '@/test/scratch-database';
import { dashboardChecks } from './bench/dashboard-checks';
import { seedDashboardFirm } from './bench/seed-dashboard-firm';
import { scopeOrRefuse } from './scoped-dashboard';

// Every dashboard against plain SQL over the raw records, on a year of a small firm written as
// the benchmark writes its million rows (rollups kept by their triggers). The firm is the whole
// database, so this file has one of its own.
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let now: Date;
beforeAll(async () => {
  database = await createScratchDatabase({ migrated: true });
  setRuntimeSetting('DATABASE_URL', database.url);
  await seed({ demoPassword: randomBytes(18).toString('base64url') });
  const asOf = new Date();
  // 10,000 exceptions: enough for the same deal to be held by more than one (every 7,000th).
  await seedDashboardFirm({ work: 4_000, exceptions: 10_000, ledger: 4_000 }, asOf, () => {});
  // As the benchmark measures: half a minute after the last delivery, so the hour still filling holds records.
  const [last] = await db().$queryRaw<{ at: Date }[]>`
    SELECT max("finishedAt") AS at FROM "LedgerEntry" WHERE outcome = 'delivered'`;
  now = new Date(Math.max(last!.at.getTime(), asOf.getTime() - 3_600_000) + 30_000);
}, 120_000);
afterAll(async () => {
  await db().$disconnect();
  await database?.drop();
});

describe('dashboard figures', () => {
  it('each equal the same figures aggregated straight from the raw records', async () => {
    const scope = await scopeOrRefuse({}, now);
    const checks = dashboardChecks(scope, now, 48);
    for (const check of checks) {
      const result = await check.run();
      expect(await check.raw(result as never), check.name).toEqual([]);
    }
    // The firm holds what each figure is about, so an empty dashboard could not pass for a right one.
    const [headlines, stuck] = await Promise.all([checks[0]!.run(), checks[1]!.run()]);
    expect(headlines).toMatchObject({ stuckActivations: { now: expect.any(Number) } });
    expect((stuck as { total: number }).total).toBeGreaterThan(0);
    expect((headlines as { openExceptions: { now: number } }).openExceptions.now).toBeGreaterThan(0);
  });
});
