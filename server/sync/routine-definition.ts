import type { Connector, PulledRecord, PullFilter } from '@/server/connectors/connector';
import type { RoutineName } from '@/server/domain/routines';
import type { RetryPolicy } from './retry';
import type { CircuitBreaker } from './pipeline/circuit-breaker';
import type { BatchJournal } from './pipeline/batch-journal';
import type { WriteSink } from './pipeline/deliverer';

/** What a routine sees of the run it is part of. */
export interface RunScope {
  runId: string | null;
  routine: RoutineName;
  connectionId: string;
  legalEntityId: string;
  source: Connector;
  retryPolicy: RetryPolicy;
  /** Stops the run on a systemic failure; absent where a caller handles records one by one. */
  breaker?: CircuitBreaker;
}

/** One source object type a routine reads, and how to narrow it to the run's legal entity. */
export interface RoutineSource {
  objectType: string;
  filter?: PullFilter;
}

/**
 * A routine: where it reads and what it does with a batch. The runner owns pulling, watermarks,
 * batching, the run record and commits; the routine maps, validates, checks ownership, plans and
 * delivers each record, writing every outcome to the batch journal.
 */
export interface PreparedRoutine {
  sources: RoutineSource[];
  processBatch(records: PulledRecord[], journal: BatchJournal, deliverer: WriteSink): Promise<void>;
  /**
   * What follows the run's committed batches, once the last one is in: writes that must wait until
   * a delivery is on record (a billing reference written back onto the source record, which takes
   * the record out of what the source is read for) and records the routine reads for itself. Its
   * journal is committed like a batch's; what it leaves undone the next run's settle takes up.
   */
  settle?(batch: SettleBatch): Promise<void>;
}

/**
 * Runs one part of a settle with a journal and writes of its own, and commits them: settle's work
 * grows with the run (a billing reference per line billed), so it is committed a part at a time
 * rather than held whole until the end.
 */
export type SettleBatch = (work: (journal: BatchJournal, deliverer: WriteSink) => Promise<void>) => Promise<void>;

export interface RoutineDefinition {
  name: RoutineName;
  /** Loads what the whole run needs once (reference data, mappings, rules, target connectors). */
  prepare(scope: RunScope): Promise<PreparedRoutine>;
  /**
   * For a replay: why the record as the source holds it today has moved on from the one held with
   * the exception, so that the exception is superseded and nothing is written; null when it has
   * not. Only for what the record alone cannot tell (eligibility is judged by processBatch).
   */
  movedOn?(held: PulledRecord, current: PulledRecord): string | null;
}
