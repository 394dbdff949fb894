import { createHmac, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import type { NetSuiteAccount } from './account';
import { invalidLogin, type OAuthProblem } from './netsuite-error';
import { quoteIdent } from './netsuite-schema';

/**
 * Verifies NetSuite token-based authentication: OAuth 1.0a (RFC 5849) with HMAC-SHA256, the
 * account id as realm, a timestamp within the window and a nonce never seen inside it. JSON
 * bodies are not part of the signature, exactly as on NetSuite.
 */

/** What of a request enters its signature. */
export interface RequestToVerify {
  method: string;
  /** The Host header as received. */
  host: string;
  /** The request target as received: path and query string. */
  target: string;
  authorization: string | undefined;
}

/** RFC 3986 unreserved characters pass; everything else is %XX-encoded (RFC 5849 §3.6). */
export function oauthPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decodes application/x-www-form-urlencoded text as RFC 5849 §3.4.1.3.1 asks ('+' is a space). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Parses `OAuth realm="…", oauth_…="…"`; returns null when the header is not an OAuth one. */
export function parseOAuthHeader(header: string): Map<string, string> | null {
  const match = /^\s*OAuth\s+(.*)$/is.exec(header);
  if (!match?.[1]) return null;
  const params = new Map<string, string>();
  const pattern = /([A-Za-z0-9_.~-]+)\s*=\s*"([^"]*)"/g;
  for (const [, key, value] of match[1].matchAll(pattern)) {
    if (key === undefined || value === undefined) continue;
    params.set(decodeURIComponent(key), decodeURIComponent(value));
  }
  return params;
}

/** The signature base string of RFC 5849 §3.4.1 for a request with these OAuth parameters. */
export function signatureBaseString(
  method: string,
  host: string,
  target: string,
  oauthParams: Map<string, string>,
): string {
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = queryAt < 0 ? '' : target.slice(queryAt + 1);
  const authority = host.toLowerCase().replace(/:80$/, '');
  const baseUri = `http://${authority}${path}`;

  const pairs: Array<[string, string]> = [];
  for (const [key, value] of oauthParams) {
    if (key === 'oauth_signature' || key === 'realm') continue;
    pairs.push([oauthPercentEncode(key), oauthPercentEncode(value)]);
  }
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = formDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : formDecode(part.slice(eq + 1));
    pairs.push([oauthPercentEncode(key), oauthPercentEncode(value)]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return [method.toUpperCase(), oauthPercentEncode(baseUri), oauthPercentEncode(normalized)].join('&');
}

export function hmacSha256Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${oauthPercentEncode(consumerSecret)}&${oauthPercentEncode(tokenSecret)}`;
  return createHmac('sha256', key).update(baseString).digest('base64');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class OAuthVerifier {
  private lastPrune = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly account: NetSuiteAccount,
    private readonly windowSeconds = 300,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when the request is authentic; otherwise throws the 401 INVALID_LOGIN error. */
  async verify(request: RequestToVerify): Promise<void> {
    const realm = this.account.accountId;
    const fail = (problem: OAuthProblem) => invalidLogin(realm, problem);
    let params: Map<string, string> | null;
    try {
      params = request.authorization ? parseOAuthHeader(request.authorization) : null;
    } catch {
      throw fail('parameter_absent');
    }
    if (!params) throw fail('parameter_absent');

    const required = [
      'oauth_consumer_key',
      'oauth_token',
      'oauth_signature_method',
      'oauth_timestamp',
      'oauth_nonce',
      'oauth_signature',
    ];
    if (required.some((name) => !params.get(name))) throw fail('parameter_absent');
    if ((params.get('realm') ?? '').toUpperCase() !== realm.toUpperCase()) throw fail('token_rejected');
    if (params.get('oauth_signature_method') !== 'HMAC-SHA256') throw fail('signature_method_rejected');
    if (params.has('oauth_version') && params.get('oauth_version') !== '1.0') throw fail('version_rejected');

    const { credentials } = this.account;
    if (!sameText(params.get('oauth_consumer_key') ?? '', credentials.consumerKey)) throw fail('consumer_key_unknown');
    if (!sameText(params.get('oauth_token') ?? '', credentials.tokenId)) throw fail('token_rejected');

    const timestamp = Number(params.get('oauth_timestamp'));
    const nowSeconds = this.now() / 1000;
    if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > this.windowSeconds) {
      throw fail('timestamp_refused');
    }

    let expected: string;
    try {
      const base = signatureBaseString(request.method, request.host, request.target, params);
      expected = hmacSha256Signature(base, credentials.consumerSecret, credentials.tokenSecret);
    } catch {
      throw fail('signature_invalid'); // undecodable query string
    }
    if (!sameText(params.get('oauth_signature') ?? '', expected)) throw fail('signature_invalid');

    await this.recordNonce(`${credentials.consumerKey}:${credentials.tokenId}:${params.get('oauth_nonce')}`, fail);
  }

  private async recordNonce(key: string, fail: (problem: OAuthProblem) => Error): Promise<void> {
    const table = `${quoteIdent(this.schema)}.oauth_nonce`;
    const now = this.now();
    const result = await this.pool.query(
      `INSERT INTO ${table} (nonce_key, seen_at) VALUES ($1, $2) ON CONFLICT (nonce_key) DO NOTHING`,
      [key, new Date(now)],
    );
    if (result.rowCount === 0) throw fail('nonce_used');
    if (now - this.lastPrune > 60_000) {
      this.lastPrune = now;
      // A nonce older than twice the window can no longer come with an accepted timestamp.
      await this.pool.query(`DELETE FROM ${table} WHERE seen_at < $1`, [new Date(now - 2 * this.windowSeconds * 1000)]);
    }
  }
}
