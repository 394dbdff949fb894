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

/** Who the identity provider says signed in: its issuer, the subject it knows them by, and the e-mail it verified. */
export interface SsoIdentity {
  issuer: string;
  subject: string;
  /** Null when the provider did not verify the address. */
  verifiedEmail: string | null;
}

/**
 * Single sign-on. A user bound to this issuer and subject is signed in by that binding, whatever
 * the e-mail now says. Otherwise the verified e-mail must belong to an enabled user not yet bound
 * to any identity, who is bound now; a user bound to another identity is refused, so a reused or
 * changed address at the provider never reaches an account it did not sign in to first.
 */
export async function signInWithSso(identity: SsoIdentity, provider: string): Promise<SessionUser | null> {
  return db().$transaction(async (tx) => {
    const bound = await tx.user.findUnique({
      where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } },
    });
    const email = identity.verifiedEmail ? normalizeEmail(identity.verifiedEmail) : null;
    const byEmail = bound ? null : email ? await tx.user.findUnique({ where: { email } }) : null;
    const user = bound ?? byEmail;
    const refusal = !user
      ? email
        ? 'unknown_account'
        : 'email_not_verified'
      : user.disabledAt
        ? 'disabled'
        : !bound && user.oidcSubject !== null
          ? 'bound_to_another_identity'
          : null;
    if (refusal) {
      await appendAuditEvent(tx, {
        actor: { id: user?.id ?? null, email: email ?? identity.verifiedEmail },
        action: 'auth.signin_failed',
        target: { type: 'User', id: user?.id ?? null },
        after: { email, method: provider, issuer: identity.issuer, reason: refusal },
      });
      return null;
    }
    const account = user!;
    if (!bound) {
      // Only while still unbound: of two first sign-ins racing for one user, one binds.
      const { count } = await tx.user.updateMany({
        where: { id: account.id, oidcSubject: null },
        data: { oidcIssuer: identity.issuer, oidcSubject: identity.subject },
      });
      if (count === 0) return null;
      await appendAuditEvent(tx, {
        actor: { id: account.id, email: account.email },
        action: 'auth.sso_linked',
        target: { type: 'User', id: account.id },
        after: { method: provider, issuer: identity.issuer, subject: identity.subject },
      });
    }
    const sessionId = await createSession(tx, { userId: account.id, ip: null, userAgent: null });
    await appendAuditEvent(tx, {
      actor: { id: account.id, email: account.email },
      action: 'auth.signed_in',
      target: { type: 'User', id: account.id },
      after: { method: provider, session: sessionDigest(sessionId) },
    });
    return {
      sessionId,
      id: account.id,
      email: account.email,
      name: account.name,
      role: account.role,
      mustChangePassword: account.mustChangePassword,
    };
  });
}
