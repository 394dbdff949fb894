import { isUuid } from '@/lib/uuid';
import type { Role } from '@/server/auth/permissions';
import { db, type Tx } from '@/server/db/client';
import type { PriorityName, TeamName } from '@/server/domain/routing';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { notifyUsers } from '@/server/services/notifications/notify';
import { assertCanActOn, canHold, TEAM_LABELS } from './exception-access';

/** The person acting, and where the request came from (for the audit log). */
export interface ExceptionActor {
  id: string;
  email: string | null;
  role: Role;
  requestId?: string | null;
  ip?: string | null;
}

export type ExceptionStatusName = 'open' | 'assigned' | 'in_progress' | 'resolved' | 'ignored';
export type TransitionTarget = 'in_progress' | 'resolved' | 'ignored' | 'open';

const ACTIVE: readonly ExceptionStatusName[] = ['open', 'assigned', 'in_progress'];
const CLOSED: readonly ExceptionStatusName[] = ['resolved', 'ignored'];

/** Which statuses each transition leaves from. */
const TRANSITIONS: Record<TransitionTarget, readonly ExceptionStatusName[]> = {
  in_progress: ['open', 'assigned'],
  resolved: ACTIVE,
  ignored: ACTIVE,
  open: CLOSED,
};

const STATUS_WORDS: Record<ExceptionStatusName, string> = {
  open: 'open',
  assigned: 'assigned',
  in_progress: 'in progress',
  resolved: 'resolved',
  ignored: 'ignored',
};

export function auditContextOf(actor: ExceptionActor): AuditContext {
  return { actor: { id: actor.id, email: actor.email }, requestId: actor.requestId ?? null, ip: actor.ip ?? null };
}

async function userLabel(tx: Tx, id: string | null): Promise<string> {
  if (!id) return 'nobody';
  const user = await tx.user.findUnique({ where: { id }, select: { email: true } });
  return user?.email ?? 'a former user';
}

/**
 * Reads the exception with its row locked until the transaction ends: two people acting on it
 * at once are serialised, and the second sees what the first did.
 */
export async function lockException(tx: Tx, exceptionId: string) {
  if (!isUuid(exceptionId)) throw new AppError('NOT_FOUND', 'No exception has this id.');
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM "SyncException" WHERE id = ${exceptionId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw new AppError('NOT_FOUND', 'No exception has this id.');
  return tx.syncException.findUniqueOrThrow({ where: { id: exceptionId } });
}

type LockedException = Awaited<ReturnType<typeof lockException>>;

/**
 * Runs one action; when it is refused (another team's exception, a conflict, a closed one) the
 * transaction has rolled back and the refusal itself is recorded, with its reason.
 */
export async function auditRefusals<T>(
  actor: ExceptionActor,
  exceptionId: string,
  action: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && (err.code === 'CONFLICT' || err.code === 'FORBIDDEN')) {
      await db().$transaction((tx) =>
        appendAuditEvent(tx, {
          ...auditContextOf(actor),
          action: err.code === 'FORBIDDEN' ? 'access.denied' : `${action}_refused`,
          target: { type: 'SyncException', id: exceptionId },
          after: { action, reason: err.message },
        }),
      );
    }
    throw err;
  }
}

/** The history event and the audit entry of one change, in the change's transaction. */
async function record(
  tx: Tx,
  actor: ExceptionActor,
  exception: LockedException,
  change: {
    type: string;
    action: string;
    note?: string | null;
    data?: Record<string, unknown>;
    before: unknown;
    after: unknown;
  },
) {
  await tx.exceptionEvent.create({
    data: {
      exceptionId: exception.id,
      actorId: actor.id,
      type: change.type,
      note: change.note ?? null,
      data: (change.data ?? undefined) as never,
    },
  });
  await appendAuditEvent(tx, {
    ...auditContextOf(actor),
    action: change.action,
    target: { type: 'SyncException', id: exception.id },
    before: change.before,
    after: change.after,
  });
}

export interface WorkResult {
  id: string;
  status: ExceptionStatusName;
  assigneeId: string | null;
  priority: PriorityName;
}

const result = (e: LockedException): WorkResult => ({
  id: e.id,
  status: e.status,
  assigneeId: e.assigneeId,
  priority: e.priority,
});

function assertActive(exception: LockedException, doing: string) {
  if (!ACTIVE.includes(exception.status)) {
    throw new AppError(
      'CONFLICT',
      `This exception is ${STATUS_WORDS[exception.status]}; reopen it before you ${doing}.`,
    );
  }
}

/**
 * Hands the exception to a member of its owning team, or to oneself. Without
 * `expectedAssigneeId` it only takes an unassigned exception: of two people assigning at once,
 * one wins and the other is told who holds it. With it (null: "I saw it unassigned"), it
 * reassigns only if the assignee is still the one the caller saw.
 */
export async function assignException(input: {
  exceptionId: string;
  /** null: unassign. */
  assigneeId: string | null;
  actor: ExceptionActor;
  expectedAssigneeId?: string | null;
}): Promise<WorkResult> {
  const { actor } = input;
  return auditRefusals(actor, input.exceptionId, 'exception.assign', () =>
    db().$transaction(async (tx) => {
      const exception = await lockException(tx, input.exceptionId);
      assertCanActOn(actor, exception);
      assertActive(exception, 'assign it');
      if (exception.assigneeId === input.assigneeId) return result(exception);
      const expected = input.expectedAssigneeId === undefined ? null : input.expectedAssigneeId;
      if (exception.assigneeId !== expected) {
        throw new AppError(
          'CONFLICT',
          `This exception is already assigned to ${await userLabel(tx, exception.assigneeId)}.`,
          {
            assigneeId: exception.assigneeId,
          },
        );
      }
      let assigneeEmail: string | null = null;
      if (input.assigneeId !== null) {
        const assignee = await tx.user.findUnique({ where: { id: input.assigneeId } });
        if (!assignee || assignee.disabledAt)
          throw new AppError('BAD_REQUEST', 'That user does not exist or is disabled.');
        if (assignee.id !== actor.id && !canHold(assignee.role, exception.team)) {
          throw new AppError(
            'BAD_REQUEST',
            `${assignee.email} is not a member of the ${TEAM_LABELS[exception.team]} team that owns this exception.`,
          );
        }
        assigneeEmail = assignee.email;
      }
      const status: ExceptionStatusName =
        input.assigneeId === null
          ? exception.status === 'assigned'
            ? 'open'
            : exception.status
          : exception.status === 'open'
            ? 'assigned'
            : exception.status;
      const updated = await tx.syncException.update({
        where: { id: exception.id },
        data: { assigneeId: input.assigneeId, status },
      });
      await record(tx, actor, exception, {
        type: input.assigneeId ? 'assigned' : 'unassigned',
        action: 'exception.assigned',
        data: { from: exception.assigneeId, to: input.assigneeId, toEmail: assigneeEmail },
        before: { assigneeId: exception.assigneeId, status: exception.status },
        after: { assigneeId: input.assigneeId, assigneeEmail, status },
      });
      if (input.assigneeId && input.assigneeId !== actor.id) {
        await notifyUsers(tx, [input.assigneeId], {
          kind: 'assigned',
          exceptionId: exception.id,
          title: `${exception.code} assigned to you`,
          body: `${actor.email ?? 'Someone'} assigned you: ${exception.message}`,
          team: exception.team,
        });
      }
      return result(updated);
    }),
  );
}

/**
 * Moves the exception along: start (in_progress), resolve (a note is required), ignore (a reason
 * is required), reopen (open). Starting an unassigned exception takes it.
 */
export async function transitionException(input: {
  exceptionId: string;
  to: TransitionTarget;
  note?: string | null;
  actor: ExceptionActor;
}): Promise<WorkResult> {
  const { actor, to } = input;
  const note = input.note?.trim() || null;
  if (to === 'resolved' && !note)
    throw new AppError('BAD_REQUEST', 'Say how it was resolved: a resolution note is required.');
  if (to === 'ignored' && !note) throw new AppError('BAD_REQUEST', 'Say why it is ignored: a reason is required.');
  return auditRefusals(actor, input.exceptionId, `exception.${to === 'open' ? 'reopen' : to}`, () =>
    db().$transaction(async (tx) => {
      const exception = await lockException(tx, input.exceptionId);
      assertCanActOn(actor, exception);
      if (!TRANSITIONS[to].includes(exception.status)) {
        throw new AppError(
          'CONFLICT',
          `This exception is ${STATUS_WORDS[exception.status]}; it cannot be ${to === 'open' ? 'reopened' : `set to ${STATUS_WORDS[to]}`}.`,
        );
      }
      if (to === 'open') {
        // The same problem may have been raised again since: only one of a fingerprint is open at a time.
        const newer = await tx.syncException.findFirst({
          where: { fingerprint: exception.fingerprint, status: { in: [...ACTIVE] }, id: { not: exception.id } },
          select: { id: true },
        });
        if (newer) {
          throw new AppError('CONFLICT', 'The same problem is open again as a newer exception; work on that one.', {
            openExceptionId: newer.id,
          });
        }
      }
      const assigneeId = to === 'in_progress' ? (exception.assigneeId ?? actor.id) : exception.assigneeId;
      const status: ExceptionStatusName = to === 'open' ? (assigneeId ? 'assigned' : 'open') : to;
      const closing = to === 'resolved' || to === 'ignored';
      const resolution = to === 'resolved' ? `resolved: ${note}` : to === 'ignored' ? `ignored: ${note}` : null;
      const updated = await tx.syncException.update({
        where: { id: exception.id },
        data: {
          status,
          assigneeId,
          resolvedAt: closing ? new Date() : null,
          resolution,
        },
      });
      const type = { in_progress: 'started', resolved: 'resolved', ignored: 'ignored', open: 'reopened' }[to];
      await record(tx, actor, exception, {
        type,
        action: `exception.${type}`,
        note,
        data: { from: exception.status, to: status },
        before: { status: exception.status, assigneeId: exception.assigneeId, resolution: exception.resolution },
        after: { status, assigneeId, resolution, note },
      });
      return result(updated);
    }),
  );
}

export async function setPriority(input: {
  exceptionId: string;
  priority: PriorityName;
  actor: ExceptionActor;
}): Promise<WorkResult> {
  const { actor } = input;
  return auditRefusals(actor, input.exceptionId, 'exception.priority', () =>
    db().$transaction(async (tx) => {
      const exception = await lockException(tx, input.exceptionId);
      assertCanActOn(actor, exception);
      assertActive(exception, 'change its priority');
      if (exception.priority === input.priority) return result(exception);
      const updated = await tx.syncException.update({
        where: { id: exception.id },
        data: { priority: input.priority },
      });
      await record(tx, actor, exception, {
        type: 'priority_changed',
        action: 'exception.priority_changed',
        data: { from: exception.priority, to: input.priority },
        before: { priority: exception.priority },
        after: { priority: input.priority },
      });
      return result(updated);
    }),
  );
}

const MENTION = /@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/** The e-mail addresses a comment mentions (`@someone@firm.example`), lower-cased, once each. */
export function mentionedEmails(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((m) => m[1]!.toLowerCase()))];
}

export const COMMENT_MAX_LENGTH = 5000;

/**
 * Adds a comment (plain text, shown as text) to the exception's history. Mentioned users who
 * exist are notified; the mention is kept as typed whoever it names.
 */
export async function commentOnException(input: {
  exceptionId: string;
  body: string;
  actor: ExceptionActor;
}): Promise<{ id: string; mentions: { id: string; email: string }[] }> {
  const { actor } = input;
  const body = input.body.trim();
  if (!body) throw new AppError('BAD_REQUEST', 'A comment cannot be empty.');
  if (body.length > COMMENT_MAX_LENGTH) {
    throw new AppError('BAD_REQUEST', `A comment holds at most ${COMMENT_MAX_LENGTH} characters.`);
  }
  return auditRefusals(actor, input.exceptionId, 'exception.comment', () =>
    db().$transaction(async (tx) => {
      const exception = await lockException(tx, input.exceptionId);
      assertCanActOn(actor, exception);
      const emails = mentionedEmails(body);
      const mentions =
        emails.length === 0
          ? []
          : await tx.user.findMany({
              where: { email: { in: emails, mode: 'insensitive' }, disabledAt: null },
              select: { id: true, email: true },
            });
      await record(tx, actor, exception, {
        type: 'commented',
        action: 'exception.commented',
        note: body,
        data: { mentions: mentions.map((m) => m.id) },
        before: null,
        after: { comment: body, mentions: mentions.map((m) => m.email) },
      });
      const others = mentions.filter((m) => m.id !== actor.id).map((m) => m.id);
      if (others.length > 0) {
        await notifyUsers(tx, others, {
          kind: 'mentioned',
          exceptionId: exception.id,
          title: `${actor.email ?? 'Someone'} mentioned you on ${exception.code}`,
          body: body.slice(0, 280),
          team: null,
        });
      }
      return { id: exception.id, mentions };
    }),
  );
}

/** Who may be handed this exception: enabled users whose role holds its team (admins hold all). */
export async function assignableUsers(input: { exceptionId: string; actor: ExceptionActor }) {
  const exception = isUuid(input.exceptionId)
    ? await db().syncException.findUnique({ where: { id: input.exceptionId }, select: { team: true } })
    : null;
  if (!exception) throw new AppError('NOT_FOUND', 'No exception has this id.');
  const roles = (['admin', 'finance', 'operations'] as const).filter((r) => canHold(r, exception.team as TeamName));
  const users = await db().user.findMany({
    where: { disabledAt: null, role: { in: [...roles] } },
    select: { id: true, email: true, name: true, role: true },
    orderBy: { email: 'asc' },
  });
  return users;
}
