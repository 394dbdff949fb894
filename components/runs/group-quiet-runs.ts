/** A run that finished cleanly having read nothing: nothing to look at, one of many webhook runs. */
export function isQuietRun(run: { status: string; recordsRead: number; exceptions: number; error: string | null }) {
  return run.status === 'succeeded' && run.recordsRead === 0 && run.exceptions === 0 && !run.error;
}

export type RunRow<T> = { kind: 'run'; run: T } | { kind: 'quiet'; runs: T[] };

/**
 * The list with each stretch of two or more consecutive quiet runs folded into one row, so the
 * runs that did something stay on the first screen.
 */
export function groupQuietRuns<T extends Parameters<typeof isQuietRun>[0]>(runs: T[]): RunRow<T>[] {
  const rows: RunRow<T>[] = [];
  let stretch: T[] = [];
  const flush = () => {
    if (stretch.length >= 2) rows.push({ kind: 'quiet', runs: stretch });
    else rows.push(...stretch.map((run) => ({ kind: 'run' as const, run })));
    stretch = [];
  };
  for (const run of runs) {
    if (isQuietRun(run)) {
      stretch.push(run);
      continue;
    }
    flush();
    rows.push({ kind: 'run', run });
  }
  flush();
  return rows;
}
