export type StatusTone = 'info' | 'success' | 'danger' | 'warning' | 'neutral';

/**
 * How a run's outcome reads to a person. A run that finished but held records as exceptions did
 * not simply succeed: it gets its own amber status, so a green badge always means "nothing to do".
 */
export function runStatusView(run: { status: string; exceptions: number }): { label: string; tone: StatusTone } {
  switch (run.status) {
    case 'running':
      return { label: 'Running', tone: 'info' };
    case 'succeeded':
      return run.exceptions > 0
        ? { label: 'Completed with exceptions', tone: 'warning' }
        : { label: 'Succeeded', tone: 'success' };
    case 'failed':
      return { label: 'Failed', tone: 'danger' };
    case 'cancelled':
      return { label: 'Cancelled', tone: 'neutral' };
    default:
      return { label: run.status, tone: 'neutral' };
  }
}

/** What "Lag" means on the runs pages. */
export const LAG_HELP =
  'Lag: how far behind the source the run was when it finished — the time between the newest source change it read and the end of the run. Blank when the run read nothing.';

/** A run's lag, or null when it read nothing (there was nothing to lag behind). */
export function shownLagSeconds(run: { recordsRead: number; lagSeconds: number | null }): number | null {
  return run.recordsRead > 0 ? run.lagSeconds : null;
}

/** "1 batch", "12 batches": a run commits its records batch by batch, so progress shows in batches. */
export function batchCount(batches: number): string {
  return `${batches.toLocaleString('en')} batch${batches === 1 ? '' : 'es'}`;
}

/** How each trigger reads. */
export const TRIGGER_LABEL: Record<string, string> = {
  schedule: 'Schedule',
  manual: 'Manual',
  webhook: 'Webhook',
  replay: 'Replay',
  event: 'Follow-up',
  reconcile: 'Reconciliation',
};
