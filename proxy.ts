import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/env';
import { REQUEST_PATH_HEADER } from '@/lib/request-path';
import { contentSecurityPolicy, HSTS } from '@/lib/security-headers';

/**
 * Every page gets a fresh nonce: the policy goes on the request too, where Next reads it to mark
 * its own inline scripts, and on the response, where the browser enforces it. (The headers every
 * response carries, static files included, are set in next.config.js.)
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = contentSecurityPolicy({ nonce, development: env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  // The page asked for, so a signed-out visit can come back to it after sign-in (set here, never taken from the browser).
  const url = request.nextUrl.clone();
  url.searchParams.delete('_rsc');
  headers.set(REQUEST_PATH_HEADER, `${url.pathname}${url.search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  if (env.NEXTAUTH_URL?.startsWith('https://')) response.headers.set('strict-transport-security', HSTS);
  return response;
}

export const config = {
  // Static files carry no scripts of their own; they get the headers of next.config.js only.
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
