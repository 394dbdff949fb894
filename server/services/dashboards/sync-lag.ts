import { db } from '@/server/db/client';
import { ROUTINE_FACTS, ROUTINES, type RoutineName } from '@/server/domain/routines';
import type { DashboardScope } from './dashboard-scope';
import { LAG_TARGET_SECONDS } from './dashboard-settings';
import { deliveryLatencies } from './delivery-latency';
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
  /**
   * Source change → target confirmed, in whole seconds, over the records changed and delivered in
   * the window (its start rounded down to the hour).
   */
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

/**
 * Every routine × entity of the scope: freshness from the watermarks, latency from the
 * DeliveryLatency rollup, backlog from the ExceptionDay rollup, and each cell's last run (one
 * index probe per cell) — no scan of the ledger or the exceptions.
 */
export async function lagFigures(entities: string[], now: Date, window: LagWindow): Promise<LagFigures[]> {
  const [rows, latency] = await Promise.all([
    db().$queryRaw<(Omit<LagFigures, 'delivered' | 'backlog' | 'p50Seconds' | 'p95Seconds'> & { backlog: bigint })[]>`
      WITH cells AS (
        SELECT r.routine, e.id AS "legalEntityId"
        FROM unnest(${[...ROUTINES]}::text[]) AS r(routine) CROSS JOIN unnest(${entities}::text[]) AS e(id)
      ), marks AS (
        SELECT routine::text, "legalEntityId", max("updatedAt") AS at FROM "Watermark"
        WHERE "legalEntityId" = ANY(${entities}) GROUP BY 1, 2
      ), held AS (
        SELECT routine::text, "legalEntityId", sum(open) AS backlog FROM "ExceptionDay"
        WHERE "legalEntityId" = ANY(${entities}) GROUP BY 1, 2
      )
      SELECT c.routine, c."legalEntityId",
        CASE WHEN m.at IS NULL THEN NULL ELSE greatest(0, floor(extract(epoch FROM ${now}::timestamptz - m.at)))::int END AS "freshnessSeconds",
        coalesce(h.backlog, 0)::bigint AS backlog, lr."startedAt" AS "lastRunAt", lr.status AS "lastRunStatus"
      FROM cells c
      LEFT JOIN marks m USING (routine, "legalEntityId")
      LEFT JOIN held h USING (routine, "legalEntityId")
      LEFT JOIN LATERAL (
        SELECT "startedAt", status FROM "SyncRun" s
        WHERE s.routine = c.routine::"Routine" AND s."legalEntityId" = c."legalEntityId" AND s."startedAt" <= ${now}
        ORDER BY s."startedAt" DESC LIMIT 1
      ) lr ON true`,
    deliveryLatencies(entities, now, LAG_WINDOWS[window]),
  ]);
  return rows.map((r) => {
    const l = latency.get(`${r.routine}|${r.legalEntityId}`);
    return {
      ...r,
      p50Seconds: l?.p50 ?? null,
      p95Seconds: l?.p95 ?? null,
      delivered: l?.count ?? 0,
      backlog: Number(r.backlog),
    };
  });
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
