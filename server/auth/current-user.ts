import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { authOptions } from './auth-options';
import { can, type Permission } from './permissions';
import { resolveSession, type SessionUser } from './session-store';

/** The signed-in user for this request, checked against the database once per request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  return session?.sid ? resolveSession(session.sid) : null;
});

/** For pages: the user, or a redirect to sign-in; a missing permission shows "not allowed". */
export async function requireUser(permission?: Permission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/signin?reason=signed_out');
  if (permission && !can(user.role, permission)) redirect('/forbidden');
  return user;
}
