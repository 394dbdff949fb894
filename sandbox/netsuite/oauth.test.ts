import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '@/test/scratch-database';
import { authorizationHeader, createOAuth, signedFetch } from './oauth-signed-fetch';
import { parseOAuthHeader, signatureBaseString } from './oauth-verifier';
import { type NetSuiteEmulator, startNetSuiteEmulator } from './netsuite-emulator';

const INVALID_LOGIN_BODY = {
  type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
  title: 'Unauthorized',
  status: 401,
  'o:errorDetails': [
    {
      detail:
        'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
      'o:errorCode': 'INVALID_LOGIN',
    },
  ],
};

const CUSTOMERS = '/services/rest/record/v1/customer?limit=5';

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let pool: pg.Pool;
let emulator: NetSuiteEmulator;

beforeAll(async () => {
  db = await createScratchDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: db.url, max: 5 });
  emulator = await startNetSuiteEmulator({ pool, schema: 'ns_auth' });
});

afterAll(async () => {
  await emulator?.close();
  await pool?.end();
  await db?.drop();
});

async function expectInvalidLogin(response: Response, problem: string) {
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual(INVALID_LOGIN_BODY);
  expect(response.headers.get('www-authenticate')).toContain(`error="${problem}"`);
}

describe('token-based authentication', () => {
  it('generates a sandbox account id and 64-hex credentials', () => {
    expect(emulator.accountId).toMatch(/^\d{7}_SB1$/);
    for (const value of Object.values(emulator.credentials)) expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(Object.values(emulator.credentials)).size).toBe(4);
  });

  it('accepts a request signed with the right credentials', async () => {
    const response = await signedFetch(emulator, 'GET', CUSTOMERS);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ totalResults: 0, items: [], hasMore: false });
  });

  it('signs query parameters: a changed query string no longer matches', async () => {
    const url = `${emulator.baseUrl}${CUSTOMERS}`;
    const authorization = authorizationHeader(emulator, 'GET', url);
    const response = await signedFetch(emulator, 'GET', '/services/rest/record/v1/customer?limit=6', { authorization });
    await expectInvalidLogin(response, 'signature_invalid');
  });

  it('rejects a bad signature', async () => {
    const url = `${emulator.baseUrl}${CUSTOMERS}`;
    const good = authorizationHeader(emulator, 'GET', url);
    const tampered = good.replace(
      /oauth_signature="([^"]+)"/,
      (_, sig: string) => `oauth_signature="${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}"`,
    );
    expect(tampered).not.toBe(good);
    await expectInvalidLogin(
      await signedFetch(emulator, 'GET', CUSTOMERS, { authorization: tampered }),
      'signature_invalid',
    );
  });

  it('rejects a wrong token secret and an unknown consumer key', async () => {
    const wrongSecret = { ...emulator, credentials: { ...emulator.credentials, tokenSecret: 'f'.repeat(64) } };
    await expectInvalidLogin(await signedFetch(wrongSecret, 'GET', CUSTOMERS), 'signature_invalid');
    const unknownKey = { ...emulator, credentials: { ...emulator.credentials, consumerKey: 'a'.repeat(64) } };
    await expectInvalidLogin(await signedFetch(unknownKey, 'GET', CUSTOMERS), 'consumer_key_unknown');
    const wrongRealm = { ...emulator, accountId: '1234567_SB2' };
    await expectInvalidLogin(await signedFetch(wrongRealm, 'GET', CUSTOMERS), 'token_rejected');
  });

  it('rejects a stale timestamp', async () => {
    const oauth = createOAuth(emulator);
    oauth.getTimeStamp = () => Math.floor(Date.now() / 1000) - 6 * 60;
    const authorization = authorizationHeader(emulator, 'GET', `${emulator.baseUrl}${CUSTOMERS}`, oauth);
    await expectInvalidLogin(await signedFetch(emulator, 'GET', CUSTOMERS, { authorization }), 'timestamp_refused');

    const future = createOAuth(emulator);
    future.getTimeStamp = () => Math.floor(Date.now() / 1000) + 6 * 60;
    const ahead = authorizationHeader(emulator, 'GET', `${emulator.baseUrl}${CUSTOMERS}`, future);
    await expectInvalidLogin(
      await signedFetch(emulator, 'GET', CUSTOMERS, { authorization: ahead }),
      'timestamp_refused',
    );
  });

  it('rejects a replayed nonce', async () => {
    const authorization = authorizationHeader(emulator, 'GET', `${emulator.baseUrl}${CUSTOMERS}`);
    expect((await signedFetch(emulator, 'GET', CUSTOMERS, { authorization })).status).toBe(200);
    await expectInvalidLogin(await signedFetch(emulator, 'GET', CUSTOMERS, { authorization }), 'nonce_used');
  });

  it('rejects a missing or non-OAuth Authorization header and HMAC-SHA1', async () => {
    const bare = await fetch(`${emulator.baseUrl}${CUSTOMERS}`);
    await expectInvalidLogin(bare, 'parameter_absent');
    await expectInvalidLogin(
      await signedFetch(emulator, 'GET', CUSTOMERS, { authorization: 'Bearer abc' }),
      'parameter_absent',
    );
    const sha1 = authorizationHeader(emulator, 'GET', `${emulator.baseUrl}${CUSTOMERS}`).replace(
      'HMAC-SHA256',
      'HMAC-SHA1',
    );
    await expectInvalidLogin(
      await signedFetch(emulator, 'GET', CUSTOMERS, { authorization: sha1 }),
      'signature_method_rejected',
    );
  });
});

describe('signature base string', () => {
  it('matches the RFC 5849 §3.4.1.1 example', () => {
    const header =
      'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"';
    const params = parseOAuthHeader(header);
    expect(params?.get('oauth_signature')).toBe('bYT5CMsGcbgUdFHObYMEfcx6bsw=');
    // The example's form body parameters (c2, a3=2+q) are moved into the query: JSON bodies are never signed.
    const base = signatureBaseString(
      'POST',
      'example.com',
      '/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2&a3=2+q',
      params ?? new Map(),
    );
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });
});
