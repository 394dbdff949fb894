import { z } from 'zod';
import type { Connector, PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { SYSTEMS } from '@/server/domain/canonical/canonical-record';
import type { RoutineName } from '@/server/domain/routines';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { connectorFor } from '@/server/services/connections/connections';
import { BatchJournal } from '@/server/sync/pipeline/batch-journal';
import { Deliverer, type WriteSink } from '@/server/sync/pipeline/deliverer';
import { DryRunSink, type PlannedAction, type PlannedWrite } from '@/server/sync/pipeline/dry-run-sink';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '@/server/sync/retry';
import { ROUTINE_DEFINITIONS } from '@/server/sync/routines/registry';

/** What an exception holds to be replayed: the source record as it was read, and where from. */
const heldMessageSchema = z.object({
  connectionId: z.uuid(),
  legalEntityId: z.string(),
  sourceSystem: z.enum(SYSTEMS),
  record: z.object({
    objectType: z.string(),
    externalId: z.string(),
    changedAt: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
});

/**
 * delivered: written now; noop: every write was made before; superseded: the record has moved on
 * at the source (billed since, a status further along, deleted) and nothing is written;
 * exception: it fails again.
 */
export type ReplayOutcomeKind = 'delivered' | 'noop' | 'superseded' | 'exception';

export interface ReplayOutcome {
  exceptionId: string;
  outcome: ReplayOutcomeKind;
  reason: string | null;
  resolved: boolean;
}

export interface DryRunPlan {
  /** Per target system and object type: how many of each action. */
  summary: { system: string; objectType: string; action: PlannedAction; count: number }[];
  writes: PlannedWrite[];
  outcomes: { exceptionId: string; outcome: ReplayOutcomeKind; reason: string | null }[];
}

const REPLAYABLE: readonly string[] = ['open', 'assigned', 'in_progress'];

async function heldMessages(ids: readonly string[]) {
  const exceptions = await db().syncException.findMany({ where: { id: { in: [...ids] } } });
  if (exceptions.length !== new Set(ids).size) throw new AppError('NOT_FOUND', 'Some exceptions do not exist.');
  const closed = exceptions.filter((e) => !REPLAYABLE.includes(e.status));
  if (closed.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Only open exceptions are replayed; ${closed.map((e) => `${e.id} is ${e.status}`).join(', ')}.`,
    );
  }
  const groups = new Map<
    string,
    {
      routine: RoutineName;
      connectionId: string;
      legalEntityId: string;
      items: { id: string; correlationId: string; held: PulledRecord }[];
    }
  >();
  for (const exception of exceptions) {
    const held = heldMessageSchema.safeParse(exception.payload);
    if (!held.success) throw new AppError('CONFLICT', `Exception ${exception.id} holds no replayable message.`);
    const key = `${exception.routine}|${held.data.connectionId}|${held.data.legalEntityId}`;
    const group = groups.get(key) ?? {
      routine: exception.routine,
      connectionId: held.data.connectionId,
      legalEntityId: held.data.legalEntityId,
      items: [],
    };
    group.items.push({ id: exception.id, correlationId: exception.correlationId, held: held.data.record });
    groups.set(key, group);
  }
  return [...groups.values()];
}

const recordKey = (record: { objectType: string; externalId: string }) => `${record.objectType}|${record.externalId}`;

/** The held records as their source holds them today, one read per object type; gone ones are absent. */
async function readToday(source: Connector, held: readonly PulledRecord[]): Promise<Map<string, PulledRecord>> {
  const idsByType = new Map<string, string[]>();
  for (const record of held)
    idsByType.set(record.objectType, [...(idsByType.get(record.objectType) ?? []), record.externalId]);
  const today = new Map<string, PulledRecord>();
  for (const [objectType, ids] of idsByType) {
    for (const record of await source.readCurrent(objectType, ids)) today.set(recordKey(record), record);
  }
  return today;
}

/**
 * Runs the held records through their routine again as their source holds them today, with
 * today's rules and mappings; a record gone from the source, or moved on since, is superseded
 * and not run. Every write derives the same idempotency key as before, so a replay can never
 * create a second record.
 */
async function replayGroup<Sink extends WriteSink>(
  group: Awaited<ReturnType<typeof heldMessages>>[number],
  sinkFor: (journal: BatchJournal) => Sink,
  retryPolicy: RetryPolicy,
) {
  const definition = ROUTINE_DEFINITIONS[group.routine];
  const source = await connectorFor(group.connectionId);
  const today = await readToday(
    source,
    group.items.map((i) => i.held),
  );
  const superseded = new Map<string, string>();
  const records: PulledRecord[] = [];
  for (const item of group.items) {
    const current = today.get(recordKey(item.held));
    const movedOn = current ? definition.movedOn?.(item.held, current) : 'deleted at the source';
    if (movedOn) superseded.set(item.id, movedOn);
    else if (current) records.push(current);
  }
  const journal = new BatchJournal();
  const sink = sinkFor(journal);
  if (records.length > 0) {
    const prepared = await definition.prepare({
      runId: null,
      routine: group.routine,
      connectionId: group.connectionId,
      legalEntityId: group.legalEntityId,
      source,
      retryPolicy,
    });
    await prepared.processBatch(records, journal, sink);
  }
  const bySource = new Map(journal.ledger.map((row) => [recordKey(row.source), row]));
  const outcomes = group.items.map((item): DryRunPlan['outcomes'][number] => {
    const reason = superseded.get(item.id);
    if (reason) return { exceptionId: item.id, outcome: 'superseded', reason };
    const row = bySource.get(recordKey(item.held));
    if (!row) return { exceptionId: item.id, outcome: 'exception', reason: null };
    // A no-op for any reason but an earlier delivery: the record no longer asks for a write.
    const outcome = row.outcome === 'noop' && !row.alreadyDelivered ? 'superseded' : row.outcome;
    return { exceptionId: item.id, outcome, reason: row.reason ?? null };
  });
  return { journal, outcomes, sink };
}

/** What replaying these exceptions would create, update or leave alone in each target — nothing is written. */
export async function dryRunReplay(input: { exceptionIds: string[] }): Promise<DryRunPlan> {
  const plan: DryRunPlan = { summary: [], writes: [], outcomes: [] };
  for (const group of await heldMessages(input.exceptionIds)) {
    const { outcomes, sink } = await replayGroup(group, () => new DryRunSink(group.routine), DEFAULT_RETRY_POLICY);
    plan.outcomes.push(...outcomes);
    plan.writes.push(...sink.planned);
  }
  const counts = new Map<string, DryRunPlan['summary'][number]>();
  for (const w of plan.writes) {
    const key = `${w.system}|${w.objectType}|${w.action}`;
    const entry = counts.get(key) ?? { system: w.system, objectType: w.objectType, action: w.action, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  plan.summary = [...counts.values()];
  return plan;
}

/**
 * Replays, records every outcome, and resolves the exceptions whose record now goes through or
 * has moved on (superseded, with the reason in the exception's history).
 */
export async function replayExceptions(
  input: { exceptionIds: string[]; retryPolicy?: RetryPolicy },
  context: AuditContext,
): Promise<ReplayOutcome[]> {
  const results: ReplayOutcome[] = [];
  for (const group of await heldMessages(input.exceptionIds)) {
    const { journal, outcomes } = await replayGroup(
      group,
      (j) => new Deliverer(group.routine, j, input.retryPolicy ?? DEFAULT_RETRY_POLICY),
      input.retryPolicy ?? DEFAULT_RETRY_POLICY,
    );
    await journal.commit();
    await db().$transaction(async (tx) => {
      for (const outcome of outcomes) {
        const resolved = outcome.outcome !== 'exception';
        const superseded = outcome.outcome === 'superseded';
        const resolution = superseded ? `superseded: ${outcome.reason}` : `replayed: ${outcome.outcome}`;
        const before = await tx.syncException.findUniqueOrThrow({ where: { id: outcome.exceptionId } });
        if (resolved && REPLAYABLE.includes(before.status)) {
          await tx.syncException.update({
            where: { id: outcome.exceptionId },
            data: { status: 'resolved', resolvedAt: new Date(), resolution },
          });
        }
        await tx.exceptionEvent.create({
          data: {
            exceptionId: outcome.exceptionId,
            actorId: context.actor.id,
            type: superseded ? 'superseded' : 'replayed',
            note: outcome.reason,
            data: { outcome: outcome.outcome },
          },
        });
        await appendAuditEvent(tx, {
          ...context,
          action: 'exception.replayed',
          target: { type: 'SyncException', id: outcome.exceptionId },
          before: { status: before.status },
          after: {
            status: resolved ? 'resolved' : before.status,
            outcome: outcome.outcome,
            reason: outcome.reason,
            ...(resolved ? { resolution } : {}),
          },
        });
        results.push({ ...outcome, resolved });
      }
    });
  }
  return results;
}
