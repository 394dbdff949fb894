import { Prisma } from '@/server/db/generated/prisma/client';
import { db } from '@/server/db/client';
import type { DashboardScope } from './dashboard-scope';
import { OPEN_STATUSES } from './dashboard-settings';
import { heldDeals } from './stuck-activations';
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

/** Exceptions open at `at`: first seen by then and not closed by then. */
async function openAt(entities: string[], at: Date, current: boolean): Promise<number> {
  const [row] = current
    ? await db().$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM "SyncException"
        WHERE status::text IN (${Prisma.join([...OPEN_STATUSES])}) AND "legalEntityId" = ANY(${entities})`
    : await db().$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM "SyncException"
        WHERE "legalEntityId" = ANY(${entities}) AND "firstSeenAt" <= ${at}
          AND ("resolvedAt" IS NULL OR "resolvedAt" > ${at})`;
  return Number(row?.n ?? 0);
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

async function worstP95(entities: string[], at: Date): Promise<number | null> {
  const [row] = await db().$queryRaw<{ worst: number | null }[]>`
    SELECT max(p95) AS worst FROM (
      SELECT round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM l."finishedAt" - l."sourceChangedAt")))::int AS p95
      FROM "LedgerEntry" l JOIN "SyncRun" r ON r.id = l."runId"
      WHERE l.outcome = 'delivered' AND l."sourceChangedAt" > ${new Date(at.getTime() - 86_400_000)}
        AND l."finishedAt" > ${new Date(at.getTime() - 86_400_000)} AND l."finishedAt" <= ${at}
        AND r."legalEntityId" = ANY(${entities})
      GROUP BY l.routine, r."legalEntityId"
    ) cells`;
  return row?.worst ?? null;
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
    openAt(entities, now, true),
    openAt(entities, weekAgo, false),
  ]);
  return {
    unbilled,
    stuckActivations: { now: stuckNow, weekAgo: stuckThen },
    worstLagSeconds: { now: lagNow, weekAgo: lagThen },
    openExceptions: { now: openNow, weekAgo: openThen },
  };
}
