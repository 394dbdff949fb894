import { db } from '@/server/db/client';
import type { DashboardScope } from './dashboard-scope';
import { deliveryLatencies } from './delivery-latency';
import { openExceptionsAt, openExceptionsNow } from './open-exceptions';
import { heldDeals } from './stuck-activations';
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

/** Deals held past the SLA at `at`: the activation exceptions first seen SLA before it and still open then. */
async function stuckAt(entities: string[], at: Date, slaHours: number): Promise<number> {
  const [row] = await db().$queryRaw<{ n: bigint }[]>`
    SELECT count(DISTINCT "externalIds"->0->>'externalId') AS n FROM "SyncException"
    WHERE routine = 'project_activation' AND "objectType" = 'Engagement' AND "legalEntityId" = ANY(${entities})
      AND "firstSeenAt" <= ${new Date(at.getTime() - slaHours * 3_600_000)}
      AND ("resolvedAt" IS NULL OR "resolvedAt" > ${at})`;
  return Number(row?.n ?? 0);
}

/** The worst p95 latency of any routine × entity over the 24 hours before `at`, from the latency rollup. */
async function worstP95(entities: string[], at: Date): Promise<number | null> {
  const cells = [...(await deliveryLatencies(entities, at, LAG_WINDOWS['24h'])).values()];
  const p95s = cells.flatMap((c) => (c.p95 === null ? [] : [c.p95]));
  return p95s.length ? Math.max(...p95s) : null;
}

/** The top strip: each figure now and a week ago . */
export async function dashboardHeadlines(options: {
  scope: DashboardScope;
  now: Date;
  slaHours: number;
}): Promise<DashboardHeadlines> {
  const { scope, now, slaHours } = options;
  const entities = entityIds(scope);
  const weekAgo = new Date(now.getTime() - WEEK);
  const [unbilled, stuckNow, stuckThen, lagNow, lagThen, openNow, openThen] = await Promise.all([
    unbilledTotals({ scope, now }),
    heldDeals(entities, now, slaHours).then((d) => d.length),
    stuckAt(entities, weekAgo, slaHours),
    worstP95(entities, now),
    worstP95(entities, weekAgo),
    openExceptionsNow(entities),
    openExceptionsAt(entities, weekAgo),
  ]);
  return {
    unbilled,
    stuckActivations: { now: stuckNow, weekAgo: stuckThen },
    worstLagSeconds: { now: lagNow, weekAgo: lagThen },
    openExceptions: { now: openNow, weekAgo: openThen },
  };
}
