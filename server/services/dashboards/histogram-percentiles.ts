import { Prisma } from '@/server/db/generated/prisma/client';
import { db } from '@/server/db/client';

export interface CellPercentiles {
  count: number;
  p50: number | null;
  p95: number | null;
}

/**
 * The value at rank `k` (0-based) of a cell's sorted values, from cumulative counts: the least
 * value whose running count passes k.
 */
const atRank = (rank: Prisma.Sql) => Prisma.sql`min(seconds) FILTER (WHERE upto > ${rank})`;

/**
 * percentile_cont(p) from (cell, seconds, count) rows, as PostgreSQL computes it over the values
 * themselves: the two ranks around p × (n − 1), interpolated in double precision, then rounded.
 * So a histogram of whole seconds gives exactly what percentile_cont gives over those seconds.
 */
function percentile(p: number) {
  const pos = Prisma.sql`(${p}::float8 * (total - 1))`;
  const lo = atRank(Prisma.sql`floor(${pos})`);
  const hi = atRank(Prisma.sql`ceil(${pos})`);
  return Prisma.sql`round(${lo}::float8 + (${hi} - ${lo})::float8 * max(${pos} - floor(${pos})))::int`;
}

/**
 * p50 and p95 per cell of a histogram query returning (cell, seconds int, n) rows; a cell × seconds
 * may come in several rows (running counts in row order find the same ranks), which spares
 * grouping them first.
 */
export async function histogramPercentiles(counts: Prisma.Sql): Promise<Map<string, CellPercentiles>> {
  const rows = await db().$queryRaw<{ cell: string; total: bigint; p50: number | null; p95: number | null }[]>`
    WITH counts AS (${counts}), ranked AS (
      SELECT cell, seconds, sum(n) OVER (PARTITION BY cell ORDER BY seconds ROWS UNBOUNDED PRECEDING) AS upto,
             sum(n) OVER (PARTITION BY cell) AS total
        FROM counts WHERE n > 0
    )
    SELECT cell::text, max(total)::bigint AS total, ${percentile(0.5)} AS p50, ${percentile(0.95)} AS p95
      FROM ranked GROUP BY cell`;
  return new Map(rows.map((r) => [r.cell, { count: Number(r.total), p50: r.p50, p95: r.p95 }]));
}
