import { isUuid } from '@/lib/uuid';
import type { Role } from '@/server/auth/permissions';
import { can } from '@/server/auth/permissions';
import { db } from '@/server/db/client';
import { EXCEPTION_CATALOGUE, type ExceptionCode } from '@/server/domain/exception-catalogue';
import { ROUTINE_FACTS } from '@/server/domain/routines';
import type { TeamName } from '@/server/domain/routing';
import { AppError } from '@/server/errors';
import { canActOn, TEAM_LABELS } from './exception-access';

const ACTIVE = ['open', 'assigned', 'in_progress'];

function heldRecord(
  payload: unknown,
): { objectType: string; externalId: string; data: Record<string, unknown> } | null {
  const record = (payload as { record?: unknown } | null)?.record as
    { objectType?: unknown; externalId?: unknown; data?: unknown } | undefined;
  if (!record || typeof record.data !== 'object' || record.data === null) return null;
  return {
    objectType: String(record.objectType ?? ''),
    externalId: String(record.externalId ?? ''),
    data: record.data as Record<string, unknown>,
  };
}

/** Everything the detail page shows of one exception, and what the viewer may do with it. */
export async function exceptionDetail(input: { exceptionId: string; viewer: { id: string; role: Role } }) {
  const exception = isUuid(input.exceptionId)
    ? await db().syncException.findUnique({ where: { id: input.exceptionId } })
    : null;
  if (!exception) throw new AppError('NOT_FOUND', 'No exception has this id. It may have been mistyped.');
  const entry = (EXCEPTION_CATALOGUE as Record<string, ExceptionCode>)[exception.code];
  const team = exception.team as TeamName;
  const [assignee, legalEntity, created, decided] = await Promise.all([
    exception.assigneeId
      ? db().user.findUnique({ where: { id: exception.assigneeId }, select: { id: true, email: true, name: true } })
      : null,
    exception.legalEntityId ? db().legalEntity.findUnique({ where: { id: exception.legalEntityId } }) : null,
    db().exceptionEvent.findFirst({ where: { exceptionId: exception.id, type: 'created' }, orderBy: { id: 'asc' } }),
    // The ledger row of the attempt that raised it names the ownership rule version in force.
    db().ledgerEntry.findFirst({
      where: { correlationId: exception.correlationId, ruleVersion: { not: null } },
      orderBy: { id: 'desc' },
      select: { ruleVersion: true, step: true, outcome: true },
    }),
  ]);
  const record = heldRecord(exception.payload);
  const involved = record && entry?.involves ? Object.keys(record.data).filter((k) => entry.involves!.test(k)) : [];
  const placedBy = (created?.data ?? null) as { rulePosition?: number | null; priority?: string } | null;
  const active = ACTIVE.includes(exception.status);
  const acts = canActOn(input.viewer, { team });
  return {
    id: exception.id,
    code: exception.code,
    title: entry?.title ?? exception.code,
    remedy: entry?.remedy ?? null,
    fixIn: entry?.fixIn ?? null,
    kind: exception.kind,
    routine: exception.routine,
    routineLabel: ROUTINE_FACTS[exception.routine].label,
    legalEntityId: exception.legalEntityId,
    legalEntityName: legalEntity?.name ?? null,
    objectType: exception.objectType,
    externalIds: exception.externalIds as { system: string; objectType: string; externalId: string }[],
    message: exception.message,
    targetCode: exception.targetCode,
    targetMessage: exception.targetMessage,
    record: record ? { objectType: record.objectType, externalId: record.externalId, fields: record.data } : null,
    involvedFields: involved,
    ruleVersion: decided?.ruleVersion ?? null,
    routingRulePosition: placedBy && 'rulePosition' in placedBy ? (placedBy.rulePosition ?? null) : null,
    correlationId: exception.correlationId,
    idempotencyKey: exception.idempotencyKey,
    amount: exception.amount?.toString() ?? null,
    currency: exception.currency,
    status: exception.status,
    team,
    teamLabel: TEAM_LABELS[team],
    priority: exception.priority,
    dueAt: exception.dueAt,
    overdue: active && exception.dueAt !== null && exception.dueAt.getTime() < Date.now(),
    assignee,
    occurrences: exception.occurrences,
    firstSeenAt: exception.firstSeenAt,
    lastSeenAt: exception.lastSeenAt,
    resolvedAt: exception.resolvedAt,
    resolution: exception.resolution,
    allowed: {
      assign: acts && active && can(input.viewer.role, 'exceptions.assign'),
      work: acts && can(input.viewer.role, 'exceptions.work'),
      replay: acts && active && can(input.viewer.role, 'exceptions.replay'),
    },
  };
}

export type ExceptionDetail = Awaited<ReturnType<typeof exceptionDetail>>;

/** The exception's history, oldest first, with who did each thing. */
export async function exceptionHistory(input: { exceptionId: string }) {
  if (!isUuid(input.exceptionId)) throw new AppError('NOT_FOUND', 'No exception has this id.');
  const events = await db().exceptionEvent.findMany({
    where: { exceptionId: input.exceptionId },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
  const actorIds = [...new Set(events.map((e) => e.actorId).filter((id): id is string => id !== null))];
  const actors = new Map(
    (await db().user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } })).map((u) => [
      u.id,
      u.email,
    ]),
  );
  return events.map((e) => ({
    id: e.id.toString(),
    at: e.at,
    type: e.type,
    actorEmail: e.actorId ? (actors.get(e.actorId) ?? 'a former user') : null,
    note: e.note,
    data: (e.data ?? null) as Record<string, unknown> | null,
  }));
}
