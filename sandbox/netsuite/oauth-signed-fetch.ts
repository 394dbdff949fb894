import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { NetSuiteCredentials } from './account';

/**
 * Calls a NetSuite REST endpoint signed with token-based authentication through the `oauth-1.0a`
 * package (HMAC-SHA256, realm = account id) — the way Syncwright's NetSuite client signs. Used
 * by the emulator's tests and handy for poking a running sandbox.
 */

export interface NetSuiteTarget {
  baseUrl: string;
  accountId: string;
  credentials: NetSuiteCredentials;
}

export interface SignedRequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** A ready Authorization header (to replay one, or to send a tampered one). */
  authorization?: string;
  signal?: AbortSignal;
}

export function createOAuth(target: NetSuiteTarget): OAuth {
  return new OAuth({
    consumer: { key: target.credentials.consumerKey, secret: target.credentials.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    realm: target.accountId,
  });
}

/** The Authorization header for one request; `oauth` lets a test adjust timestamp or nonce. */
export function authorizationHeader(
  target: NetSuiteTarget,
  method: string,
  url: string,
  oauth = createOAuth(target),
): string {
  const token = { key: target.credentials.tokenId, secret: target.credentials.tokenSecret };
  return oauth.toHeader(oauth.authorize({ url, method }, token)).Authorization;
}

/** Sends `method path` (path with query string) to the target, signed. */
export async function signedFetch(
  target: NetSuiteTarget,
  method: string,
  path: string,
  options: SignedRequestOptions = {},
): Promise<Response> {
  const url = `${target.baseUrl}${path}`;
  const headers: Record<string, string> = {
    Authorization: options.authorization ?? authorizationHeader(target, method, url),
    ...options.headers,
  };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  return fetch(url, { method, headers, body, signal: options.signal });
}

/** Runs a SuiteQL query page with `Prefer: transient`. */
export function suiteqlFetch(target: NetSuiteTarget, q: string, limit = 1000, offset = 0): Promise<Response> {
  return signedFetch(target, 'POST', `/services/rest/query/v1/suiteql?limit=${limit}&offset=${offset}`, {
    body: { q },
    headers: { Prefer: 'transient' },
  });
}
