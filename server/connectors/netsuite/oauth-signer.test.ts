import { describe, expect, it } from 'vitest';
import { hmacSha256Signature, parseOAuthHeader, signatureBaseString } from '@/sandbox/netsuite/oauth-verifier';
import { createRequestSigner } from './oauth-signer';

const credentials = { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'tk', tokenSecret: 'ts' };

describe('createRequestSigner', () => {
  it('signs method, URL and query string with HMAC-SHA256 under the account realm', () => {
    const sign = createRequestSigner('1234567_SB1', credentials);
    const url = new URL('http://127.0.0.1:4000/services/rest/query/v1/suiteql?limit=1000&offset=2000');
    const header = sign('POST', url);
    const params = parseOAuthHeader(header);
    if (!params) throw new Error('not an OAuth header');
    expect(params.get('realm')).toBe('1234567_SB1');
    expect(params.get('oauth_signature_method')).toBe('HMAC-SHA256');
    expect(params.get('oauth_consumer_key')).toBe('ck');
    expect(params.get('oauth_token')).toBe('tk');
    const target = `${url.pathname}${url.search}`;
    const expected = hmacSha256Signature(signatureBaseString('POST', url.host, target, params), 'cs', 'ts');
    expect(params.get('oauth_signature')).toBe(expected);
    // The query string is covered: the same header does not fit another page.
    const otherPage = hmacSha256Signature(
      signatureBaseString('POST', url.host, `${url.pathname}?limit=1000&offset=3000`, params),
      'cs',
      'ts',
    );
    expect(params.get('oauth_signature')).not.toBe(otherPage);
  });

  it('uses a fresh nonce on every request', () => {
    const sign = createRequestSigner('1234567_SB1', credentials);
    const url = new URL('http://127.0.0.1:4000/services/rest/record/v1/customer/eid:A');
    const nonces = new Set(Array.from({ length: 20 }, () => parseOAuthHeader(sign('GET', url))?.get('oauth_nonce')));
    expect(nonces.size).toBe(20);
  });
});
