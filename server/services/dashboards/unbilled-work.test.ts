import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeSetting } from '@/env';
import { db } from '@/server/db/client';
import { BillableWorkChanges, type BillableWorkEntry } from '@/server/sync/pipeline/billable-work';
import { createScratchDatabase } from '@/test/scratch-database';
import { resolveDashboardScope, type DashboardScope } from './dashboard-scope';
import { UNBILLED_AGE_BUCKETS } from '@/lib/unbilled-age-buckets';
import { unbilledRecords, unbilledTotals, unbilledWork } from './unbilled-work';

// A firm of this file's own, so every figure can be checked against all the records beneath it.
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
const NOW = new Date('2026-12-04T12:00:00Z');
let scope: DashboardScope;

const work = (entity: string, currency: string, workDate: string, amount: string | null): BillableWorkEntry => ({
  canonicalId: randomUUID(),
  legalEntityId: entity,
  sourceType: 'timebill',
  sourceId: String(Math.floor(Math.random() * 1e9)),
  projectId: '7',
  traceKey: null,
  amount,
  currency,
  workDate,
});

async function commit(at: string, change: (w: BillableWorkChanges) => void) {
  const changes = new BillableWorkChanges();
  change(changes);
  await db().$transaction((tx) => changes.write(tx, new Date(at)));
}

beforeAll(async () => {
  database = await createScratchDatabase({ migrated: true });
  setRuntimeSetting('DATABASE_URL', database.url);
  await db().legalEntity.createMany({
    data: [
      { id: 'US', name: 'US Inc.', country: 'US', currency: 'USD', taxRegime: 'sales tax' },
      { id: 'UK', name: 'UK Ltd', country: 'GB', currency: 'GBP', taxRegime: 'VAT' },
      { id: 'DE', name: 'DE GmbH', country: 'DE', currency: 'EUR', taxRegime: 'USt' },
    ],
  });
  await db().fxRate.createMany({
    data: [
      { fromCurrency: 'GBP', toCurrency: 'USD', validFrom: new Date('2026-01-01'), rate: '1.27' },
      // A new GBP rate from the 20th: the trend's earlier weeks use the old one.
      { fromCurrency: 'GBP', toCurrency: 'USD', validFrom: new Date('2026-11-20'), rate: '1.25' },
      { fromCurrency: 'EUR', toCurrency: 'USD', validFrom: new Date('2026-01-01'), rate: '1.0850' },
    ],
  });
  const uk = [
    work('UK', 'GBP', '2026-12-02', '1512.5'),
    work('UK', 'GBP', '2026-11-27', '0.5'), // 0.625 USD: half-even to 0.62
    work('UK', 'GBP', '2026-11-20', '99.9999'),
    work('UK', 'GBP', '2026-11-20', null),
    work('UK', 'GBP', '2026-10-10', '200'),
    work('UK', 'GBP', '2026-08-01', '3000.0001'),
  ];
  const de = [work('DE', 'EUR', '2026-11-30', '845.33'), work('DE', 'EUR', '2026-09-15', '12.5')];
  const us = [work('US', 'USD', '2026-11-01', '4000'), work('US', 'USD', '2026-12-04', '0.01')];
  await commit('2026-11-01T09:00:00Z', (w) => [...uk, ...de, ...us].forEach((e) => w.see(e)));
  // Billed along the way: the trend must see them unbilled before, and not after.
  await commit('2026-11-10T09:00:00Z', (w) => w.billed(uk[4]!.canonicalId, 'in_a'));
  await commit('2026-11-28T09:00:00Z', (w) => w.billed(us[0]!.canonicalId, 'in_b'));
  await commit('2026-12-01T09:00:00Z', (w) => w.see({ ...de[0]!, amount: '845.34' }));
  const resolved = await resolveDashboardScope(db(), { from: '2026-09-11', to: '2026-12-04', currency: 'USD' }, NOW);
  if (!resolved.ok) throw new Error(resolved.message);
  scope = resolved.scope;
}, 120_000);
afterAll(async () => {
  await db().$disconnect();
  await database?.drop();
});

/** Half-even to cents, in SQL, for the positive amounts here. */
const halfEven = (x: string) => `(CASE WHEN (${x}) * 100 - trunc((${x}) * 100) = 0.5 AND trunc((${x}) * 100) % 2 = 0
  THEN trunc((${x}) * 100) / 100 ELSE round(${x}, 2) END)::numeric(18, 2)::text`;
const rateSql = (
  day: string,
) => `(SELECT rate FROM "FxRate" f WHERE f."fromCurrency" = w.currency AND f."toCurrency" = 'USD'
  AND f."validFrom" <= '${day}' ORDER BY f."validFrom" DESC LIMIT 1)`;

describe('unbilled approved work', () => {
  it('reconciles every cell, entity and total with the records beneath it, to the cent', async () => {
    const figures = await unbilledWork({ scope, now: NOW });
    const expected = await db().$queryRawUnsafe<
      { entity: string; bucket: string; amount: string; converted: string; records: number; unpriced: number }[]
    >(`
      SELECT w."legalEntityId" AS entity,
             CASE WHEN '2026-12-04'::date - "workDate" <= 7 THEN '${UNBILLED_AGE_BUCKETS[0]}'
                  WHEN '2026-12-04'::date - "workDate" <= 30 THEN '${UNBILLED_AGE_BUCKETS[1]}'
                  WHEN '2026-12-04'::date - "workDate" <= 60 THEN '${UNBILLED_AGE_BUCKETS[2]}'
                  ELSE '${UNBILLED_AGE_BUCKETS[3]}' END AS bucket,
             sum(coalesce(amount, 0))::text AS amount,
             ${halfEven(`sum(coalesce(amount, 0)) * coalesce(max(${rateSql('2026-12-04')}), 1)`)} AS converted,
             count(*)::int AS records, (count(*) FILTER (WHERE amount IS NULL))::int AS unpriced
        FROM "BillableWork" w WHERE "billedAt" IS NULL GROUP BY 1, 2 ORDER BY 1, 2`);
    const cells = figures.cells.map((c) => ({
      entity: c.legalEntityId,
      bucket: c.bucket as string,
      amount: c.amount.amount,
      converted: c.converted!.amount,
      records: c.records,
      unpriced: c.unpriced,
    }));
    const normalise = (rows: typeof cells) =>
      rows
        .map((r) => ({ ...r, amount: Number(r.amount).toFixed(4), converted: Number(r.converted).toFixed(2) }))
        .sort((a, b) => `${a.entity}${a.bucket}`.localeCompare(`${b.entity}${b.bucket}`));
    expect(normalise(cells)).toEqual(normalise(expected));
    // The documented rounding: 0.5 GBP at 1.25 is 0.625 USD, shown as 0.62.
    expect(figures.cells.find((c) => c.legalEntityId === 'UK' && c.amount.amount === '0.5')).toBeUndefined();
    const ukYoung = figures.cells.find((c) => c.legalEntityId === 'UK' && c.bucket === '0–7 days')!;
    expect(ukYoung.amount).toEqual({ amount: '1513', currency: 'GBP' });
    expect(ukYoung.converted).toEqual({ amount: '1891.25', currency: 'USD' });

    // Totals: each currency's exact sum converted once, then added.
    const [total] = await db().$queryRawUnsafe<{ total: string }[]>(`
      SELECT sum(converted)::text AS total FROM (
        SELECT ${halfEven(`sum(coalesce(amount, 0)) * coalesce(max(${rateSql('2026-12-04')}), 1)`)}::numeric AS converted
          FROM "BillableWork" w WHERE "billedAt" IS NULL GROUP BY currency) t`);
    expect(Number(figures.total.converted!.amount).toFixed(2)).toBe(Number(total!.total).toFixed(2));
    expect(figures.total.records).toBe(expected.reduce((n, r) => n + r.records, 0));
    expect(figures.total.unpriced).toBe(1);
    expect(figures.rates.map((r) => `${r.from}@${r.validFrom}=${r.rate}`).sort()).toEqual([
      'EUR@2026-01-01=1.085',
      'GBP@2026-11-20=1.25',
    ]);
    expect(figures.problems).toEqual([]);
  });

  it('follows the unbilled amount week by week, each week at the rate then in force', async () => {
    const { trend } = await unbilledWork({ scope, now: NOW });
    expect(trend.map((t) => t.day)).toEqual(
      [
        '2026-09-11',
        '2026-09-18',
        '2026-09-25',
        '2026-10-02',
        '2026-10-09',
        '2026-10-16',
        '2026-10-23',
        '2026-10-30',
        '2026-11-06',
        '2026-11-13',
        '2026-11-20',
        '2026-11-27',
        '2026-12-04',
      ].slice(-trend.length),
    );
    for (const point of trend) {
      const [expected] = await db().$queryRawUnsafe<{ total: string | null }[]>(`
        SELECT sum(converted)::text AS total FROM (
          SELECT ${halfEven(`sum(coalesce(amount, 0)) * coalesce(max(${rateSql(point.day)}), 1)`)}::numeric AS converted
            FROM "BillableWork" w
           WHERE "workDate" <= '${point.day}' AND ("billedAt" IS NULL OR ("billedAt" AT TIME ZONE 'UTC')::date > '${point.day}')
           GROUP BY currency) t`);
      expect(Number(point.converted!.amount).toFixed(2), point.day).toBe(Number(expected!.total ?? 0).toFixed(2));
    }
  });

  it('puts the headline now and a week ago on the same footing as the records', async () => {
    const headline = await unbilledTotals({ scope, now: NOW });
    const { total } = await unbilledWork({ scope, now: NOW });
    expect(headline.now).toEqual(total.converted);
    const [weekAgo] = await db().$queryRawUnsafe<{ total: string }[]>(`
      SELECT sum(converted)::text AS total FROM (
        SELECT ${halfEven(`sum(coalesce(amount, 0)) * coalesce(max(${rateSql('2026-11-27')}), 1)`)}::numeric AS converted
          FROM "BillableWork" w
         WHERE "workDate" <= '2026-11-27' AND ("billedAt" IS NULL OR ("billedAt" AT TIME ZONE 'UTC')::date > '2026-11-27')
         GROUP BY currency) t`);
    expect(Number(headline.weekAgo!.amount).toFixed(2)).toBe(Number(weekAgo!.total).toFixed(2));
  });

  it('lists the records beneath a cell, a page at a time, exactly those the cell sums', async () => {
    const seen: string[] = [];
    let after: { workDate: string; canonicalId: string } | null = null;
    do {
      const page: Awaited<ReturnType<typeof unbilledRecords>> = await unbilledRecords({
        legalEntityId: 'UK',
        bucket: '8–30 days',
        now: NOW,
        after,
        limit: 1,
      });
      seen.push(...page.items.map((i) => i.sourceId));
      after = page.next;
    } while (after);
    const expected = await db().$queryRawUnsafe<{ sourceId: string }[]>(`
      SELECT "sourceId" FROM "BillableWork" WHERE "legalEntityId" = 'UK' AND "billedAt" IS NULL
         AND '2026-12-04'::date - "workDate" BETWEEN 8 AND 30 ORDER BY "workDate", "canonicalId"`);
    expect(seen).toEqual(expected.map((r) => r.sourceId));
    expect(seen).toHaveLength(2);
  });

  it('says which rate is missing instead of showing a total without it', async () => {
    const resolved = await resolveDashboardScope(db(), { currency: 'EUR' }, NOW);
    if (!resolved.ok) throw new Error(resolved.message);
    const figures = await unbilledWork({ scope: resolved.scope, now: NOW });
    expect(figures.total.converted).toBeNull();
    expect(figures.problems).toContain('No GBP→EUR exchange rate in force on 2026-12-04.');
  });
});
