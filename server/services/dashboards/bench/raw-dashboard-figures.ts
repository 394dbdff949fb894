/**
 * The dashboards' figures computed the straightforward way — one aggregate over the raw tables
 * each — to check the rollup-based figures against and to time against them. Latency and time to
 * resolve are in whole seconds and the latency window starts on the hour, as the rollups count.
 */
import Decimal from 'decimal.js';
import { Prisma } from '@/server/db/generated/prisma/client';
import { db } from '@/server/db/client';
import type { DashboardHeadlines } from '../dashboard-headlines';
import type { DashboardScope } from '../dashboard-scope';
import { OPEN_STATUSES } from '../dashboard-settings';
import { latencyWindowStart } from '../delivery-latency';
import { AGE_BUCKETS, type ExceptionHealth } from '../exception-health';
import type { RejectionCount } from '../invoice-rejections';
import { convertTotal } from '../reporting-currency';
import { endOfRange, entityIds, startOfRange } from '../scoped-dashboard';
import type { StuckActivations } from '../stuck-activations';
import { LAG_WINDOWS, type LagWindow, type SyncLagCell } from '../sync-lag';
import { bucketOfAge, type UnbilledWork } from '../unbilled-work';

/** Figure name → differences found (each is one mismatch). */
export type Differences = string[];

const OPEN = Prisma.join([...OPEN_STATUSES]);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const check = (out: Differences, name: string, rollup: unknown, raw: unknown) => {
  if (!same(rollup, raw)) out.push(`${name}: rollups ${JSON.stringify(rollup)}, raw ${JSON.stringify(raw)}`);
};
const money = (amount: string | null | undefined) => new Decimal(amount ?? 0).toFixed(4);

async function rawLatency(entities: string[], now: Date, window: LagWindow) {
  const since = latencyWindowStart(now, LAG_WINDOWS[window]);
  const rows = await db().$queryRaw<{ cell: string; n: bigint; p50: number; p95: number }[]>`
    SELECT l.routine::text || '|' || r."legalEntityId" AS cell, count(*) AS n,
      round(percentile_cont(0.5) WITHIN GROUP (ORDER BY floor(extract(epoch FROM l."finishedAt" - l."sourceChangedAt"))))::int AS p50,
      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY floor(extract(epoch FROM l."finishedAt" - l."sourceChangedAt"))))::int AS p95
    FROM "LedgerEntry" l JOIN "SyncRun" r ON r.id = l."runId"
    WHERE l.outcome = 'delivered' AND l."sourceChangedAt" >= ${since} AND l."finishedAt" >= ${since}
      AND l."finishedAt" <= ${now} AND r."legalEntityId" = ANY(${entities})
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.cell, { delivered: Number(r.n), p50: r.p50, p95: r.p95 }]));
}

export async function rawSyncLag(scope: DashboardScope, now: Date, window: LagWindow, cells: SyncLagCell[]) {
  const entities = entityIds(scope);
  const [latency, rest] = await Promise.all([
    rawLatency(entities, now, window),
    db().$queryRaw<
      { cell: string; backlog: bigint; fresh: number | null; lastRunAt: Date | null; status: string | null }[]
    >`
      WITH cells AS (
        SELECT r.routine, e.id FROM unnest(enum_range(NULL::"Routine")) r(routine) CROSS JOIN unnest(${entities}::text[]) e(id)
      )
      SELECT c.routine::text || '|' || c.id AS cell,
        (SELECT count(*) FROM "SyncException" x WHERE x.routine = c.routine AND x."legalEntityId" = c.id
           AND x.status::text IN (${OPEN})) AS backlog,
        (SELECT greatest(0, floor(extract(epoch FROM ${now}::timestamptz - max(w."updatedAt"))))::int FROM "Watermark" w
          WHERE w.routine = c.routine AND w."legalEntityId" = c.id) AS fresh,
        lr."startedAt" AS "lastRunAt", lr.status
      FROM cells c LEFT JOIN LATERAL (
        SELECT DISTINCT ON (routine, "legalEntityId") "startedAt", status FROM "SyncRun" s
        WHERE s.routine = c.routine AND s."legalEntityId" = c.id AND s."startedAt" <= ${now}
        ORDER BY routine, "legalEntityId", "startedAt" DESC) lr ON true`,
  ]);
  const restOf = new Map(rest.map((r) => [r.cell, r]));
  const out: Differences = [];
  for (const c of cells) {
    const key = `${c.routine}|${c.legalEntityId}`;
    const l = latency.get(key);
    const r = restOf.get(key);
    check(
      out,
      `syncLag ${window} ${key}`,
      [c.delivered, c.p50Seconds, c.p95Seconds, c.backlog, c.freshnessSeconds, c.lastRunAt?.toISOString() ?? null],
      [
        l?.delivered ?? 0,
        l?.p50 ?? null,
        l?.p95 ?? null,
        Number(r?.backlog ?? 0),
        r?.fresh ?? null,
        r?.lastRunAt?.toISOString() ?? null,
      ],
    );
  }
  if (cells.length !== rest.length) out.push(`syncLag ${window}: ${cells.length} cells, raw ${rest.length}`);
  return out;
}

export async function rawHeadlines(scope: DashboardScope, now: Date, slaHours: number, h: DashboardHeadlines) {
  const entities = entityIds(scope);
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const stuckSql = (at: Date, openNow: boolean) => Prisma.sql`
    SELECT count(DISTINCT "externalIds"->0->>'externalId') FROM "SyncException"
     WHERE routine = 'project_activation' AND "objectType" = 'Engagement' AND "legalEntityId" = ANY(${entities})
       AND "firstSeenAt" <= ${new Date(at.getTime() - slaHours * 3_600_000)}
       AND ${openNow ? Prisma.sql`status::text IN (${OPEN})` : Prisma.sql`("resolvedAt" IS NULL OR "resolvedAt" > ${at})`}`;
  const [[counts], lagNow, lagThen, unbilled, rates] = await Promise.all([
    db().$queryRaw<{ openNow: bigint; openThen: bigint; stuckNow: bigint; stuckThen: bigint }[]>`
      SELECT
        (SELECT count(*) FROM "SyncException" WHERE status::text IN (${OPEN}) AND "legalEntityId" = ANY(${entities})) AS "openNow",
        (SELECT count(*) FROM "SyncException" WHERE "legalEntityId" = ANY(${entities}) AND "firstSeenAt" <= ${weekAgo}
           AND ("resolvedAt" IS NULL OR "resolvedAt" > ${weekAgo})) AS "openThen",
        (${stuckSql(now, true)}) AS "stuckNow", (${stuckSql(weekAgo, false)}) AS "stuckThen"`,
    rawLatency(entities, now, '24h'),
    rawLatency(entities, weekAgo, '24h'),
    db().$queryRaw<{ currency: string; now: string; then: string | null }[]>`
      SELECT currency, sum(coalesce(amount, 0)) FILTER (WHERE "billedAt" IS NULL)::text AS now,
        sum(coalesce(amount, 0)) FILTER (WHERE "workDate" <= ${dayOf(weekAgo)}::date
          AND ("billedAt" IS NULL OR ("billedAt" AT TIME ZONE 'UTC')::date > ${dayOf(weekAgo)}::date))::text AS then
      FROM "BillableWork" WHERE "legalEntityId" = ANY(${entities}) GROUP BY currency`,
    reportingRates(scope.reportingCurrency),
  ]);
  const worst = (m: Map<string, { p95: number }>) => (m.size ? Math.max(...[...m.values()].map((v) => v.p95)) : null);
  const converted = (pick: (r: (typeof unbilled)[number]) => string | null, day: string) => {
    let sum = new Decimal(0);
    for (const row of unbilled) {
      const c = convertTotal({ amount: pick(row) ?? '0', currency: row.currency }, scope.reportingCurrency, day, rates);
      if (!c.ok) return null;
      sum = sum.plus(c.converted.amount);
    }
    return money(sum.toFixed());
  };
  const out: Differences = [];
  check(
    out,
    'headlines open',
    [h.openExceptions.now, h.openExceptions.weekAgo],
    [Number(counts!.openNow), Number(counts!.openThen)],
  );
  check(
    out,
    'headlines stuck',
    [h.stuckActivations.now, h.stuckActivations.weekAgo],
    [Number(counts!.stuckNow), Number(counts!.stuckThen)],
  );
  check(
    out,
    'headlines worst lag',
    [h.worstLagSeconds.now, h.worstLagSeconds.weekAgo],
    [worst(lagNow), worst(lagThen)],
  );
  check(
    out,
    'headlines unbilled',
    [h.unbilled.now && money(h.unbilled.now.amount), h.unbilled.weekAgo && money(h.unbilled.weekAgo.amount)],
    [converted((r) => r.now, dayOf(now)), converted((r) => r.then, dayOf(weekAgo))],
  );
  return out;
}

async function reportingRates(reportingCurrency: string) {
  const rows = await db().fxRate.findMany({ where: { toCurrency: reportingCurrency }, orderBy: { validFrom: 'asc' } });
  return rows.map((r) => ({
    from: r.fromCurrency,
    to: r.toCurrency,
    validFrom: dayOf(r.validFrom),
    rate: r.rate.toString(),
  }));
}

/** A deal held in several exceptions counts once, by its latest, as the dashboard counts it. */
export async function rawStuckActivations(scope: DashboardScope, now: Date, slaHours: number, s: StuckActivations) {
  const deals = await db().$queryRaw<{ opportunityId: string; heldSince: Date }[]>`
    SELECT "externalIds"->0->>'externalId' AS "opportunityId", max("firstSeenAt") AS "heldSince" FROM "SyncException"
     WHERE routine = 'project_activation' AND "objectType" = 'Engagement' AND status::text IN (${OPEN})
       AND "legalEntityId" = ANY(${entityIds(scope)}) AND "firstSeenAt" <= ${new Date(now.getTime() - slaHours * 3_600_000)}
     GROUP BY 1`;
  const out: Differences = [];
  check(out, 'stuck total', [s.total, s.items.length], [deals.length, deals.length]);
  const byDeal = (list: { opportunityId: string; heldSince: Date }[]) =>
    list.map((d) => `${d.opportunityId}@${d.heldSince.toISOString()}`).sort();
  check(out, 'stuck deals', byDeal(s.items), byDeal(deals));
  return out;
}

export async function rawInvoiceRejections(scope: DashboardScope, rollup: RejectionCount[]) {
  const rows = await db().$queryRaw<(Omit<RejectionCount, 'count'> & { count: bigint })[]>`
    SELECT to_char(date_trunc('week', "firstSeenAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
      "legalEntityId", coalesce("targetCode", code) AS reason, count(*) AS count
    FROM "SyncException"
    WHERE routine = 'billing_eligibility' AND code = 'TARGET_REJECTED' AND "legalEntityId" = ANY(${entityIds(scope)})
      AND "firstSeenAt" >= ${startOfRange(scope)} AND "firstSeenAt" < ${endOfRange(scope)}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
  const key = (r: Omit<RejectionCount, 'count'>) => `${r.week}|${r.legalEntityId}|${r.reason}`;
  const raw = new Map(rows.map((r) => [key(r), Number(r.count)]));
  const mine = new Map(rollup.map((r) => [key(r), r.count]));
  const out: Differences = [];
  for (const k of new Set([...raw.keys(), ...mine.keys()]))
    check(out, `rejections ${k}`, mine.get(k) ?? 0, raw.get(k) ?? 0);
  return out;
}

export async function rawExceptionHealth(scope: DashboardScope, now: Date, health: ExceptionHealth) {
  const entities = entityIds(scope);
  const day = 86_400_000;
  const [open, perDay, resolve] = await Promise.all([
    db().$queryRaw<{ team: string; bucket: string; count: bigint }[]>`
      SELECT team::text, CASE
          WHEN "firstSeenAt" > ${new Date(now.getTime() - day)} THEN ${AGE_BUCKETS[0]}
          WHEN "firstSeenAt" > ${new Date(now.getTime() - 7 * day)} THEN ${AGE_BUCKETS[1]}
          WHEN "firstSeenAt" > ${new Date(now.getTime() - 30 * day)} THEN ${AGE_BUCKETS[2]}
          ELSE ${AGE_BUCKETS[3]} END AS bucket, count(*) AS count
      FROM "SyncException"
      WHERE status::text IN (${OPEN}) AND "legalEntityId" = ANY(${entities}) AND "firstSeenAt" <= ${now}
      GROUP BY 1, 2`,
    db().$queryRaw<{ day: string; created: bigint; resolved: bigint }[]>`
      WITH days AS (
        SELECT d::date AS day FROM generate_series(${scope.from}::date, ${scope.to}::date, interval '1 day') d
      ), created AS (
        SELECT ("firstSeenAt" AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM "SyncException"
        WHERE "legalEntityId" = ANY(${entities}) AND "firstSeenAt" >= ${startOfRange(scope)} AND "firstSeenAt" < ${endOfRange(scope)}
        GROUP BY 1
      ), resolved AS (
        SELECT ("resolvedAt" AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM "SyncException"
        WHERE status = 'resolved' AND "legalEntityId" = ANY(${entities})
          AND "resolvedAt" >= ${startOfRange(scope)} AND "resolvedAt" < ${endOfRange(scope)} GROUP BY 1
      )
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.n, 0) AS created, coalesce(r.n, 0) AS resolved
      FROM days d LEFT JOIN created c USING (day) LEFT JOIN resolved r USING (day) ORDER BY d.day`,
    db().$queryRaw<{ team: string; resolved: bigint; median: number | null }[]>`
      SELECT team::text, count(*) AS resolved,
        round(percentile_cont(0.5) WITHIN GROUP (ORDER BY floor(extract(epoch FROM "resolvedAt" - "firstSeenAt"))))::int AS median
      FROM "SyncException"
      WHERE status = 'resolved' AND "legalEntityId" = ANY(${entities})
        AND "resolvedAt" >= ${startOfRange(scope)} AND "resolvedAt" < ${endOfRange(scope)}
      GROUP BY 1`,
  ]);
  const out: Differences = [];
  const openOf = new Map(open.map((o) => [`${o.team}|${o.bucket}`, Number(o.count)]));
  for (const o of health.openByTeam)
    check(out, `open ${o.team} ${o.bucket}`, o.count, openOf.get(`${o.team}|${o.bucket}`) ?? 0);
  const dayOfRaw = new Map(perDay.map((d) => [d.day, [Number(d.created), Number(d.resolved)]]));
  for (const d of health.perDay) check(out, `per day ${d.day}`, [d.created, d.resolved], dayOfRaw.get(d.day) ?? null);
  if (health.perDay.length !== perDay.length) out.push(`per day: ${health.perDay.length} days, raw ${perDay.length}`);
  const resolveOf = new Map(resolve.map((r) => [r.team, [Number(r.resolved), r.median]]));
  for (const t of health.timeToResolve)
    check(out, `time to resolve ${t.team}`, [t.resolved, t.medianSeconds], resolveOf.get(t.team) ?? [0, null]);
  return out;
}

export async function rawUnbilledWork(scope: DashboardScope, work: UnbilledWork) {
  const entities = entityIds(scope);
  const weekEnds = work.trend.map((t) => t.day);
  const [byAge, trend] = await Promise.all([
    db().$queryRaw<{ legalEntityId: string; age: number; amount: string; records: bigint; unpriced: bigint }[]>`
      SELECT "legalEntityId", (${work.asOf}::date - "workDate") AS age, sum(coalesce(amount, 0))::text AS amount,
        count(*) AS records, count(*) FILTER (WHERE amount IS NULL) AS unpriced
      FROM "BillableWork" WHERE "billedAt" IS NULL AND "legalEntityId" = ANY(${entities}) GROUP BY 1, 2`,
    db().$queryRaw<{ day: string; legalEntityId: string; amount: string }[]>`
      SELECT p.day::text AS day, w."legalEntityId", sum(coalesce(w.amount, 0))::text AS amount
      FROM unnest(${weekEnds}::date[]) AS p(day)
      JOIN "BillableWork" w ON w."workDate" <= p.day AND w."legalEntityId" = ANY(${entities})
        AND (w."billedAt" IS NULL OR (w."billedAt" AT TIME ZONE 'UTC')::date > p.day)
      GROUP BY 1, 2`,
  ]);
  const cells = new Map<string, { amount: Decimal; records: number; unpriced: number }>();
  for (const r of byAge) {
    const key = `${r.legalEntityId}|${bucketOfAge(r.age)}`;
    const c = cells.get(key) ?? { amount: new Decimal(0), records: 0, unpriced: 0 };
    cells.set(key, {
      amount: c.amount.plus(r.amount),
      records: c.records + Number(r.records),
      unpriced: c.unpriced + Number(r.unpriced),
    });
  }
  const out: Differences = [];
  const mine = new Map(work.cells.map((c) => [`${c.legalEntityId}|${c.bucket}`, c]));
  for (const k of new Set([...cells.keys(), ...mine.keys()])) {
    const m = mine.get(k);
    const r = cells.get(k);
    check(
      out,
      `unbilled ${k}`,
      m ? [money(m.amount.amount), m.records, m.unpriced] : null,
      r ? [money(r.amount.toFixed()), r.records, r.unpriced] : null,
    );
  }
  const rawTrend = new Map(trend.map((t) => [`${t.day}|${t.legalEntityId}`, money(t.amount)]));
  for (const t of work.trend)
    for (const e of entities) {
      const m = t.byEntity.find((b) => b.legalEntityId === e);
      check(out, `unbilled trend ${t.day} ${e}`, money(m?.amount.amount), rawTrend.get(`${t.day}|${e}`) ?? money('0'));
    }
  return out;
}
