import { env } from '@/env';
import { db } from '@/server/db/client';
import { connectorFor } from '@/server/services/connections/connections';
import { logger } from '@/server/logger';
import { BatchJournal } from './pipeline/batch-journal';
import { CircuitBreaker } from './pipeline/circuit-breaker';
import { Deliverer } from './pipeline/deliverer';
import { unaccountedRecords } from './pipeline/record-accounting';
import { readWindow } from './read-window';
import { DEFAULT_RETRY_POLICY } from './retry';
import type { RoutineSource, RunScope } from './routine-definition';
import { ROUTINE_DEFINITIONS } from './routines/registry';
import { withUncommittedBatches } from './canonical-store';
import type { RunRoutineOptions, RunSummary } from './run-types';

const DEFAULT_BATCH_SIZE = 500;
const DAY_MS = 86_400_000;

/** Cursor per source object type, kept as one watermark per routine × connection × entity. */
type Cursors = Record<string, string | null>;

/**
 * Runs one routine for one source connection and legal entity: reads what changed since the
 * watermark in batches — starting a little before it, or days before it for a reconciliation
 * (read-window.ts) — lets the routine process each batch, and commits each batch's journal
 * (outcomes, deliveries, exceptions, watermark and run counts) in one transaction. Reading,
 * processing and committing overlap across consecutive batches (see below). Every record read
 * must end with one outcome, or the run fails naming it.
 */
export async function runRoutine(options: RunRoutineOptions): Promise<RunSummary> {
  const definition = ROUTINE_DEFINITIONS[options.routine];
  const started = Date.now();
  const run = await db().syncRun.create({
    data: {
      routine: options.routine,
      connectionId: options.connectionId,
      legalEntityId: options.legalEntityId,
      trigger: options.trigger,
      status: 'running',
    },
  });
  const log = logger.child({ runId: run.id, routine: options.routine, legalEntityId: options.legalEntityId });
  let status: RunSummary['status'] = 'succeeded';
  let error: string | null = null;
  let committing: { journal: BatchJournal; done: Promise<void> } | null = null;
  // Timings in the debug log show which stage a run waits on: the source, the targets or the database.
  const commitBatch = (
    journal: BatchJournal,
    batch: { objectType: string; records: number; readWaitMs: number; processMs: number; commitWaitMs: number },
  ) => {
    const commitStarted = performance.now();
    const done = journal.commit().then(() => {
      const commitMs = Math.round(performance.now() - commitStarted);
      log.debug({ ...batch, ...journal.counts(), commitMs }, 'batch committed');
    });
    // Observed at once so that a failure waiting for its turn is not reported as unhandled.
    done.catch(() => undefined);
    return done;
  };
  try {
    const schedule = await db().routineSchedule.findUnique({ where: { routine: options.routine } });
    const batchSize = options.batchSize ?? schedule?.batchSize ?? DEFAULT_BATCH_SIZE;
    const scope: RunScope = {
      runId: run.id,
      routine: options.routine,
      connectionId: options.connectionId,
      legalEntityId: options.legalEntityId,
      source: await connectorFor(options.connectionId),
      retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
      breaker: new CircuitBreaker(options.circuitBreakerFailures ?? env.CIRCUIT_BREAKER_FAILURES),
    };
    const prepareStarted = performance.now();
    const prepared = await definition.prepare(scope);
    log.debug({ prepareMs: Math.round(performance.now() - prepareStarted) }, 'routine prepared');
    const key = { routine: options.routine, connectionId: options.connectionId, legalEntityId: options.legalEntityId };
    const saved = await db().watermark.findUnique({ where: { routine_connectionId_legalEntityId: key } });
    const cursors: Cursors = saved?.cursor ? (JSON.parse(saved.cursor) as Cursors) : {};
    // The newest source change reached so far; batches read again from before it do not lower it.
    let sourceTime = saved?.sourceTime ?? null;
    const window = {
      overlapMs: env.READ_OVERLAP_SECONDS * 1000,
      rescanFrom: options.trigger === 'reconcile' ? new Date(Date.now() - env.RECONCILE_LOOKBACK_DAYS * DAY_MS) : null,
    };

    const pull = (objectType: string, cursor: string | null, filter: RoutineSource['filter']) => {
      const page = scope.source.pull(objectType, cursor, batchSize, filter);
      // A read started ahead may end up unused (a cancelled or failed run): its failure is no news then.
      page.catch(() => undefined);
      return page;
    };

    // Three stages overlap: batch N is committed while batch N+1 is processed (delivered) and
    // page N+2 is read. Commits still run one at a time and in order, so the watermark only moves
    // forward and a failed commit stops the run before any later batch is committed. Batch N+1
    // sees batch N's deliveries and canonical records (Deliverer, loadCanonical) as if committed.
    outer: for (const source of prepared.sources) {
      const read = readWindow(scope.source, source.objectType, cursors[source.objectType] ?? null, window);
      let next = pull(source.objectType, read.start, source.filter);
      for (;;) {
        if (options.signal?.aborted) {
          status = 'cancelled';
          break outer;
        }
        const readStarted = performance.now();
        const page = await next;
        const readWaitMs = Math.round(performance.now() - readStarted);
        if (page.records.length === 0) break;
        if (page.hasMore) next = pull(source.objectType, page.nextCursor, source.filter);
        const journal = new BatchJournal();
        journal.run = { id: run.id, recordsRead: page.records.length, batches: 1 };
        const earlier = committing ? [committing.journal] : [];
        const processStarted = performance.now();
        await withUncommittedBatches(earlier, () =>
          prepared.processBatch(
            page.records,
            journal,
            new Deliverer(options.routine, journal, scope.retryPolicy, earlier),
          ),
        );
        const processMs = Math.round(performance.now() - processStarted);
        const unaccounted = unaccountedRecords(page.records, journal.ledger);
        if (!unaccounted) {
          cursors[source.objectType] = read.keep(page.nextCursor);
          const newest = Math.max(...page.records.map((r) => Date.parse(r.changedAt)));
          if (!sourceTime || newest > sourceTime.getTime()) sourceTime = new Date(newest);
          journal.watermark = { ...key, cursor: JSON.stringify(cursors), sourceTime };
        }
        const commitWaitStarted = performance.now();
        await committing?.done;
        const commitWaitMs = Math.round(performance.now() - commitWaitStarted);
        const batch = {
          objectType: source.objectType,
          records: page.records.length,
          readWaitMs,
          processMs,
          commitWaitMs,
        };
        committing = { journal, done: commitBatch(journal, batch) };
        if (unaccounted) {
          // What the batch did is kept, the watermark stays before the records it lost, and the
          // run stops: the next one reads them again.
          await committing.done;
          throw new Error(`${unaccounted} The watermark stays before them.`);
        }
        if (!page.hasMore) break;
      }
    }
    await committing?.done;
    if (prepared.settle && status === 'succeeded') {
      await prepared.settle(async (work) => {
        const journal = new BatchJournal();
        await work(journal, new Deliverer(options.routine, journal, scope.retryPolicy));
        // What settle read again (lines whose rate changed) counts as read by the run.
        journal.run = { id: run.id, recordsRead: journal.ledger.length, batches: 0 };
        await journal.commit();
      });
    }
  } catch (err) {
    // A commit still running belongs to a batch that was processed in full: let it finish.
    await committing?.done.catch(() => undefined);
    status = 'failed';
    error = err instanceof Error ? err.message : String(err);
    log.error({ err }, 'routine run failed');
  }

  const watermark = await db().watermark.findUnique({
    where: {
      routine_connectionId_legalEntityId: {
        routine: options.routine,
        connectionId: options.connectionId,
        legalEntityId: options.legalEntityId,
      },
    },
  });
  const lagMs = watermark?.sourceTime ? Math.max(0, Date.now() - watermark.sourceTime.getTime()) : null;
  const lagSeconds = lagMs === null ? null : Math.round(lagMs / 1000);
  const finished = await db().syncRun.update({
    where: { id: run.id },
    data: { status, finishedAt: new Date(), error, lagSeconds },
  });
  return {
    runId: run.id,
    status,
    recordsRead: finished.recordsRead,
    batches: finished.batches,
    delivered: finished.delivered,
    noop: finished.noop,
    exceptions: finished.exceptions,
    durationMs: Date.now() - started,
    lagMs,
    error,
  };
}
