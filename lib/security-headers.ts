/**
 * The security headers of the console's responses. The policy allows scripts only from the
 * console itself and those carrying this response's nonce (Next marks its own inline scripts with
 * it); styles may be inline (React style attributes, chart libraries), which cannot run code.
 */
export function contentSecurityPolicy(options: { nonce: string; development: boolean }): string {
  return [
    "default-src 'self'",
    // Development rebuilds pages with eval; a production build never needs it.
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response carries, whatever it is. */
export const BASE_SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Browsers then refuse plain HTTP to the console for a year; sent only when it is served over HTTPS. */
export const HSTS = 'max-age=31536000; includeSubDomains';
