import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { requestClientAddress } from '@/server/auth/client-address';
import { getCurrentUser } from '@/server/auth/current-user';
import type { Context } from './trpc';

type HeaderReader = (name: string) => string | null;

/**
 * A browser marks where a request comes from (Sec-Fetch-Site, Origin). A request another site
 * made is refused for mutations, so a signed-in user's cookie cannot be used against them.
 */
export function isCrossSite(header: HeaderReader): boolean {
  const fetchSite = header('sec-fetch-site');
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = header('origin');
  if (!origin) return false;
  const host = header('x-forwarded-host') ?? header('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/** The context for one request, from the request's headers and its signed-in session. */
export async function createRequestContext(): Promise<Context> {
  const list = await headers();
  return contextFrom((name) => list.get(name), await getCurrentUser());
}

/**
 * The request id is always made here: one sent by the caller could collide with, or pose as,
 * another request's in the logs and the audit trail.
 */
export function contextFrom(header: HeaderReader, user: Context['user']): Context {
  return {
    user,
    requestId: randomUUID(),
    ip: requestClientAddress(header),
    crossSite: isCrossSite(header),
  };
}
