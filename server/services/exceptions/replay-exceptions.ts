import { z } from 'zod';
import type { PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { SYSTEMS } from '@/server/domain/canonical/canonical-record';
import type { RoutineName } from '@/server/domain/routines';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { connectorFor } from '@/server/services/connections/connections';
import { BatchJournal } from '@/server/sync/pipeline/batch-journal';
import { Deliverer } from '@/server/sync/pipeline/deliverer';
import { DryRunSink, type PlannedAction, type PlannedWrite } from '@/server/sync/pipeline/dry-run-sink';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '@/server/sync/retry';
import { ROUTINE_DEFINITIONS } from '@/server/sync/routines/registry';

/** What an exception holds to be replayed: the source record as it was read. */
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

export interface ReplayOutcome {
  exceptionId: string;
  outcome: 'delivered' | 'noop' | 'exception';
  reason: string | null;
  resolved: boolean;
}

export interface DryRunPlan {
  /** Per target system and object type: how many of each action. */
  summary: { system: string; objectType: string; action: PlannedAction; count: number }[];
  writes: PlannedWrite[];
  outcomes: { exceptionId: string; outcome: 'delivered' | 'noop' | 'exception'; reason: string | null }[];
}

const REPLAYABLE = ['open', 'assigned', 'in_progress', 'resolved'] as const;

async function heldMessages(ids: readonly string[]) {
  const exceptions = await db().syncException.findMany({
    where: { id: { in: [...ids] }, status: { in: [...REPLAYABLE] } },
  });
  if (exceptions.length !== new Set(ids).size) {
    throw new AppError(
      'NOT_FOUND',
      'Some exceptions do not exist or were ignored; ignored exceptions are not replayed.',
    );
  }
  const groups = new Map<
    string,
    {
      routine: RoutineName;
      connectionId: string;
      legalEntityId: string;
      items: { id: string; correlationId: string; record: PulledRecord }[];
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
    group.items.push({ id: exception.id, correlationId: exception.correlationId, record: held.data.record });
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Runs held messages through their routine again, with today's rules and mappings. Every write
 * derives the same idempotency key as before, so a replay can never create a second record.
 */
async function replayGroup(
  group: Awaited<ReturnType<typeof heldMessages>>[number],
  sink: (journal: BatchJournal) => Deliverer | DryRunSink,
  retryPolicy: RetryPolicy,
) {
  const definition = ROUTINE_DEFINITIONS[group.routine];
  const prepared = await definition.prepare({
    runId: null,
    routine: group.routine,
    connectionId: group.connectionId,
    legalEntityId: group.legalEntityId,
    source: await connectorFor(group.connectionId),
    retryPolicy,
  });
  const journal = new BatchJournal();
  const writes = sink(journal);
  await prepared.processBatch(
    group.items.map((i) => i.record),
    journal,
    writes,
  );
  const bySource = new Map(journal.ledger.map((row) => [`${row.source.objectType}|${row.source.externalId}`, row]));
  const outcomes = group.items.map((item) => {
    const row = bySource.get(`${item.record.objectType}|${item.record.externalId}`);
    return { exceptionId: item.id, outcome: row?.outcome ?? ('exception' as const), reason: row?.reason ?? null };
  });
  return { journal, outcomes, writes };
}

/** What replaying these exceptions would create, update or leave alone in each target — nothing is written. */
export async function dryRunReplay(input: { exceptionIds: string[] }): Promise<DryRunPlan> {
  const plan: DryRunPlan = { summary: [], writes: [], outcomes: [] };
  for (const group of await heldMessages(input.exceptionIds)) {
    const { outcomes, writes } = await replayGroup(group, () => new DryRunSink(group.routine), DEFAULT_RETRY_POLICY);
    plan.outcomes.push(...outcomes);
    plan.writes.push(...(writes as DryRunSink).planned);
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

/** Replays, records every outcome, and resolves the exceptions whose record now goes through. */
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
        const before = await tx.syncException.findUniqueOrThrow({ where: { id: outcome.exceptionId } });
        if (resolved && before.status !== 'resolved') {
          await tx.syncException.update({
            where: { id: outcome.exceptionId },
            data: { status: 'resolved', resolvedAt: new Date(), resolution: `replayed: ${outcome.outcome}` },
          });
        }
        await tx.exceptionEvent.create({
          data: {
            exceptionId: outcome.exceptionId,
            actorId: context.actor.id,
            type: 'replayed',
            note: outcome.reason,
            data: { outcome: outcome.outcome },
          },
        });
        await appendAuditEvent(tx, {
          ...context,
          action: 'exception.replayed',
          target: { type: 'SyncException', id: outcome.exceptionId },
          before: { status: before.status },
          after: { status: resolved ? 'resolved' : before.status, outcome: outcome.outcome, reason: outcome.reason },
        });
        results.push({ ...outcome, resolved });
      }
    });
  }
  return results;
}
