import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { env } from '@/env';
import { db } from '@/server/db/client';
import { changeUserRole, createUser, setUserDisabled } from '@/server/services/users/manage-users';
import { resolveSession } from './session-store';
import { signInWithPassword } from './sign-in';

const admin = { actor: { id: null, email: 'tests@syncwright.example' }, requestId: null, ip: null };
const password = 'correct horse battery';

async function newUser(role: 'finance' | 'admin' = 'finance') {
  const email = `user-${randomUUID()}@syncwright.example`;
  const { id } = await createUser({ email, name: 'Test User', role, password }, admin);
  return { id, email };
}

const client = () => ({
  ip: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  userAgent: 'vitest',
});

describe('password sign-in', () => {
  it('signs in with the right password, case-insensitively on the email', async () => {
    const user = await newUser();
    const result = await signInWithPassword({ email: user.email.toUpperCase(), password }, client());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.user.id).toBe(user.id);
  });

  it('answers an unknown account exactly as a wrong password, and audits both', async () => {
    const user = await newUser();
    const wrong = await signInWithPassword({ email: user.email, password: 'not the password' }, client());
    const ghostEmail = `ghost-${randomUUID()}@syncwright.example`;
    const unknown = await signInWithPassword({ email: ghostEmail, password }, client());
    expect(wrong).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(unknown).toEqual(wrong);
    const audited = await db().auditEvent.findMany({
      where: { action: 'auth.signin_failed', actorEmail: { in: [user.email, ghostEmail] } },
    });
    expect(audited.map((a) => (a.after as { reason: string }).reason).sort()).toEqual([
      'unknown_account',
      'wrong_password',
    ]);
  });

  it('rate-limits an account after repeated failures, even with the right password', async () => {
    const user = await newUser();
    for (let i = 0; i < env.SIGNIN_FAILURES_PER_MINUTE; i++) {
      expect(await signInWithPassword({ email: user.email, password: `wrong-${i}` }, client())).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
    }
    expect(await signInWithPassword({ email: user.email, password }, client())).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
    const failures = await db().auditEvent.count({ where: { action: 'auth.signin_failed', actorEmail: user.email } });
    expect(failures).toBe(env.SIGNIN_FAILURES_PER_MINUTE);
    expect(await db().auditEvent.count({ where: { action: 'auth.signin_rate_limited', actorEmail: user.email } })).toBe(
      1,
    );
  });

  it('rate-limits one client address across accounts', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < env.SIGNIN_IP_FAILURES_PER_MINUTE; i++) {
      await signInWithPassword(
        { email: `spray-${randomUUID()}@syncwright.example`, password },
        { ip, userAgent: null },
      );
    }
    const user = await newUser();
    expect(await signInWithPassword({ email: user.email, password }, { ip, userAgent: null })).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
  });
});

describe('sessions', () => {
  async function signedIn() {
    const user = await newUser();
    const result = await signInWithPassword({ email: user.email, password }, client());
    if (!result.ok) throw new Error('sign-in failed');
    return { ...user, sessionId: result.user.sessionId };
  }

  it('sees a role change on the very next request', async () => {
    const user = await signedIn();
    expect((await resolveSession(user.sessionId))?.role).toBe('finance');
    await changeUserRole({ userId: user.id, role: 'auditor' }, admin);
    expect((await resolveSession(user.sessionId))?.role).toBe('auditor');
  });

  it('ends every session of a user who is disabled', async () => {
    const user = await signedIn();
    await setUserDisabled({ userId: user.id, disabled: true }, admin);
    expect(await resolveSession(user.sessionId)).toBeNull();
    await setUserDisabled({ userId: user.id, disabled: false }, admin);
    expect(await resolveSession(user.sessionId)).toBeNull(); // re-enabling does not revive old sessions
  });

  it('ends a session after the idle timeout and after its absolute lifetime', async () => {
    const idle = await signedIn();
    const later = new Date(Date.now() + env.SESSION_IDLE_MINUTES * 60_000 + 1_000);
    expect(await resolveSession(idle.sessionId, later)).toBeNull();
    expect((await db().authSession.findUnique({ where: { id: idle.sessionId } }))?.endReason).toBe('idle');

    const old = await signedIn();
    // Active all along (seen just now), but signed in longer ago than the absolute lifetime.
    await db().authSession.update({
      where: { id: old.sessionId },
      data: { createdAt: new Date(Date.now() - env.SESSION_MAX_AGE_HOURS * 3_600_000 - 1_000) },
    });
    expect(await resolveSession(old.sessionId)).toBeNull();
    expect((await db().authSession.findUnique({ where: { id: old.sessionId } }))?.endReason).toBe('expired');
  });
});

describe('user administration', () => {
  it('does not let an admin disable their own account', async () => {
    const self = await newUser('admin');
    const context = { ...admin, actor: { id: self.id, email: self.email } };
    await expect(setUserDisabled({ userId: self.id, disabled: true }, context)).rejects.toThrow(/your own account/);
  });

  it('refuses a duplicate email and a short password with clear messages', async () => {
    const user = await newUser();
    await expect(createUser({ email: user.email, name: 'X', role: 'finance', password }, admin)).rejects.toThrow(
      /already exists/,
    );
    await expect(
      createUser(
        { email: `short-${randomUUID()}@syncwright.example`, name: 'X', role: 'finance', password: 'short' },
        admin,
      ),
    ).rejects.toThrow(/at least 12 characters/);
  });
});
