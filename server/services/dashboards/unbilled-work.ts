import Decimal from 'decimal.js';
import { UNBILLED_AGE_BUCKETS, type UnbilledAgeBucket } from '@/lib/unbilled-age-buckets';
import { db } from '@/server/db/client';
import type { Money } from '@/server/domain/money';
import type { DashboardScope } from './dashboard-scope';
import { convertTotal, type FxRate } from './reporting-currency';
import { entityIds } from './scoped-dashboard';

/** The oldest age of each bucket but the last. */
const BUCKET_LIMITS = [7, 30, 60] as const;

export function bucketOfAge(days: number): UnbilledAgeBucket {
  const index = BUCKET_LIMITS.findIndex((limit) => days <= limit);
  return UNBILLED_AGE_BUCKETS[index === -1 ? BUCKET_LIMITS.length : index]!;
}

/** The work days a bucket covers on `asOf`, as an inclusive range (open at the old end for the last). */
export function bucketDays(bucket: UnbilledAgeBucket, asOf: string): { from: string | null; to: string | null } {
  const index = UNBILLED_AGE_BUCKETS.indexOf(bucket);
  const day = (ago: number) => new Date(Date.parse(`${asOf}T00:00:00Z`) - ago * 86_400_000).toISOString().slice(0, 10);
  return {
    // Work dated after `asOf` (a fee for the coming month) is in the youngest bucket.
    to: index === 0 ? null : day(BUCKET_LIMITS[index - 1]! + 1),
    from: index === UNBILLED_AGE_BUCKETS.length - 1 ? null : day(BUCKET_LIMITS[index]!),
  };
}

export interface UnbilledFigure {
  amount: Money;
  /** In the reporting currency at the rate in force; null when no rate is. */
  converted: Money | null;
  records: number;
  /** Records without a price, not in the amount. */
  unpriced: number;
}

export interface UnbilledWork {
  asOf: string;
  reportingCurrency: string;
  cells: ({ legalEntityId: string; entityName: string; bucket: UnbilledAgeBucket } & UnbilledFigure)[];
  byEntity: ({ legalEntityId: string; entityName: string } & UnbilledFigure)[];
  total: { converted: Money | null; records: number; unpriced: number };
  /** The rates used, as shown beside the figures. */
  rates: FxRate[];
  /** Unbilled at the end of each week of the range (running sum of the daily changes). */
  trend: { day: string; converted: Money | null; byEntity: { legalEntityId: string; amount: Money }[] }[];
  /** Why a converted figure is missing. */
  problems: string[];
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

async function loadRates(reportingCurrency: string): Promise<FxRate[]> {
  const rows = await db().fxRate.findMany({ where: { toCurrency: reportingCurrency }, orderBy: { validFrom: 'asc' } });
  return rows.map((r) => ({
    from: r.fromCurrency,
    to: r.toCurrency,
    validFrom: dayOf(r.validFrom),
    rate: r.rate.toString(),
  }));
}

/**
 * Approved work not yet on an invoice, read from the rollups billing keeps (never the records):
 * per entity and age bucket in the entity's currency, each total converted once from its exact
 * sum at the rate in force on `asOf` (half-even to the reporting currency's minor unit); the
 * all-entity total is the sum of each currency's converted exact total. The trend is the unbilled
 * amount at the end of each week of the range.
 */
export async function unbilledWork(options: { scope: DashboardScope; now: Date }): Promise<UnbilledWork> {
  const { scope, now } = options;
  const asOf = dayOf(now);
  const entities = entityIds(scope);
  const names = new Map(scope.entities.map((e) => [e.id, e.name]));
  const weekEnds: string[] = [];
  for (let t = Date.parse(`${scope.to}T00:00:00Z`); t >= Date.parse(`${scope.from}T00:00:00Z`); t -= 7 * 86_400_000)
    weekEnds.unshift(dayOf(new Date(t)));

  const [days, changes, rates] = await Promise.all([
    db().$queryRaw<
      { legalEntityId: string; currency: string; age: number; amount: string; records: number; unpriced: number }[]
    >`
      SELECT "legalEntityId", currency, (${asOf}::date - "workDate") AS age, amount::text, records, unpriced
        FROM "UnbilledWorkDay" WHERE "legalEntityId" = ANY(${entities}) AND records <> 0`,
    db().$queryRaw<{ day: string; legalEntityId: string; currency: string; amount: string }[]>`
      SELECT p.day::text AS day, c."legalEntityId", c.currency, sum(c.amount)::text AS amount
        FROM unnest(${weekEnds}::date[]) AS p(day)
        JOIN "UnbilledWorkChange" c ON c.day <= p.day AND c."legalEntityId" = ANY(${entities})
       GROUP BY 1, 2, 3`,
    loadRates(scope.reportingCurrency),
  ]);

  const problems = new Set<string>();
  const used = new Map<string, FxRate>();
  const convert = (amount: Money, day: string): Money | null => {
    const result = convertTotal(amount, scope.reportingCurrency, day, rates);
    if (!result.ok) return (problems.add(result.message), null);
    // The rates shown beside the figures are today's; the trend's weeks say theirs in its help.
    if (result.rate && day === asOf) used.set(`${result.rate.from}|${result.rate.validFrom}`, result.rate);
    return result.converted;
  };
  const sumConverted = (parts: (Money | null)[]): Money | null =>
    parts.some((p) => p === null)
      ? null
      : {
          amount: parts.reduce((sum, p) => sum.plus(p!.amount), new Decimal(0)).toFixed(),
          currency: scope.reportingCurrency,
        };

  // Exact sums first, converted after: per cell, per entity, per currency.
  type Sum = { currency: string; amount: Decimal; records: number; unpriced: number };
  const add = (map: Map<string, Sum>, key: string, row: (typeof days)[number]) => {
    const sum = map.get(key) ?? { currency: row.currency, amount: new Decimal(0), records: 0, unpriced: 0 };
    map.set(key, {
      ...sum,
      amount: sum.amount.plus(row.amount),
      records: sum.records + row.records,
      unpriced: sum.unpriced + row.unpriced,
    });
  };
  const cellSums = new Map<string, Sum>();
  const entitySums = new Map<string, Sum>();
  const currencySums = new Map<string, Sum>();
  for (const row of days) {
    add(cellSums, `${row.legalEntityId}|${bucketOfAge(row.age)}`, row);
    add(entitySums, row.legalEntityId, row);
    add(currencySums, row.currency, row);
  }
  const figure = (sum: Sum): UnbilledFigure => {
    const amount = { amount: sum.amount.toFixed(), currency: sum.currency };
    return { amount, converted: convert(amount, asOf), records: sum.records, unpriced: sum.unpriced };
  };

  const cells = [...cellSums].map(([key, sum]) => {
    const [legalEntityId, bucket] = key.split('|') as [string, UnbilledAgeBucket];
    return { legalEntityId, entityName: names.get(legalEntityId) ?? legalEntityId, bucket, ...figure(sum) };
  });
  cells.sort(
    (a, b) =>
      a.legalEntityId.localeCompare(b.legalEntityId) ||
      UNBILLED_AGE_BUCKETS.indexOf(a.bucket) - UNBILLED_AGE_BUCKETS.indexOf(b.bucket),
  );
  const byEntity = [...entitySums]
    .map(([legalEntityId, sum]) => ({
      legalEntityId,
      entityName: names.get(legalEntityId) ?? legalEntityId,
      ...figure(sum),
    }))
    .sort((a, b) => a.legalEntityId.localeCompare(b.legalEntityId));
  const perCurrency = [...currencySums.values()].map(figure);

  const trend = weekEnds.map((day) => {
    const rows = changes.filter((c) => c.day === day);
    const byCurrency = new Map<string, Decimal>();
    for (const r of rows) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? new Decimal(0)).plus(r.amount));
    return {
      day,
      converted: sumConverted(
        [...byCurrency].map(([currency, amount]) => convert({ amount: amount.toFixed(), currency }, day)),
      ),
      byEntity: rows.map((r) => ({
        legalEntityId: r.legalEntityId,
        amount: { amount: r.amount, currency: r.currency },
      })),
    };
  });

  return {
    asOf,
    reportingCurrency: scope.reportingCurrency,
    cells,
    byEntity,
    total: {
      converted: sumConverted(perCurrency.map((c) => c.converted)),
      records: perCurrency.reduce((n, c) => n + c.records, 0),
      unpriced: perCurrency.reduce((n, c) => n + c.unpriced, 0),
    },
    rates: [...used.values()],
    trend,
    problems: [...problems],
  };
}

export interface UnbilledRecord {
  canonicalId: string;
  legalEntityId: string;
  sourceType: string;
  sourceId: string;
  projectId: string | null;
  amount: Money | null;
  currency: string;
  workDate: string;
  firstSeenAt: Date;
}

/** The records beneath one cell (entity × bucket), oldest work first, a page at a time. */
export async function unbilledRecords(options: {
  legalEntityId: string;
  bucket: UnbilledAgeBucket;
  now: Date;
  after?: { workDate: string; canonicalId: string } | null;
  limit: number;
}): Promise<{ items: UnbilledRecord[]; next: { workDate: string; canonicalId: string } | null }> {
  const { from, to } = bucketDays(options.bucket, dayOf(options.now));
  const after = options.after ?? { workDate: '0001-01-01', canonicalId: '00000000-0000-0000-0000-000000000000' };
  const rows = await db().$queryRaw<
    {
      canonicalId: string;
      legalEntityId: string;
      sourceType: string;
      sourceId: string;
      projectId: string | null;
      amount: string | null;
      currency: string;
      workDate: string;
      firstSeenAt: Date;
    }[]
  >`
    SELECT "canonicalId"::text, "legalEntityId", "sourceType", "sourceId", "projectId", amount::text, currency,
           "workDate"::text, "firstSeenAt"
      FROM "BillableWork"
     WHERE "billedAt" IS NULL AND "legalEntityId" = ${options.legalEntityId}
       AND (${from}::date IS NULL OR "workDate" >= ${from}::date) AND (${to}::date IS NULL OR "workDate" <= ${to}::date)
       AND ("workDate", "canonicalId") > (${after.workDate}::date, ${after.canonicalId}::uuid)
     ORDER BY "workDate", "canonicalId"
     LIMIT ${options.limit + 1}`;
  const items = rows.slice(0, options.limit).map((r) => ({
    ...r,
    amount: r.amount === null ? null : { amount: new Decimal(r.amount).toFixed(), currency: r.currency },
  }));
  const last = items.at(-1);
  return {
    items,
    next: rows.length > options.limit && last ? { workDate: last.workDate, canonicalId: last.canonicalId } : null,
  };
}

/** The headline: unbilled now and a week ago, in the reporting currency (null where a rate is missing). */
export async function unbilledTotals(options: {
  scope: DashboardScope;
  now: Date;
}): Promise<{ now: Money | null; weekAgo: Money | null }> {
  const { scope } = options;
  const today = dayOf(options.now);
  const weekAgo = dayOf(new Date(options.now.getTime() - 7 * 86_400_000));
  const [rows, rates] = await Promise.all([
    // Every piece of work adds on its work day and takes away on its billing day, so all changes
    // together are what is unbilled now.
    db().$queryRaw<{ currency: string; now: string; then: string | null }[]>`
      SELECT currency, sum(amount)::text AS now, (sum(amount) FILTER (WHERE day <= ${weekAgo}::date))::text AS then
        FROM "UnbilledWorkChange" WHERE "legalEntityId" = ANY(${entityIds(scope)}) GROUP BY currency`,
    loadRates(scope.reportingCurrency),
  ]);
  const total = (pick: (r: (typeof rows)[number]) => string | null, day: string): Money | null => {
    let sum = new Decimal(0);
    for (const row of rows) {
      const converted = convertTotal(
        { amount: pick(row) ?? '0', currency: row.currency },
        scope.reportingCurrency,
        day,
        rates,
      );
      if (!converted.ok) return null;
      sum = sum.plus(converted.converted.amount);
    }
    return { amount: sum.toFixed(), currency: scope.reportingCurrency };
  };
  return { now: total((r) => r.now, today), weekAgo: total((r) => r.then, weekAgo) };
}
