import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { env } from '@/env';
import { db } from '@/server/db/client';
import {
  changeOwnPassword,
  changeUserRole,
  createUser,
  resetUserPassword,
  setUserDisabled,
} from '@/server/services/users/manage-users';
import { createCaller } from '@/server/api/root';
import { resolveSession, sessionKey } from './session-store';
import { signInWithPassword, signInWithSso } from './sign-in';
import {
  forgiveSignInAttempt,
  progressiveDelayMs,
  reserveSignInAttempt,
  SIGN_IN_WINDOW_MS,
  summariseEndedSignInWindows,
  throttleLimits,
} from './sign-in-throttle';

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

  it('refuses an address further attempts on an account after repeated failures, even with the right password', async () => {
    const user = await newUser();
    const from = client();
    for (let i = 0; i < env.SIGNIN_FAILURES_PER_MINUTE; i++) {
      expect(await signInWithPassword({ email: user.email, password: `wrong-${i}` }, from)).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
    }
    expect(await signInWithPassword({ email: user.email, password }, from)).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
    const failures = await db().auditEvent.count({ where: { action: 'auth.signin_failed', actorEmail: user.email } });
    expect(failures).toBe(env.SIGNIN_FAILURES_PER_MINUTE);
  });

  it('starts the window at the first failure, so a right password a while before cannot cut a burst short', async () => {
    const email = `window-${randomUUID()}@syncwright.example`;
    const { ip } = client();
    const limits = throttleLimits();
    const start = new Date();
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    // A right password: counted in advance, then forgiven.
    expect(await reserveSignInAttempt(email, ip, limits, start)).toMatchObject({ allowed: true });
    await forgiveSignInAttempt(email, ip);
    // Wrong ones from 50 s later, running past the minute since the right one.
    for (let i = 0; i < limits.perAccountAtAddress; i++) {
      expect(await reserveSignInAttempt(email, ip, limits, at(50 + 3 * i))).toMatchObject({ allowed: true });
    }
    expect(await reserveSignInAttempt(email, ip, limits, at(50 + 3 * limits.perAccountAtAddress))).toEqual({
      allowed: false,
      limitedBy: 'account',
    });
  });

  it('holds the limit exactly under 50 parallel wrong passwords, and sums the refused ones in one audit row', async () => {
    const user = await newUser();
    const from = client();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signInWithPassword({ email: user.email, password: `wrong-${i}` }, from)),
    );
    const wrong = results.filter((r) => !r.ok && r.reason === 'invalid_credentials').length;
    const limited = results.filter((r) => !r.ok && r.reason === 'rate_limited').length;
    expect({ wrong, limited }).toEqual({
      wrong: env.SIGNIN_FAILURES_PER_MINUTE,
      limited: 50 - env.SIGNIN_FAILURES_PER_MINUTE,
    });
    expect(await db().auditEvent.count({ where: { action: 'auth.signin_failed', actorEmail: user.email } })).toBe(
      env.SIGNIN_FAILURES_PER_MINUTE,
    );

    // The refused attempts are not a row each: one row for the account at that address when its window ends.
    expect(
      await db().auditEvent.count({ where: { actorEmail: user.email, action: { startsWith: 'auth.signin_' } } }),
    ).toBe(env.SIGNIN_FAILURES_PER_MINUTE);
    await summariseEndedSignInWindows(new Date(Date.now() + SIGN_IN_WINDOW_MS + 1_000));
    const summaries = await db().auditEvent.findMany({
      where: { action: 'auth.signin_throttled', actorEmail: user.email },
    });
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.ip).toBe(from.ip);
    expect((summaries[0]!.after as { attempts: number }).attempts).toBe(50 - env.SIGNIN_FAILURES_PER_MINUTE);
  });

  it('lets the owner in from another address while an attacker is refused, only slowed down, with a bounded delay', async () => {
    const user = await newUser();
    const attacker = client();
    for (let i = 0; i < env.SIGNIN_FAILURES_PER_MINUTE + 3; i++) {
      await signInWithPassword({ email: user.email, password: `guess-${i}` }, attacker);
    }
    expect(await signInWithPassword({ email: user.email, password }, attacker)).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
    const started = Date.now();
    const owner = await signInWithPassword({ email: user.email, password }, client());
    expect(owner.ok).toBe(true);
    // Past the account's free failures each attempt waits, and never longer than the cap.
    expect(Date.now() - started).toBeGreaterThanOrEqual(
      progressiveDelayMs(env.SIGNIN_FAILURES_PER_MINUTE, throttleLimits()) - 20,
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

describe('single sign-on', () => {
  const issuer = 'https://idp.firm.example';

  it('binds the user to the issuer and subject on the first sign-in, and audits it', async () => {
    const user = await newUser();
    const subject = randomUUID();
    const session = await signInWithSso({ issuer, subject, verifiedEmail: user.email.toUpperCase() }, 'oidc');
    expect(session?.id).toBe(user.id);
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      oidcIssuer: issuer,
      oidcSubject: subject,
    });
    expect(await db().auditEvent.count({ where: { action: 'auth.sso_linked', targetId: user.id } })).toBe(1);
  });

  it('signs the bound identity in afterwards by issuer and subject, even after its e-mail changed at the provider', async () => {
    const user = await newUser();
    const subject = randomUUID();
    await signInWithSso({ issuer, subject, verifiedEmail: user.email }, 'oidc');
    const later = await signInWithSso({ issuer, subject, verifiedEmail: `renamed-${user.email}` }, 'oidc');
    expect(later?.id).toBe(user.id);
    expect(await db().auditEvent.count({ where: { action: 'auth.sso_linked', targetId: user.id } })).toBe(1);
  });

  it('refuses another identity presenting the e-mail of a bound user, another issuer included', async () => {
    const user = await newUser();
    await signInWithSso({ issuer, subject: randomUUID(), verifiedEmail: user.email }, 'oidc');
    expect(await signInWithSso({ issuer, subject: randomUUID(), verifiedEmail: user.email }, 'oidc')).toBeNull();
    expect(
      await signInWithSso(
        { issuer: 'https://other-idp.example', subject: randomUUID(), verifiedEmail: user.email },
        'oidc',
      ),
    ).toBeNull();
    const refusals = await db().auditEvent.findMany({ where: { action: 'auth.signin_failed', targetId: user.id } });
    expect(refusals.map((r) => (r.after as { reason: string }).reason)).toEqual([
      'bound_to_another_identity',
      'bound_to_another_identity',
    ]);
  });

  it('refuses an unverified e-mail, an unknown one and a disabled user, binding nobody', async () => {
    const user = await newUser();
    expect(await signInWithSso({ issuer, subject: randomUUID(), verifiedEmail: null }, 'oidc')).toBeNull();
    expect(
      await signInWithSso({ issuer, subject: randomUUID(), verifiedEmail: `nobody-${randomUUID()}@x.example` }, 'oidc'),
    ).toBeNull();
    await setUserDisabled({ userId: user.id, disabled: true }, admin);
    expect(await signInWithSso({ issuer, subject: randomUUID(), verifiedEmail: user.email }, 'oidc')).toBeNull();
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).oidcSubject).toBeNull();
  });
});

describe('progressive delay', () => {
  it('starts past the free failures, doubles, and stops at the cap', () => {
    const limits = { perAccountAtAddress: 5, perAddress: 20, accountDelayAfter: 5, maxDelayMs: 10_000 };
    expect([0, 4, 5, 6, 7, 10, 50].map((n) => progressiveDelayMs(n, limits))).toEqual([
      0, 0, 250, 500, 1_000, 8_000, 10_000,
    ]);
  });
});

describe('sessions', () => {
  async function signedIn() {
    const user = await newUser();
    const result = await signInWithPassword({ email: user.email, password }, client());
    if (!result.ok) throw new Error('sign-in failed');
    return { ...user, sessionId: result.user.sessionId };
  }

  it('records a digest of the session in the audit log, never its id', async () => {
    const user = await signedIn();
    const [row] = await db().auditEvent.findMany({ where: { action: 'auth.signed_in', actorEmail: user.email } });
    expect(JSON.stringify({ ...row, id: null })).not.toContain(user.sessionId);
    expect((row!.after as { session: string }).session).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps only a hash of the session id, which does not work as a cookie', async () => {
    const user = await signedIn();
    const rows = await db().authSession.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(user.sessionId);
    expect(await resolveSession(user.sessionId)).not.toBeNull();
    expect(await resolveSession(rows[0]!.id)).toBeNull();
  });

  it('does not keep a session alive for the console polling by itself', async () => {
    const minutes = (m: number) => new Date(Date.now() + m * 60_000);
    const idle = env.SESSION_IDLE_MINUTES;
    const polled = await signedIn();
    expect(await resolveSession(polled.sessionId, minutes(idle * 0.7), { activity: false })).not.toBeNull();
    expect(await resolveSession(polled.sessionId, minutes(idle * 1.2), { activity: false })).toBeNull();

    const used = await signedIn();
    expect(await resolveSession(used.sessionId, minutes(idle * 0.7))).not.toBeNull();
    expect(await resolveSession(used.sessionId, minutes(idle * 1.2))).not.toBeNull();
  });

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
    expect((await db().authSession.findUnique({ where: { id: sessionKey(idle.sessionId) } }))?.endReason).toBe('idle');

    const old = await signedIn();
    // Active all along (seen just now), but signed in longer ago than the absolute lifetime.
    await db().authSession.update({
      where: { id: sessionKey(old.sessionId) },
      data: { createdAt: new Date(Date.now() - env.SESSION_MAX_AGE_HOURS * 3_600_000 - 1_000) },
    });
    expect(await resolveSession(old.sessionId)).toBeNull();
    expect((await db().authSession.findUnique({ where: { id: sessionKey(old.sessionId) } }))?.endReason).toBe(
      'expired',
    );
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

  it('refuses common passwords, their variants, and overlong ones', async () => {
    for (const weak of ['Password2024!', 'qwertyqwerty', 'leavemealone', '123456123456', 'x'.repeat(129)]) {
      await expect(
        createUser(
          { email: `weak-${randomUUID()}@syncwright.example`, name: 'X', role: 'finance', password: weak },
          admin,
        ),
      ).rejects.toThrow(/most common|at most 128/);
    }
  });

  it('makes a user choose a new password after an admin reset, and lets users change their own', async () => {
    const user = await newUser();
    await resetUserPassword({ userId: user.id, password: 'set by the admin 7' }, admin);
    const signedIn = await signInWithPassword({ email: user.email, password: 'set by the admin 7' }, client());
    if (!signedIn.ok) throw new Error('sign-in failed');
    const session = await resolveSession(signedIn.user.sessionId);
    expect(session?.mustChangePassword).toBe(true);

    // Until then the console's procedures are closed to the session, all but changing the password.
    const caller = createCaller({ user: session, requestId: 'test', ip: null, crossSite: false });
    await expect(caller.runs.facets()).rejects.toThrow(/Choose a new password first/);
    const other = await signInWithPassword({ email: user.email, password: 'set by the admin 7' }, client());
    if (!other.ok) throw new Error('sign-in failed');

    const self = { actor: { id: user.id, email: user.email }, requestId: null, ip: null };
    const change = (currentPassword: string, newPassword: string) =>
      changeOwnPassword({ userId: user.id, sessionId: signedIn.user.sessionId, currentPassword, newPassword }, self);
    await expect(change('not the password', 'my own long passphrase')).rejects.toThrow(/current password/);
    await expect(change('set by the admin 7', 'Password2024!')).rejects.toThrow(/most common/);
    expect(await change('set by the admin 7', 'my own long passphrase')).toEqual({ otherSessionsEnded: 1 });

    expect((await resolveSession(signedIn.user.sessionId))?.mustChangePassword).toBe(false);
    expect(await resolveSession(other.user.sessionId)).toBeNull();
    expect((await signInWithPassword({ email: user.email, password: 'my own long passphrase' }, client())).ok).toBe(
      true,
    );
  });
});
