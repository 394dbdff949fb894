import { describe, expect, it } from 'vitest';
import { sessionCookies } from './session-cookies';

describe('session cookie', () => {
  it('is host-only, secure and for the whole site when the console is served over HTTPS', () => {
    const { cookies, useSecureCookies } = sessionCookies('https://syncwright.example.com');
    expect(useSecureCookies).toBe(true);
    expect(cookies?.sessionToken).toEqual({
      name: '__Host-next-auth.session-token',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true },
    });
  });

  it('keeps the default over plain HTTP, where a secure cookie would never be sent back', () => {
    expect(sessionCookies('http://localhost:3000')).toEqual({ useSecureCookies: false });
    expect(sessionCookies(undefined)).toEqual({ useSecureCookies: false });
  });
});
