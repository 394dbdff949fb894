import { createHash, randomBytes } from 'node:crypto';
import { env } from '@/env';
import { db, type Tx } from '@/server/db/client';
import type { Role } from './permissions';

export interface SessionUser {
  sessionId: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  /** After an admin's reset: nothing but choosing a new password until it is done. */
  mustChangePassword: boolean;
}

export type SessionEndReason = 'signed_out' | 'expired' | 'idle' | 'disabled' | 'password_reset' | 'password_changed';

// lastSeenAt is written at most this often, so reads do not each cost a write.
const TOUCH_INTERVAL_MS = 15_000;

/**
 * What the audit log keeps of a session: a digest that tells one session's sign-in and sign-out
 * apart from another's, while the id itself (a bearer credential) never reaches a reader of the log.
 */
export function sessionDigest(sessionId: string): string {
  return createHash('sha256').update(`syncwright-session:${sessionId}`).digest('hex').slice(0, 32);
}

/** The database key of a session: the SHA-256 of the secret its cookie carries. */
export function sessionKey(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** Starts a session and returns its secret id, which only the cookie keeps. */
export async function createSession(
  tx: Tx,
  input: { userId: string; ip: string | null; userAgent: string | null },
): Promise<string> {
  const sessionId = randomBytes(32).toString('base64url');
  await tx.authSession.create({
    data: {
      id: sessionKey(sessionId),
      userId: input.userId,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 400) ?? null,
    },
  });
  return sessionId;
}

/**
 * The signed-in user behind a session id, checked against the database on every request: the
 * session must be live (absolute lifetime and idle timeout) and the user enabled. Role changes
 * and disabling therefore take effect on the user's very next request. `activity: false` (the
 * console polling by itself) checks the session without keeping it alive.
 */
export async function resolveSession(
  sessionId: string,
  now = new Date(),
  { activity = true }: { activity?: boolean } = {},
): Promise<SessionUser | null> {
  const session = await db().authSession.findUnique({
    where: { id: sessionKey(sessionId) },
    include: {
      user: { select: { id: true, email: true, name: true, role: true, disabledAt: true, mustChangePassword: true } },
    },
  });
  if (!session || session.endedAt) return null;

  const age = now.getTime() - session.createdAt.getTime();
  const idle = now.getTime() - session.lastSeenAt.getTime();
  const reason: SessionEndReason | null = session.user.disabledAt
    ? 'disabled'
    : age > env.SESSION_MAX_AGE_HOURS * 3_600_000
      ? 'expired'
      : idle > env.SESSION_IDLE_MINUTES * 60_000
        ? 'idle'
        : null;
  if (reason) {
    await endSession(sessionId, reason);
    return null;
  }
  // A request the console made on its own (polling) is not the user's activity.
  if (activity && idle > TOUCH_INTERVAL_MS) {
    await db().authSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return {
    sessionId,
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
  };
}

export async function endSession(sessionId: string, reason: SessionEndReason, tx: Tx = db()): Promise<void> {
  await tx.authSession.updateMany({
    where: { id: sessionKey(sessionId), endedAt: null },
    data: { endedAt: new Date(), endReason: reason },
  });
}

export async function endUserSessions(tx: Tx, userId: string, reason: SessionEndReason): Promise<number> {
  const { count } = await tx.authSession.updateMany({
    where: { userId, endedAt: null },
    data: { endedAt: new Date(), endReason: reason },
  });
  return count;
}
