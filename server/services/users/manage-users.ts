import { normalizeEmail } from '@/server/auth/sign-in';
import { hashPassword, verifyPassword } from '@/server/auth/password';
import { passwordProblem } from '@/server/auth/password-policy';
import type { Role } from '@/server/auth/permissions';
import { endUserSessions, sessionKey } from '@/server/auth/session-store';
import { db, type Tx } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';

function checkPassword(password: string) {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('BAD_REQUEST', problem);
}

async function findUser(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError('NOT_FOUND', 'No such user.');
  return user;
}

/**
 * Refuses a change that would leave nobody able to administer Syncwright. Changes to admins take
 * turns (a transaction-scoped lock), so two admins demoting each other at once cannot both pass
 * the count before either commits.
 */
async function keepAnAdmin(tx: Tx, userId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('syncwright:admins'))`;
  const others = await tx.user.count({ where: { role: 'admin', disabledAt: null, id: { not: userId } } });
  if (others === 0) throw new AppError('CONFLICT', 'At least one enabled admin must remain.');
}

const audited = (u: { email: string; name: string; role: Role; disabledAt: Date | null }) => ({
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabledAt !== null,
});

export async function createUser(
  input: { email: string; name: string; role: Role; password: string; mustChangePassword?: boolean },
  context: AuditContext,
) {
  checkPassword(input.password);
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return db().$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email } })) {
      throw new AppError('CONFLICT', `A user with the email ${email} already exists.`);
    }
    const user = await tx.user.create({
      data: {
        email,
        name: input.name.trim(),
        role: input.role,
        passwordHash,
        passwordChangedAt: new Date(),
        mustChangePassword: input.mustChangePassword ?? false,
      },
    });
    await appendAuditEvent(tx, {
      ...context,
      action: 'user.created',
      target: { type: 'User', id: user.id },
      after: audited(user),
    });
    return { id: user.id };
  });
}

export async function changeUserRole(input: { userId: string; role: Role }, context: AuditContext) {
  return db().$transaction(async (tx) => {
    const user = await findUser(tx, input.userId);
    if (user.role === input.role) return { changed: false };
    if (user.id === context.actor.id) {
      throw new AppError('CONFLICT', 'You cannot change your own role; ask another admin to do it.');
    }
    if (user.role === 'admin') await keepAnAdmin(tx, user.id);
    const updated = await tx.user.update({ where: { id: user.id }, data: { role: input.role } });
    await appendAuditEvent(tx, {
      ...context,
      action: 'user.role_changed',
      target: { type: 'User', id: user.id },
      before: audited(user),
      after: audited(updated),
    });
    return { changed: true };
  });
}

export async function setUserDisabled(input: { userId: string; disabled: boolean }, context: AuditContext) {
  return db().$transaction(async (tx) => {
    const user = await findUser(tx, input.userId);
    if ((user.disabledAt !== null) === input.disabled) return { changed: false };
    if (input.disabled) {
      if (user.id === context.actor.id) throw new AppError('CONFLICT', 'You cannot disable your own account.');
      if (user.role === 'admin') await keepAnAdmin(tx, user.id);
    }
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { disabledAt: input.disabled ? new Date() : null },
    });
    if (input.disabled) await endUserSessions(tx, user.id, 'disabled');
    await appendAuditEvent(tx, {
      ...context,
      action: input.disabled ? 'user.disabled' : 'user.enabled',
      target: { type: 'User', id: user.id },
      before: audited(user),
      after: audited(updated),
    });
    return { changed: true };
  });
}

/**
 * Sets a new password chosen by an admin and signs the user out everywhere. The admin knows it,
 * so the user must replace it at their next sign-in.
 */
export async function resetUserPassword(input: { userId: string; password: string }, context: AuditContext) {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db().$transaction(async (tx) => {
    const user = await findUser(tx, input.userId);
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: true },
    });
    const sessionsEnded = await endUserSessions(tx, user.id, 'password_reset');
    await appendAuditEvent(tx, {
      ...context,
      action: 'user.password_reset',
      target: { type: 'User', id: user.id },
      // The password itself is never recorded, not even hashed.
      after: { email: user.email, sessionsEnded },
    });
    return { sessionsEnded };
  });
}

/**
 * A user replaces their own password: the current one is required (a session left open is not
 * enough), the new one must pass the policy and differ from it. Their other sessions end.
 */
export async function changeOwnPassword(
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
  context: AuditContext,
) {
  const user = await findUser(db(), input.userId);
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('BAD_REQUEST', 'The current password is not right.');
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('BAD_REQUEST', 'The new password must differ from the current one.');
  }
  checkPassword(input.newPassword);
  const passwordHash = await hashPassword(input.newPassword);
  return db().$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: false },
    });
    const { count: otherSessionsEnded } = await tx.authSession.updateMany({
      where: { userId: user.id, endedAt: null, id: { not: sessionKey(input.sessionId) } },
      data: { endedAt: new Date(), endReason: 'password_changed' },
    });
    await appendAuditEvent(tx, {
      ...context,
      action: 'user.password_changed',
      target: { type: 'User', id: user.id },
      after: { email: user.email, wasRequired: user.mustChangePassword, otherSessionsEnded },
    });
    return { otherSessionsEnded };
  });
}
