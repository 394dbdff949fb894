import { env } from '@/env';
import { db, type Tx } from '@/server/db/client';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';

export const SIGN_IN_WINDOW_MS = 60_000;
// The first delay once an account is past its free failures; it doubles with each further one.
const FIRST_DELAY_MS = 250;

export interface ThrottleLimits {
  /** Failures one address may make on one account per window; then that pair is refused. */
  perAccountAtAddress: number;
  /** Failures one address may make across all accounts per window; then the address is refused. */
  perAddress: number;
  /** Failures on an account (from any address) per window before each attempt is slowed down. */
  accountDelayAfter: number;
  /** The slowest an attempt on an account is made: the delay never locks its owner out. */
  maxDelayMs: number;
}

export function throttleLimits(): ThrottleLimits {
  return {
    perAccountAtAddress: env.SIGNIN_FAILURES_PER_MINUTE,
    perAddress: env.SIGNIN_IP_FAILURES_PER_MINUTE,
    accountDelayAfter: env.SIGNIN_FAILURES_PER_MINUTE,
    maxDelayMs: env.SIGNIN_MAX_DELAY_SECONDS * 1000,
  };
}

export type ThrottleDecision = { allowed: true; delayMs: number } | { allowed: false; limitedBy: 'account' | 'ip' };

interface CounterRow {
  key: string;
  email: string | null;
  ip: string | null;
  windowStartedAt: Date;
  failures: number;
  throttled: number;
}

function keysFor(email: string, ip: string) {
  return { pair: `pair:${ip}|${email}`, address: `ip:${ip}`, account: `account:${email}` };
}

/** The delay for the next attempt on an account that already failed `failures` times. */
export function progressiveDelayMs(failures: number, limits: ThrottleLimits): number {
  const over = failures - limits.accountDelayAfter;
  if (over < 0) return 0;
  return Math.min(limits.maxDelayMs, FIRST_DELAY_MS * 2 ** Math.min(over, 20));
}

/** One audit row for all the attempts an account at an address had refused in one window. */
async function auditThrottled(tx: Tx, row: CounterRow): Promise<void> {
  await appendAuditEvent(tx, {
    actor: { id: null, email: row.email },
    action: 'auth.signin_throttled',
    target: { type: 'User', id: null },
    after: {
      email: row.email,
      attempts: row.throttled,
      windowStartedAt: row.windowStartedAt.toISOString(),
      windowEndedAt: new Date(row.windowStartedAt.getTime() + SIGN_IN_WINDOW_MS).toISOString(),
    },
    ip: row.ip,
  });
}

/**
 * Counts an attempt as a failure before the password is checked, under row locks on its
 * counters, so fifty attempts at once see one another: no more than the limit get through.
 * An attempt that turns out right is forgiven afterwards (forgiveSignInAttempt). Past its
 * limits, an address is refused for that account (or for all, when it sprays many accounts);
 * an account itself is only slowed down, so nobody can lock its owner out from elsewhere.
 */
export async function reserveSignInAttempt(
  email: string,
  ip: string,
  limits: ThrottleLimits = throttleLimits(),
  now = new Date(),
): Promise<ThrottleDecision> {
  const keys = keysFor(email, ip);
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO "SignInFailure" (key, email, ip, "windowStartedAt")
      VALUES (${keys.pair}, ${email}, ${ip}, ${now}), (${keys.address}, NULL, ${ip}, ${now}),
             (${keys.account}, ${email}, NULL, ${now})
      ON CONFLICT (key) DO NOTHING`;
    // Locked in key order, so two attempts never wait on each other in a circle.
    const rows = await tx.$queryRaw<CounterRow[]>`
      SELECT key, email, ip, "windowStartedAt", failures, throttled FROM "SignInFailure"
      WHERE key IN (${keys.pair}, ${keys.address}, ${keys.account})
      ORDER BY key FOR UPDATE`;
    const byKey = new Map(rows.map((row) => [row.key, row]));
    for (const row of rows) {
      // A window runs from its first failure: one that holds none (right passwords, forgiven)
      // starts again now, or a burst would find it half gone and be reset part-way.
      const counting = row.failures > 0 || row.throttled > 0;
      if (counting && now.getTime() - row.windowStartedAt.getTime() < SIGN_IN_WINDOW_MS) continue;
      if (row.throttled > 0) await auditThrottled(tx, row);
      Object.assign(row, { windowStartedAt: now, failures: 0, throttled: 0 });
    }
    const pair = byKey.get(keys.pair)!;
    const address = byKey.get(keys.address)!;
    const account = byKey.get(keys.account)!;

    const limitedBy =
      pair.failures >= limits.perAccountAtAddress ? 'account' : address.failures >= limits.perAddress ? 'ip' : null;
    const delayMs = limitedBy ? 0 : progressiveDelayMs(account.failures, limits);
    if (limitedBy) pair.throttled += 1;
    else for (const row of rows) row.failures += 1;

    for (const row of rows) {
      await tx.$executeRaw`
        UPDATE "SignInFailure" SET "windowStartedAt" = ${row.windowStartedAt}, failures = ${row.failures},
          throttled = ${row.throttled}
        WHERE key = ${row.key}`;
    }
    return limitedBy ? { allowed: false, limitedBy } : { allowed: true, delayMs };
  });
}

/** A right password: the failure counted for it in advance is taken back. */
export async function forgiveSignInAttempt(email: string, ip: string): Promise<void> {
  const keys = keysFor(email, ip);
  await db().$executeRaw`
    UPDATE "SignInFailure" SET failures = GREATEST(failures - 1, 0)
    WHERE key IN (${keys.pair}, ${keys.address}, ${keys.account})`;
}

/**
 * Closes the windows that have ended: each account at an address that had attempts refused
 * gets its one audit row with the count, and finished counters are dropped.
 */
export async function summariseEndedSignInWindows(now = new Date()): Promise<number> {
  const endedBefore = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  return db().$transaction(async (tx) => {
    const ended = await tx.$queryRaw<CounterRow[]>`
      SELECT key, email, ip, "windowStartedAt", failures, throttled FROM "SignInFailure"
      WHERE "windowStartedAt" <= ${endedBefore}
      ORDER BY key FOR UPDATE SKIP LOCKED`;
    let summarised = 0;
    for (const row of ended) {
      if (row.throttled > 0) {
        await auditThrottled(tx, row);
        summarised += 1;
      }
      await tx.$executeRaw`DELETE FROM "SignInFailure" WHERE key = ${row.key}`;
    }
    return summarised;
  });
}
