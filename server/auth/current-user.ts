import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { BACKGROUND_REQUEST_HEADER } from '@/lib/background-request';
import { cache } from 'react';
import { REQUEST_PATH_HEADER } from '@/lib/request-path';
import { safeCallback } from '@/lib/safe-callback';
import { authOptions } from './auth-options';
import { can, type Permission } from './permissions';
import { resolveSession, type SessionUser } from './session-store';

/** This request's session cookie and the user it still stands for (checked once per request). */
const sessionState = cache(async (): Promise<{ hadSession: boolean; user: SessionUser | null }> => {
  const session = await getServerSession(authOptions);
  if (!session?.sid) return { hadSession: false, user: null };
  const background = (await headers()).get(BACKGROUND_REQUEST_HEADER) === '1';
  return { hadSession: true, user: await resolveSession(session.sid, new Date(), { activity: !background }) };
});

export async function getCurrentUser(): Promise<SessionUser | null> {
  return (await sessionState()).user;
}

/**
 * For pages: the user, or a redirect to sign-in that brings them back to this page afterwards; a
 * missing permission shows "not available to your role" in the console, at the same address.
 */
export async function requireUser(permission?: Permission): Promise<SessionUser> {
  const { hadSession, user } = await sessionState();
  if (!user) redirect(await signInPath(hadSession));
  if (user.mustChangePassword) redirect('/change-password');
  if (permission && !can(user.role, permission)) forbidden();
  return user;
}

async function signInPath(hadSession: boolean): Promise<string> {
  const params = new URLSearchParams();
  if (hadSession) params.set('reason', 'signed_out');
  const back = (await headers()).get(REQUEST_PATH_HEADER);
  if (back && back !== '/' && safeCallback(back) === back) params.set('callbackUrl', back);
  return params.size > 0 ? `/signin?${params.toString()}` : '/signin';
}
