import type { RoutineName } from '@/server/domain/routines';
import type { RetryPolicy } from './retry';

/** `event`: requested by another routine's delivery (a deal activated → its change orders).
 *  `reconcile`: the nightly re-scan of the last days, for changes the watermark passed by. */
export const RUN_TRIGGERS = ['schedule', 'manual', 'webhook', 'replay', 'event', 'reconcile'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export interface RunRoutineOptions {
  routine: RoutineName;
  /** The source connection the routine reads. */
  connectionId: string;
  legalEntityId: string;
  trigger: RunTrigger;
  /** Records per batch (one journal commit each); the routine's schedule setting by default. */
  batchSize?: number;
  retryPolicy?: RetryPolicy;
  /** Technical failures in a row that stop the run (CIRCUIT_BREAKER_FAILURES by default). */
  circuitBreakerFailures?: number;
  /** Stops between batches (graceful shutdown); what was committed stays committed. */
  signal?: AbortSignal;
}

export interface RunSummary {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  recordsRead: number;
  /** Source pages committed, one transaction each. */
  batches: number;
  delivered: number;
  noop: number;
  exceptions: number;
  durationMs: number;
  /** now − the newest source change the run reached, when it read anything. */
  lagMs: number | null;
  error: string | null;
}
