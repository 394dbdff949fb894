import { setTimeout } from 'node:timers/promises';
import { db } from '@/server/db/client';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import { decoyPasswordHash, verifyPassword } from './password';
import { createSession, sessionDigest, type SessionUser } from './session-store';
import { forgiveSignInAttempt, reserveSignInAttempt } from './sign-in-throttle';

export type SignInFailure = 'invalid_credentials' | 'rate_limited';
export type SignInResult = { ok: true; user: SessionUser } | { ok: false; reason: SignInFailure };

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  requestId?: string | null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Checks an email and password. Failures are limited per account at an address and per address,
 * slow an account down past its limit (sign-in-throttle.ts), are recorded in the audit log, and
 * are answered with one message whether or not the account exists.
 */
export async function signInWithPassword(
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const ip = client.ip ?? 'unknown';
  const decision = await reserveSignInAttempt(email, ip);
  if (!decision.allowed) return { ok: false, reason: 'rate_limited' };
  if (decision.delayMs > 0) await setTimeout(decision.delayMs);

  const user = await db().user.findUnique({ where: { email } });
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password);
  const failure = !user ? 'unknown_account' : !passwordOk ? 'wrong_password' : user.disabledAt ? 'disabled' : null;

  if (failure || !user) {
    await db().$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: { id: user?.id ?? null, email },
        action: 'auth.signin_failed',
        target: { type: 'User', id: user?.id ?? null },
        after: { email, reason: failure },
        ip: client.ip,
        requestId: client.requestId,
      }),
    );
    return { ok: false, reason: 'invalid_credentials' };
  }
  await forgiveSignInAttempt(email, ip);

  const sessionId = await db().$transaction(async (tx) => {
    const id = await createSession(tx, { userId: user.id, ip: client.ip, userAgent: client.userAgent });
    await appendAuditEvent(tx, {
      actor: { id: user.id, email: user.email },
      action: 'auth.signed_in',
      target: { type: 'User', id: user.id },
      after: { method: 'password', session: sessionDigest(id) },
      ip: client.ip,
      requestId: client.requestId,
    });
    return id;
  });
  return {
    ok: true,
    user: {
      sessionId,
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      mustChangePassword: user.mustChangePassword,
    },
  };
}

/** Single sign-on: the identity provider vouched for the email; it must belong to an enabled user. */
export async function signInWithSso(email: string, provider: string): Promise<SessionUser | null> {
  const user = await db().user.findUnique({ where: { email: normalizeEmail(email) } });
  return db().$transaction(async (tx) => {
    if (!user || user.disabledAt) {
      await appendAuditEvent(tx, {
        actor: { id: user?.id ?? null, email: normalizeEmail(email) },
        action: 'auth.signin_failed',
        target: { type: 'User', id: user?.id ?? null },
        after: { email: normalizeEmail(email), method: provider, reason: user ? 'disabled' : 'unknown_account' },
      });
      return null;
    }
    const sessionId = await createSession(tx, { userId: user.id, ip: null, userAgent: null });
    await appendAuditEvent(tx, {
      actor: { id: user.id, email: user.email },
      action: 'auth.signed_in',
      target: { type: 'User', id: user.id },
      after: { method: provider, session: sessionDigest(sessionId) },
    });
    return {
      sessionId,
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      mustChangePassword: user.mustChangePassword,
    };
  });
}
