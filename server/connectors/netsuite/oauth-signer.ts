import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

/**
 * NetSuite token-based authentication: every request carries its own OAuth 1.0a signature
 * (HMAC-SHA256, realm = account id, fresh nonce and timestamp). The query string is part of the
 * signature base string; a JSON body is not, so it is never handed to the signer.
 */

export interface NetSuiteCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export type RequestSigner = (method: string, url: URL) => string;

export function createRequestSigner(accountId: string, credentials: NetSuiteCredentials): RequestSigner {
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    realm: accountId,
  });
  const token = { key: credentials.tokenId, secret: credentials.tokenSecret };
  // The URL is signed in the exact form fetch will send it (URL.href), so the server rebuilds
  // the same base string from the request line.
  return (method, url) => oauth.toHeader(oauth.authorize({ url: url.href, method }, token)).Authorization;
}
