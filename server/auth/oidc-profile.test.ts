import { describe, expect, it } from 'vitest';
import { verifiedEmail } from './oidc-profile';

describe('verifiedEmail', () => {
  it('accepts an e-mail the provider verified', () => {
    expect(verifiedEmail({ sub: '1', email: 'a@example.com', email_verified: true })).toBe('a@example.com');
    expect(verifiedEmail({ sub: '1', email: 'a@example.com', email_verified: 'true' })).toBe('a@example.com');
  });

  it('refuses an unverified or missing e-mail', () => {
    expect(verifiedEmail({ sub: '1', email: 'a@example.com', email_verified: false })).toBeNull();
    expect(verifiedEmail({ sub: '1', email: 'a@example.com' })).toBeNull();
    expect(verifiedEmail({ sub: '1', email: 'a@example.com', email_verified: 'false' })).toBeNull();
    expect(verifiedEmail({ sub: '1' })).toBeNull();
    expect(verifiedEmail(undefined)).toBeNull();
  });
});
