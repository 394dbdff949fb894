import { BlockList, isIP } from 'node:net';
import { env } from '@/env';

/** The address as written, with an IPv4 address carried in IPv6 form (::ffff:a.b.c.d) unwrapped. */
function plainAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[|\]$/g, '');
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(trimmed) ? trimmed.slice(7) : trimmed;
}

/** TRUSTED_PROXIES entries (addresses or CIDR ranges) as one list to test addresses against. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const plain = plainAddress(address ?? '');
    const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(plain)) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address or CIDR range`);
    if (bits === undefined) list.addAddress(plain, family);
    else list.addSubnet(plain, Number(bits), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The web server appends the socket's peer to X-Forwarded-For (scripts/web-server.ts), so the
 * last entry is always the address that connected. Walking back from it, entries are believed
 * only while the one after them is a trusted proxy: a client writing its own X-Forwarded-For
 * cannot choose the address its attempts are counted against.
 */
export function clientAddress(header: (name: string) => string | null, trusted: BlockList): string | null {
  const chain = (header('x-forwarded-for') ?? '').split(',').map(plainAddress).filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = chain[i]!;
    if (i === 0 || !isTrusted(trusted, address)) return address;
  }
  return null;
}

/** The value of X-Forwarded-For the application sees: what came in, then the socket's peer. */
export function appendPeerAddress(forwardedFor: string | string[] | undefined, peer: string | undefined): string {
  const incoming = Array.isArray(forwardedFor) ? forwardedFor.join(', ') : (forwardedFor ?? '');
  return [incoming, peer ?? 'unknown'].filter((part) => part.trim() !== '').join(', ');
}

let configured: BlockList | undefined;
/** clientAddress behind the proxies TRUSTED_PROXIES names. */
export function requestClientAddress(header: (name: string) => string | null): string | null {
  configured ??= trustedProxyList(env.TRUSTED_PROXIES);
  return clientAddress(header, configured);
}
