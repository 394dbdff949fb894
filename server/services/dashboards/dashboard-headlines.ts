import { db } from '@/server/db/client';
import type { DashboardScope } from './dashboard-scope';
import { deliveryLatencies } from './delivery-latency';
import { openExceptionsAt, openExceptionsNow } from './open-exceptions';
import { OPEN_STATUSES } from './dashboard-settings';
import { LAG_WINDOWS } from './sync-lag';
import { entityIds } from './scoped-dashboard';
import { unbilledTotals } from './unbilled-work';
import type { Money } from '@/server/domain/money';

const WEEK = 7 * 86_400_000;

export interface Headline {
  now: number | null;
  weekAgo: number | null;
}

export interface DashboardHeadlines {
  /** Approved work not yet on an invoice, in the reporting currency. */
  unbilled: { now: Money | null; weekAgo: Money | null };
  stuckActivations: Headline;
  /** The worst p95 end-to-end latency of any routine × entity over the last 24 hours, in seconds. */
  worstLagSeconds: Headline;
  openExceptions: Headline;
}

/**
 * Deals held past the SLA now (their exception still open) and a week ago (first seen an SLA
 * before then and not resolved by then), in one pass over the activation index.
 */
async function stuckNowAndWeekAgo(entities: string[], now: Date, weekAgo: Date, slaHours: number): Promise<Headline> {
  const sla = slaHours * 3_600_000;
  const [row] = await db().$queryRaw<{ now: bigint; weekAgo: bigint }[]>`
    SELECT count(*) FILTER (WHERE "heldNow") AS now, count(*) FILTER (WHERE "heldWeekAgo") AS "weekAgo" FROM (
      SELECT bool_or(status = ANY(${[...OPEN_STATUSES]}::"ExceptionStatus"[])) AS "heldNow",
        bool_or("firstSeenAt" <= ${new Date(weekAgo.getTime() - sla)}
          AND ("resolvedAt" IS NULL OR "resolvedAt" > ${weekAgo})) AS "heldWeekAgo"
      FROM "SyncException"
      WHERE routine = 'project_activation' AND "objectType" = 'Engagement' AND "legalEntityId" = ANY(${entities})
        AND "firstSeenAt" <= ${new Date(now.getTime() - sla)}
      GROUP BY "subjectExternalId") deals`;
  return { now: Number(row?.now ?? 0), weekAgo: Number(row?.weekAgo ?? 0) };
}

/** The worst p95 latency of any routine × entity over the 24 hours before `at`, from the latency rollup. */
async function worstP95(entities: string[], at: Date): Promise<number | null> {
  const cells = [...(await deliveryLatencies(entities, at, LAG_WINDOWS['24h'])).values()];
  const p95s = cells.flatMap((c) => (c.p95 === null ? [] : [c.p95]));
  return p95s.length ? Math.max(...p95s) : null;
}

/** The top strip: each figure now and a week ago. */
export async function dashboardHeadlines(options: {
  scope: DashboardScope;
  now: Date;
  slaHours: number;
}): Promise<DashboardHeadlines> {
  const { scope, now, slaHours } = options;
  const entities = entityIds(scope);
  const weekAgo = new Date(now.getTime() - WEEK);
  const [unbilled, stuckActivations, lagNow, lagThen, openNow, openThen] = await Promise.all([
    unbilledTotals({ scope, now }),
    stuckNowAndWeekAgo(entities, now, weekAgo, slaHours),
    worstP95(entities, now),
    worstP95(entities, weekAgo),
    openExceptionsNow(entities),
    openExceptionsAt(entities, weekAgo),
  ]);
  return {
    unbilled,
    stuckActivations,
    worstLagSeconds: { now: lagNow, weekAgo: lagThen },
    openExceptions: { now: openNow, weekAgo: openThen },
  };
}
