import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { listRunsByIds, type RunView } from './list-runs';

export interface RunDetail extends RunView {
  /** The ledger's records of this run by outcome (delivered, noop, exception, …), most first. */
  outcomes: { outcome: string; count: number }[];
  /** When the first and the last record of the run were settled, from the ledger. */
  firstRecordAt: Date | null;
  lastRecordAt: Date | null;
}

/** One run with what its ledger says about its records. */
export async function getRun(id: string): Promise<RunDetail> {
  const [run] = await listRunsByIds([id]);
  if (!run) throw new AppError('NOT_FOUND', 'There is no run with that id; it may have been cleaned up.');
  const grouped = await db().ledgerEntry.groupBy({
    by: ['outcome'],
    where: { runId: id },
    _count: { _all: true },
    _min: { startedAt: true },
    _max: { finishedAt: true },
  });
  const starts = grouped.map((g) => g._min.startedAt).filter((d): d is Date => d !== null);
  const ends = grouped.map((g) => g._max.finishedAt).filter((d): d is Date => d !== null);
  return {
    ...run,
    outcomes: grouped
      .map((g) => ({ outcome: g.outcome, count: g._count._all }))
      .sort((a, b) => b.count - a.count || a.outcome.localeCompare(b.outcome)),
    firstRecordAt: starts.length ? new Date(Math.min(...starts.map((d) => d.getTime()))) : null,
    lastRecordAt: ends.length ? new Date(Math.max(...ends.map((d) => d.getTime()))) : null,
  };
}
