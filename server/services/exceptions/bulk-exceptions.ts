import { z } from 'zod';
import { db } from '@/server/db/client';
import type { Role } from '@/server/auth/permissions';
import type { TeamName } from '@/server/domain/routing';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import { canActOn, TEAM_LABELS } from './exception-access';
import { exceptionFiltersSchema, matchingExceptionIds, EXCEPTION_PRIORITIES } from './list-exceptions';
import { dryRunReplay, replayExceptions } from './replay-exceptions';
import {
  assignException,
  auditContextOf,
  setPriority,
  transitionException,
  type ExceptionActor,
} from './work-exception';

export const BULK_EXCEPTION_JOB_ID = 'exceptions.bulk';
/** The most exceptions one bulk operation takes on. */
export const BULK_MAX = 10_000;
/** Items handled per transaction of progress; replays go in smaller groups, each one a pipeline batch. */
const CHUNK = 50;
const REPLAY_CHUNK = 20;

export const bulkActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), assigneeId: z.uuid().nullable() }),
  z.object({
    action: z.literal('transition'),
    to: z.enum(['in_progress', 'resolved', 'ignored', 'open']),
    note: z.string().trim().max(2000).nullable().optional(),
  }),
  z.object({ action: z.literal('priority'), priority: z.enum(EXCEPTION_PRIORITIES) }),
  z.object({ action: z.literal('dry_run') }),
  z.object({ action: z.literal('replay') }),
]);
export type BulkAction = z.infer<typeof bulkActionSchema>;

export const bulkSelectionSchema = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(BULK_MAX) }),
  z.object({ filters: exceptionFiltersSchema }),
]);
export type BulkSelection = z.infer<typeof bulkSelectionSchema>;

const ACTION_LABELS: Record<BulkAction['action'], string> = {
  assign: 'Assign',
  transition: 'Change status',
  priority: 'Set priority',
  dry_run: 'Dry-run replay',
  replay: 'Replay',
};

/**
 * Starts bulk work on a selection: the matching ids are fixed now (later arrivals are not swept
 * in), and the job that works through them is queued in the same transaction as the operation.
 */
export async function startBulkOperation(input: {
  selection: BulkSelection;
  action: BulkAction;
  actor: ExceptionActor;
}): Promise<{ id: string; total: number }> {
  if (input.action.action === 'transition' && input.action.to !== 'in_progress' && input.action.to !== 'open') {
    if (!input.action.note?.trim())
      throw new AppError(
        'BAD_REQUEST',
        input.action.to === 'resolved'
          ? 'Say how they were resolved: a resolution note is required.'
          : 'Say why they are ignored: a reason is required.',
      );
  }
  const ids =
    'ids' in input.selection
      ? [...new Set(input.selection.ids)]
      : await matchingExceptionIds({ filters: input.selection.filters, viewerId: input.actor.id, max: BULK_MAX });
  if (ids.length === 0) throw new AppError('BAD_REQUEST', 'No exceptions match this selection.');
  return db().$transaction(async (tx) => {
    const operation = await tx.bulkOperation.create({
      data: { action: input.action.action, params: input.action, actorId: input.actor.id, total: ids.length },
    });
    await tx.$executeRaw`
      INSERT INTO "BulkOperationItem" ("operationId", "exceptionId")
      SELECT ${operation.id}::uuid, unnest(${ids}::uuid[])`;
    await appendAuditEvent(tx, {
      ...auditContextOf(input.actor),
      action: 'exception.bulk_started',
      target: { type: 'BulkOperation', id: operation.id },
      after: { action: input.action, total: ids.length },
    });
    await tx.$executeRaw`
      SELECT graphile_worker.add_job(${BULK_EXCEPTION_JOB_ID}::text, ${JSON.stringify({ operationId: operation.id })}::json,
        max_attempts => 3, job_key => ${`bulk:${operation.id}`}::text)`;
    return { id: operation.id, total: ids.length };
  });
}

type ItemResult = { exceptionId: string; outcome: 'succeeded' | 'failed' | 'skipped'; reason: string | null };

function refusal(err: unknown): ItemResult['outcome'] | null {
  if (err instanceof AppError && ['FORBIDDEN', 'CONFLICT', 'BAD_REQUEST', 'NOT_FOUND'].includes(err.code))
    return 'skipped';
  return null;
}

/** One exception through the same single-item service (access check and audit included). */
async function workOne(action: BulkAction, exceptionId: string, actor: ExceptionActor): Promise<ItemResult> {
  try {
    if (action.action === 'assign') {
      const current = await db().syncException.findUnique({ where: { id: exceptionId }, select: { assigneeId: true } });
      await assignException({
        exceptionId,
        assigneeId: action.assigneeId,
        actor,
        expectedAssigneeId: current?.assigneeId ?? null,
      });
    } else if (action.action === 'transition') {
      await transitionException({ exceptionId, to: action.to, note: action.note ?? null, actor });
    } else if (action.action === 'priority') {
      await setPriority({ exceptionId, priority: action.priority, actor });
    }
    return { exceptionId, outcome: 'succeeded', reason: null };
  } catch (err) {
    const outcome = refusal(err);
    if (!outcome) throw err;
    return { exceptionId, outcome, reason: (err as AppError).message };
  }
}

/** One after another: each takes a transaction of its own, and a chunk must not drain the pool. */
async function workEach(action: BulkAction, ids: string[], actor: ExceptionActor): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const id of ids) results.push(await workOne(action, id, actor));
  return results;
}

/**
 * A dry run or replay of a chunk: each exception is checked like a single one (its team, still
 * open), refusals are audited and skipped, the rest replay together.
 */
async function replayChunk(
  action: 'dry_run' | 'replay',
  exceptionIds: string[],
  actor: ExceptionActor,
): Promise<ItemResult[]> {
  const rows = await db().syncException.findMany({
    where: { id: { in: exceptionIds } },
    select: { id: true, team: true, status: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const results: ItemResult[] = [];
  const allowed: string[] = [];
  const refused: ItemResult[] = [];
  for (const id of exceptionIds) {
    const row = byId.get(id);
    if (!row) refused.push({ exceptionId: id, outcome: 'skipped', reason: 'No exception has this id.' });
    else if (!canActOn(actor, { team: row.team as TeamName }))
      refused.push({
        exceptionId: id,
        outcome: 'skipped',
        reason: `This exception belongs to the ${TEAM_LABELS[row.team as TeamName]} team; your role cannot act on it.`,
      });
    else if (row.status === 'resolved' || row.status === 'ignored')
      refused.push({ exceptionId: id, outcome: 'skipped', reason: `Already ${row.status}; nothing to replay.` });
    else allowed.push(id);
  }
  if (refused.length) {
    await db().$transaction(async (tx) => {
      for (const r of refused)
        await appendAuditEvent(tx, {
          ...auditContextOf(actor),
          action: r.reason?.includes('your role') ? 'access.denied' : `exception.${action}_refused`,
          target: { type: 'SyncException', id: r.exceptionId },
          after: { action: `exception.${action}`, reason: r.reason },
        });
    });
    results.push(...refused);
  }
  if (allowed.length === 0) return results;
  if (action === 'dry_run') {
    const plan = await dryRunReplay({ exceptionIds: allowed });
    const outcomes = new Map(plan.outcomes.map((o) => [o.exceptionId, o]));
    for (const id of allowed) {
      const o = outcomes.get(id);
      const wouldFail = !o || o.outcome === 'exception';
      results.push({
        exceptionId: id,
        outcome: wouldFail ? 'failed' : 'succeeded',
        reason: o ? `would be ${o.outcome}${o.reason ? `: ${o.reason}` : ''}` : 'no held record to replay',
      });
    }
    return results;
  }
  const outcomes = await replayExceptions({ exceptionIds: allowed }, auditContextOf(actor));
  const byException = new Map(outcomes.map((o) => [o.exceptionId, o]));
  for (const id of allowed) {
    const o = byException.get(id);
    results.push(
      o?.resolved
        ? { exceptionId: id, outcome: 'succeeded', reason: `${o.outcome}${o.reason ? `: ${o.reason}` : ''}` }
        : { exceptionId: id, outcome: 'failed', reason: o?.reason ?? 'no held record to replay' },
    );
  }
  return results;
}

/**
 * Works through an operation's pending items in chunks, recording each chunk's results and the
 * progress together, so a job retried after a crash picks up where it stopped.
 */
export async function runBulkOperation(operationId: string, signal?: AbortSignal): Promise<void> {
  const operation = await db().bulkOperation.findUnique({ where: { id: operationId } });
  if (!operation || operation.status === 'finished') return;
  const actorUser = await db().user.findUnique({ where: { id: operation.actorId } });
  const action = bulkActionSchema.parse(operation.params);
  await db().bulkOperation.update({ where: { id: operationId }, data: { status: 'running' } });
  if (!actorUser || actorUser.disabledAt) {
    await db().$transaction([
      db().bulkOperationItem.updateMany({
        where: { operationId, outcome: 'pending' },
        data: { outcome: 'skipped', reason: 'The user who started this operation is disabled.' },
      }),
      db().$executeRaw`
        UPDATE "BulkOperation" SET status = 'finished', "finishedAt" = now(), done = total,
          skipped = skipped + (total - done) WHERE id = ${operationId}::uuid`,
    ]);
    return;
  }
  const actor: ExceptionActor = { id: actorUser.id, email: actorUser.email, role: actorUser.role as Role };
  for (;;) {
    if (signal?.aborted) return;
    const pending = await db().bulkOperationItem.findMany({
      where: { operationId, outcome: 'pending' },
      select: { exceptionId: true },
      orderBy: { exceptionId: 'asc' },
      take: action.action === 'dry_run' || action.action === 'replay' ? REPLAY_CHUNK : CHUNK,
    });
    if (pending.length === 0) break;
    const ids = pending.map((p) => p.exceptionId);
    const results =
      action.action === 'dry_run' || action.action === 'replay'
        ? await replayChunk(action.action, ids, actor)
        : await workEach(action, ids, actor);
    const count = (o: ItemResult['outcome']) => results.filter((r) => r.outcome === o).length;
    await db().$transaction(async (tx) => {
      await tx.$executeRaw`
        UPDATE "BulkOperationItem" i SET outcome = v.outcome, reason = v.reason
        FROM unnest(${results.map((r) => r.exceptionId)}::uuid[], ${results.map((r) => r.outcome)}::text[],
          ${results.map((r) => r.reason)}::text[]) AS v(id, outcome, reason)
        WHERE i."operationId" = ${operationId}::uuid AND i."exceptionId" = v.id`;
      await tx.$executeRaw`
        UPDATE "BulkOperation" SET done = done + ${results.length}, succeeded = succeeded + ${count('succeeded')},
          failed = failed + ${count('failed')}, skipped = skipped + ${count('skipped')}
        WHERE id = ${operationId}::uuid`;
    });
  }
  await db().$transaction(async (tx) => {
    const finished = await tx.bulkOperation.update({
      where: { id: operationId },
      data: { status: 'finished', finishedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      ...auditContextOf(actor),
      action: 'exception.bulk_finished',
      target: { type: 'BulkOperation', id: operationId },
      after: {
        action: finished.action,
        total: finished.total,
        succeeded: finished.succeeded,
        failed: finished.failed,
        skipped: finished.skipped,
      },
    });
  });
}

export interface BulkOperationView {
  id: string;
  action: string;
  actionLabel: string;
  status: string;
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  skipped: number;
  createdAt: Date;
  finishedAt: Date | null;
  /** The reasons items failed or were skipped, grouped, most frequent first. */
  reasons: { outcome: string; reason: string; count: number }[];
}

/** An operation's progress and summary, for the user who started it (admins: any). */
export async function bulkOperationStatus(input: {
  id: string;
  actor: { id: string; role: Role };
}): Promise<BulkOperationView> {
  const operation = await db().bulkOperation.findUnique({ where: { id: input.id } });
  if (!operation || (operation.actorId !== input.actor.id && input.actor.role !== 'admin'))
    throw new AppError('NOT_FOUND', 'No bulk operation has this id.');
  const reasons = await db().$queryRaw<{ outcome: string; reason: string; count: bigint }[]>`
    SELECT outcome, coalesce(reason, '') AS reason, count(*) AS count FROM "BulkOperationItem"
    WHERE "operationId" = ${input.id}::uuid AND outcome IN ('failed', 'skipped')
    GROUP BY outcome, reason ORDER BY count(*) DESC LIMIT 20`;
  return {
    id: operation.id,
    action: operation.action,
    actionLabel: ACTION_LABELS[operation.action as BulkAction['action']] ?? operation.action,
    status: operation.status,
    total: operation.total,
    done: operation.done,
    succeeded: operation.succeeded,
    failed: operation.failed,
    skipped: operation.skipped,
    createdAt: operation.createdAt,
    finishedAt: operation.finishedAt,
    reasons: reasons.map((r) => ({ outcome: r.outcome, reason: r.reason, count: Number(r.count) })),
  };
}
