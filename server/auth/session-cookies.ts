import type { NextAuthOptions } from 'next-auth';

/**
 * Over HTTPS the session cookie is `__Host-` prefixed: the browser then accepts it only from this
 * exact host, over HTTPS, for the whole path, so a sibling subdomain cannot plant or shadow it.
 * Plain HTTP (a local console) keeps next-auth's default name, which such a prefix would break.
 */
export function sessionCookies(consoleUrl: string | undefined): Pick<NextAuthOptions, 'useSecureCookies' | 'cookies'> {
  if (!consoleUrl?.startsWith('https://')) return { useSecureCookies: false };
  return {
    useSecureCookies: true,
    cookies: {
      sessionToken: {
        name: '__Host-next-auth.session-token',
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true },
      },
    },
  };
}
