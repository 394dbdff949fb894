import type { ActionName, TickReport } from './activity-simulator';

const ACTION_WORDS: Record<ActionName, string> = {
  closeDeal: 'deals won',
  approveTime: 'time approvals',
  completeMilestone: 'milestones completed',
  payInvoice: 'invoices paid',
};

/**
 * Folds the simulator's ticks into one line per period, so a terminal shared with the console's
 * own messages is not flooded with four lines every few seconds.
 */
export interface ActivitySummary {
  record(report: TickReport): void;
  /** The line for the ticks recorded since the last one, or null when there were none. */
  take(): string | null;
}

export function createActivitySummary(): ActivitySummary {
  let ticks = 0;
  let counts = new Map<ActionName, { ok: number; failed: number }>();
  let lastFailure: string | null = null;
  return {
    record(report) {
      ticks++;
      for (const outcome of report.outcomes) {
        const count = counts.get(outcome.action) ?? { ok: 0, failed: 0 };
        if (outcome.ok) count.ok++;
        else {
          count.failed++;
          lastFailure = `${outcome.action}: ${outcome.detail}`;
        }
        counts.set(outcome.action, count);
      }
    },
    take() {
      if (ticks === 0) return null;
      const parts = [...counts].map(
        ([action, { ok, failed }]) => `${ok} ${ACTION_WORDS[action]}${failed ? ` (${failed} failed)` : ''}`,
      );
      const line = `simulator: ${ticks} rounds: ${parts.join(', ')}${lastFailure ? `; last failure: ${lastFailure}` : ''}`;
      ticks = 0;
      counts = new Map();
      lastFailure = null;
      return line;
    },
  };
}
