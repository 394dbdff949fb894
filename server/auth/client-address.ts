/**
 * The client's address as the web server saw it. Next.js sets x-forwarded-for itself; behind a
 * reverse proxy, the proxy's own header comes first in the list.
 */
export function clientAddress(header: (name: string) => string | null): string | null {
  const forwarded = header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || header('x-real-ip') || null;
}
