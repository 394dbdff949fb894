import { Prisma } from '@/server/db/generated/prisma/client';
import { db } from '@/server/db/client';
import { ROUTINE_FACTS, ROUTINES, type RoutineName } from '@/server/domain/routines';
import type { DashboardScope } from './dashboard-scope';
import { LAG_TARGET_SECONDS, OPEN_STATUSES } from './dashboard-settings';
import { entityIds } from './scoped-dashboard';

export const LAG_WINDOWS = { '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000 } as const;
export type LagWindow = keyof typeof LAG_WINDOWS;

/** Where a cell stands against its routine's target; said in words as well as colour. */
export type LagStanding = 'within' | 'behind' | 'far_behind' | 'no_data';

export interface SyncLagCell {
  routine: RoutineName;
  routineLabel: string;
  legalEntityId: string;
  entityName: string;
  targetSeconds: number;
  /** now − when the routine's watermark for this entity last advanced. */
  freshnessSeconds: number | null;
  /** Source change → target confirmed, over the window's delivered records. */
  p50Seconds: number | null;
  p95Seconds: number | null;
  delivered: number;
  /** Records held by open exceptions, waiting to go through. */
  backlog: number;
  lastRunAt: Date | null;
  lastRunStatus: string | null;
  standing: LagStanding;
}

export interface LagFigures {
  routine: RoutineName;
  legalEntityId: string;
  freshnessSeconds: number | null;
  p50Seconds: number | null;
  p95Seconds: number | null;
  delivered: number;
  backlog: number;
  lastRunAt: Date | null;
  lastRunStatus: string | null;
}

/** Every routine × entity of the scope, its figures straight from watermarks, ledger, runs and exceptions. */
export async function lagFigures(entities: string[], now: Date, window: LagWindow): Promise<LagFigures[]> {
  const since = new Date(now.getTime() - LAG_WINDOWS[window]);
  const rows = await db().$queryRaw<
    (Omit<LagFigures, 'delivered' | 'backlog'> & { delivered: bigint; backlog: bigint })[]
  >`
    WITH cells AS (
      SELECT r.routine, e.id AS "legalEntityId"
      FROM unnest(${[...ROUTINES]}::text[]) AS r(routine) CROSS JOIN unnest(${entities}::text[]) AS e(id)
    ), marks AS (
      SELECT routine::text, "legalEntityId", max("updatedAt") AS at FROM "Watermark"
      WHERE "legalEntityId" = ANY(${entities}) GROUP BY 1, 2
    ), latency AS (
      SELECT l.routine::text, r."legalEntityId", count(*) AS delivered,
        round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM l."finishedAt" - l."sourceChangedAt")))::int AS p50,
        round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM l."finishedAt" - l."sourceChangedAt")))::int AS p95
      FROM "LedgerEntry" l JOIN "SyncRun" r ON r.id = l."runId"
      WHERE l.outcome = 'delivered' AND l."sourceChangedAt" > ${since}
        AND l."finishedAt" > ${since} AND l."finishedAt" <= ${now} AND r."legalEntityId" = ANY(${entities})
      GROUP BY 1, 2
    ), held AS (
      SELECT routine::text, "legalEntityId", count(*) AS backlog FROM "SyncException"
      WHERE status::text IN (${Prisma.join([...OPEN_STATUSES])}) AND "legalEntityId" = ANY(${entities})
      GROUP BY 1, 2
    ), last_run AS (
      SELECT DISTINCT ON (routine, "legalEntityId") routine::text, "legalEntityId", "startedAt", status
      FROM "SyncRun" WHERE "legalEntityId" = ANY(${entities}) AND "startedAt" <= ${now}
      ORDER BY routine, "legalEntityId", "startedAt" DESC
    )
    SELECT c.routine, c."legalEntityId",
      CASE WHEN m.at IS NULL THEN NULL ELSE greatest(0, floor(extract(epoch FROM ${now}::timestamptz - m.at)))::int END AS "freshnessSeconds",
      lt.p50 AS "p50Seconds", lt.p95 AS "p95Seconds", coalesce(lt.delivered, 0) AS delivered,
      coalesce(h.backlog, 0) AS backlog, lr."startedAt" AS "lastRunAt", lr.status AS "lastRunStatus"
    FROM cells c
    LEFT JOIN marks m USING (routine, "legalEntityId")
    LEFT JOIN latency lt USING (routine, "legalEntityId")
    LEFT JOIN held h USING (routine, "legalEntityId")
    LEFT JOIN last_run lr USING (routine, "legalEntityId")`;
  return rows.map((r) => ({ ...r, delivered: Number(r.delivered), backlog: Number(r.backlog) }));
}

/** Within the target, behind (up to twice it), or far behind, by the worse of freshness and p95 latency. */
export function lagStanding(target: number, freshness: number | null, p95: number | null): LagStanding {
  const worst = Math.max(freshness ?? -1, p95 ?? -1);
  if (worst < 0) return 'no_data';
  if (worst <= target) return 'within';
  return worst <= 2 * target ? 'behind' : 'far_behind';
}

export async function syncLag(options: {
  scope: DashboardScope;
  now: Date;
  window: LagWindow;
}): Promise<SyncLagCell[]> {
  const { scope, now, window } = options;
  const figures = await lagFigures(entityIds(scope), now, window);
  const cellOf = new Map(figures.map((f) => [`${f.routine}|${f.legalEntityId}`, f]));
  return ROUTINES.flatMap((routine) =>
    scope.entities.map((entity) => {
      const f = cellOf.get(`${routine}|${entity.id}`)!;
      const targetSeconds = LAG_TARGET_SECONDS[routine];
      return {
        ...f,
        routine,
        routineLabel: ROUTINE_FACTS[routine].label,
        entityName: entity.name,
        targetSeconds,
        standing: lagStanding(targetSeconds, f.freshnessSeconds, f.p95Seconds),
      };
    }),
  );
}
