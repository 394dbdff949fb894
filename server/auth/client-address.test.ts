import { describe, expect, it } from 'vitest';
import { appendPeerAddress, clientAddress, trustedProxyList } from './client-address';

/** What the application sees for a request: the client's own header with the socket's peer after it. */
function seen(forwardedFor: string | undefined, peer: string, trusted: string[] = []) {
  const header = appendPeerAddress(forwardedFor, peer);
  return clientAddress((name) => (name === 'x-forwarded-for' ? header : null), trustedProxyList(trusted));
}

describe('client address', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For the client wrote', () => {
    expect(seen(undefined, '203.0.113.7')).toBe('203.0.113.7');
    expect(seen('198.51.100.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(seen('1.1.1.1, 2.2.2.2', '::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('believes X-Forwarded-For only from trusted proxies, and only as far back as they reach', () => {
    expect(seen('198.51.100.1', '10.0.0.5', ['10.0.0.0/8'])).toBe('198.51.100.1');
    // A client writing its own header in front of the proxy's entry does not get to choose.
    expect(seen('6.6.6.6, 198.51.100.1', '10.0.0.5', ['10.0.0.0/8'])).toBe('198.51.100.1');
    expect(seen('198.51.100.1, 10.0.0.9', '10.0.0.5', ['10.0.0.0/8'])).toBe('198.51.100.1');
    // A peer that is not a trusted proxy is the client, even if it forwards.
    expect(seen('198.51.100.1', '192.0.2.50', ['10.0.0.0/8'])).toBe('192.0.2.50');
    expect(seen('2001:db8::1', '::1', ['::1'])).toBe('2001:db8::1');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address', () => {
    expect(() => trustedProxyList(['proxy.internal'])).toThrow(/TRUSTED_PROXIES/);
  });
});
