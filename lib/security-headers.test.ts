import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './security-headers';

const directives = (policy: string) =>
  new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)] as const));

describe('content security policy', () => {
  it('runs only the console own scripts and those with the nonce, and cannot be framed', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc123', development: false }));
    expect(policy.get('script-src')).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
  });

  it('allows eval only in development', () => {
    expect(contentSecurityPolicy({ nonce: 'n', development: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ nonce: 'n', development: false })).not.toContain('unsafe-eval');
  });
});
