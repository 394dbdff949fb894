import { Prisma } from '@/server/db/generated/prisma/client';
import { db } from '@/server/db/client';
import { OPEN_STATUSES } from './dashboard-settings';

const DAY = 86_400_000;
/** The start of the UTC day `at` is in: the ExceptionDay rollup counts whole UTC days. */
export const dayStartOf = (at: Date): Date => new Date(Math.floor(at.getTime() / DAY) * DAY);
const isoDay = (at: Date) => at.toISOString().slice(0, 10);

/** Exceptions holding their record now, from the rollup. */
export async function openExceptionsNow(entities: string[]): Promise<number> {
  const [row] = await db().$queryRaw<{ n: bigint | null }[]>`
    SELECT sum(open)::bigint AS n FROM "ExceptionDay" WHERE "legalEntityId" = ANY(${entities})`;
  return Number(row?.n ?? 0);
}

/**
 * Exceptions open at a past instant — first seen by then and not resolved by then — as those
 * first seen by then less those resolved by then (an exception is resolved after it is first
 * seen). Whole days before `at`'s day from the rollup, the part of its own day from the rows.
 */
export async function openExceptionsAt(entities: string[], at: Date): Promise<number> {
  const dayStart = dayStartOf(at);
  const [row] = await db().$queryRaw<{ n: bigint | null }[]>`
    SELECT (SELECT coalesce(sum(created - closed), 0) FROM "ExceptionDay"
             WHERE "legalEntityId" = ANY(${entities}) AND day < ${isoDay(dayStart)}::date)
         + (SELECT count(*) FROM "SyncException"
             WHERE "legalEntityId" = ANY(${entities}) AND "firstSeenAt" >= ${dayStart} AND "firstSeenAt" <= ${at})
         - (SELECT count(*) FROM "SyncException"
             WHERE "legalEntityId" = ANY(${entities}) AND "resolvedAt" >= ${dayStart} AND "resolvedAt" <= ${at}) AS n`;
  return Number(row?.n ?? 0);
}

/**
 * Open exceptions per team and age bucket on `now`. An age bucket's edges (now − 1, 7, 30 days)
 * fall inside four UTC days, and so does `now`: those days are counted from the rows, every other
 * day from the rollup, where a whole day lies in one bucket.
 */
export async function openByTeamAndAge<B extends string>(
  entities: string[],
  now: Date,
  buckets: readonly { bucket: B; newerThan: Date | null }[],
): Promise<{ team: string; bucket: B; count: bigint }[]> {
  const edges = [now, ...buckets.flatMap((b) => (b.newerThan ? [b.newerThan] : []))];
  const edgeDays = [...new Set(edges.map((e) => dayStartOf(e).getTime()))].map((t) => new Date(t));
  const bucketOf = (at: Prisma.Sql) =>
    Prisma.sql`CASE ${Prisma.join(
      buckets.map((b) =>
        b.newerThan ? Prisma.sql`WHEN ${at} > ${b.newerThan} THEN ${b.bucket}` : Prisma.sql`ELSE ${b.bucket}`,
      ),
      ' ',
    )} END`;
  return db().$queryRaw<{ team: string; bucket: B; count: bigint }[]>`
    SELECT team::text, bucket, sum(n)::bigint AS count FROM (
      SELECT team, ${bucketOf(Prisma.sql`(day::timestamp AT TIME ZONE 'UTC')`)} AS bucket, sum(open) AS n
        FROM "ExceptionDay"
       WHERE "legalEntityId" = ANY(${entities}) AND open <> 0 AND day < ${isoDay(dayStartOf(now))}::date
         AND day <> ALL(${edgeDays.map(isoDay)}::date[])
       GROUP BY 1, 2
      UNION ALL
      SELECT e.team, ${bucketOf(Prisma.sql`e."firstSeenAt"`)}, count(*)
        FROM "SyncException" e
       WHERE (${Prisma.join(
         edgeDays.map(
           (start) =>
             Prisma.sql`(e."firstSeenAt" >= ${start} AND e."firstSeenAt" < ${new Date(start.getTime() + DAY)})`,
         ),
         ' OR ',
       )})
         AND e.status::text IN (${Prisma.join([...OPEN_STATUSES])}) AND e."legalEntityId" = ANY(${entities})
         AND e."firstSeenAt" <= ${now}
       GROUP BY 1, 2
    ) x
    GROUP BY 1, 2`;
}
