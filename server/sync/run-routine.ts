import { db } from '@/server/db/client';
import { connectorFor } from '@/server/services/connections/connections';
import { logger } from '@/server/logger';
import { BatchJournal } from './pipeline/batch-journal';
import { Deliverer } from './pipeline/deliverer';
import { DEFAULT_RETRY_POLICY } from './retry';
import type { RunScope } from './routine-definition';
import { ROUTINE_DEFINITIONS } from './routines/registry';
import type { RunRoutineOptions, RunSummary } from './run-types';

const DEFAULT_BATCH_SIZE = 500;

/** Cursor per source object type, kept as one watermark per routine × connection × entity. */
type Cursors = Record<string, string | null>;

/**
 * Runs one routine for one source connection and legal entity: reads what changed since the
 * watermark in batches, lets the routine process each batch, and commits each batch's journal
 * (outcomes, deliveries, exceptions, watermark and run counts) in one transaction.
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
    };
    const prepared = await definition.prepare(scope);
    const key = { routine: options.routine, connectionId: options.connectionId, legalEntityId: options.legalEntityId };
    const saved = await db().watermark.findUnique({ where: { routine_connectionId_legalEntityId: key } });
    const cursors: Cursors = saved?.cursor ? (JSON.parse(saved.cursor) as Cursors) : {};

    outer: for (const source of prepared.sources) {
      for (;;) {
        if (options.signal?.aborted) {
          status = 'cancelled';
          break outer;
        }
        const page = await scope.source.pull(source.objectType, cursors[source.objectType] ?? null, batchSize, source.filter);
        if (page.records.length === 0) break;
        const journal = new BatchJournal();
        await prepared.processBatch(page.records, journal, new Deliverer(options.routine, journal, scope.retryPolicy));
        cursors[source.objectType] = page.nextCursor;
        journal.watermark = { ...key, cursor: JSON.stringify(cursors), sourceTime: new Date(page.records.at(-1)!.changedAt) };
        await journal.commit();
        log.debug({ objectType: source.objectType, records: page.records.length, ...journal.counts() }, 'batch committed');
        if (!page.hasMore) break;
      }
    }
  } catch (err) {
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
    delivered: finished.delivered,
    noop: finished.noop,
    exceptions: finished.exceptions,
    durationMs: Date.now() - started,
    lagMs,
    error,
  };
}
