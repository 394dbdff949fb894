import type { Connector } from '@/server/connectors/connector';

export interface ReadWindow {
  /** The cursor the run's first read of the object type starts from. */
  start: string | null;
  /** The cursor to keep as the watermark once the read has reached `next`. */
  keep(next: string | null): string | null;
}

/**
 * Where a run reads one object type from. A source can make a change visible after a read has
 * passed its time (a save whose commit lands late), so each read starts `overlapMs` before the
 * watermark, and a reconciliation further back, from `rescanFrom`. What is read again is a no-op
 * by content hash. While the read is still behind the watermark, the watermark stays: it never
 * moves back.
 */
export function readWindow(
  source: Connector,
  objectType: string,
  saved: string | null,
  options: { overlapMs: number; rescanFrom: Date | null },
): ReadWindow {
  const unchanged: ReadWindow = { start: saved, keep: (next) => next };
  // Never read: a first read starts from the beginning anyway.
  if (saved === null) return unchanged;
  const reached = source.cursorTime(objectType, saved).getTime();
  const from = Math.min(reached - options.overlapMs, options.rescanFrom?.getTime() ?? Infinity);
  if (!(from < reached)) return unchanged;
  const start = source.rewind(objectType, saved, new Date(from));
  if (start === saved) return unchanged;
  return {
    start,
    keep: (next) => (next !== null && source.cursorTime(objectType, next).getTime() > reached ? next : saved),
  };
}
