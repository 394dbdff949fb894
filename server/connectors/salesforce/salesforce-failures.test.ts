import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bulkInsertSObjects } from '@/sandbox/salesforce/bulk-insert';
import { type SalesforceEmulator, startSalesforceEmulator } from '@/sandbox/salesforce/salesforce-emulator';
import { salesforceId } from '@/sandbox/salesforce/salesforce-id';
import { KEY_PREFIX } from '@/sandbox/salesforce/sobject-definitions';
import { failure } from '@/test/expect-connector-failure';
import { type RecordingProxy, startRecordingProxy } from '@/test/recording-proxy';
import { createScratchDatabase } from '@/test/scratch-database';
import { DAILY_LIMIT_RETRY_AFTER_MS } from './classify-salesforce-error';
import { createSalesforceConnector, type SalesforceConnectorOptions } from './salesforce-connector';

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let pool: pg.Pool;
let emulator: SalesforceEmulator;
const closers: (() => Promise<void>)[] = [];

const accountId = salesforceId(KEY_PREFIX.Account, 1);

beforeAll(async () => {
  db = await createScratchDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: db.url, max: 12 });
  emulator = await startSalesforceEmulator({ pool, port: 0 });
  await bulkInsertSObjects(pool, 'Account', [
    { Id: accountId, Name: 'Failure Probe Ltd', Syncwright_Id__c: 'SW-PROBE' },
  ]);
}, 120_000);

afterEach(() => emulator.faults.reset());

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await emulator?.close();
  await pool?.end();
  await db?.drop();
});

function connect(overrides: Partial<SalesforceConnectorOptions> = {}, target: SalesforceEmulator = emulator) {
  return createSalesforceConnector({
    instanceUrl: target.baseUrl,
    apiVersion: target.apiVersion,
    credentials: target.credentials,
    ...overrides,
  });
}

/** Another emulator process on the same org (same schema): same records, credentials and tokens. */
async function sameOrg(options: {
  sessionTimeoutSeconds?: number;
  dailyApiLimit?: number;
  schema?: string;
}): Promise<SalesforceEmulator> {
  const other = await startSalesforceEmulator({ pool, port: 0, ...options });
  closers.push(() => other.close());
  return other;
}

async function tokensIssued(schema = 'sandbox_salesforce'): Promise<number> {
  const result = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.access_token`);
  return (result.rows[0] as { n: number }).n;
}

async function landed(key: string): Promise<boolean> {
  const result = await pool.query(`SELECT 1 FROM sandbox_salesforce.account WHERE "Syncwright_Id__c" = $1`, [key]);
  return result.rowCount === 1;
}

async function listen(server: TcpServer | HttpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A recording proxy in front of `target`, closed after the file's tests. */
async function proxyTo(target: SalesforceEmulator): Promise<RecordingProxy> {
  const proxy = await startRecordingProxy(target.baseUrl);
  closers.push(() => proxy.close());
  return proxy;
}

describe('Salesforce connector: sign-in', () => {
  it('reports a wrong client secret as auth, with the token endpoint’s code', async () => {
    const connector = connect({ credentials: { ...emulator.credentials, clientSecret: 'not-the-secret' } });
    const error = await failure(connector.get('Account', accountId));
    expect(error).toEqual({
      class: 'auth',
      code: 'invalid_client',
      message: 'invalid client credentials',
      status: 400,
    });
    expect(await failure(connector.pull('Account', null, 10))).toMatchObject({ class: 'auth', code: 'invalid_client' });
  });

  it('reports a token URL that is no token endpoint as config', async () => {
    const connector = connect({
      credentials: { ...emulator.credentials, tokenUrl: `${emulator.baseUrl}/services/oauth2/tokens` },
    });
    expect(await failure(connector.get('Account', accountId))).toMatchObject({
      class: 'config',
      code: 'BAD_TOKEN_URL',
      status: 404,
    });
  });

  it('signs in once and keeps using the token', async () => {
    const before = await tokensIssued();
    const connector = connect();
    await Promise.all([
      connector.get('Account', accountId),
      connector.get('Account', accountId),
      connector.pull('Account', null, 5),
    ]);
    await connector.get('Account', accountId);
    expect((await tokensIssued()) - before).toBe(1);
  });

  it('renews an expired token once, transparently, for every call waiting on it', async () => {
    const shortSessions = await sameOrg({ sessionTimeoutSeconds: 1 });
    const connector = connect({}, shortSessions);
    const before = await tokensIssued();
    expect(await connector.get('Account', accountId)).toMatchObject({ Name: 'Failure Probe Ltd' });
    expect((await tokensIssued()) - before).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 1500)); // the session idles out
    const results = await Promise.all(Array.from({ length: 5 }, () => connector.get('Account', accountId)));
    expect(results.every((r) => r?.Name === 'Failure Probe Ltd')).toBe(true);
    // Five calls were refused with the old token; one new token served them all.
    expect((await tokensIssued()) - before).toBe(2);
  });

  it('reports a session refused again after signing in anew as auth', async () => {
    const noSessions = await sameOrg({ sessionTimeoutSeconds: 0 });
    const proxy = await proxyTo(noSessions);
    const connector = connect({ instanceUrl: proxy.url }, noSessions);
    const before = await tokensIssued();
    const error = await failure(connector.get('Account', accountId));
    expect(error).toEqual({
      class: 'auth',
      code: 'INVALID_SESSION_ID',
      message: 'Session expired or invalid',
      status: 401,
    });
    expect((await tokensIssued()) - before).toBe(2);
    expect(proxy.requests).toHaveLength(2);
  });
});

describe('Salesforce connector: transient failures', () => {
  it('reports a server error as transient UNKNOWN_EXCEPTION', async () => {
    emulator.faults.set({ rate5xx: 1 });
    const error = await failure(connect().pull('Account', null, 10));
    expect(error).toMatchObject({ class: 'transient', code: 'UNKNOWN_EXCEPTION', status: 500 });
    expect(error.message).toMatch(/^An unexpected error occurred\. Please include this ErrorId/);
  });

  it('reports 503 SERVER_UNAVAILABLE as transient and honours its Retry-After', async () => {
    emulator.faults.set({ rate429: 1 });
    const error = await failure(connect().get('Account', accountId));
    expect(error).toEqual({
      class: 'transient',
      code: 'SERVER_UNAVAILABLE',
      message: 'Server is busy',
      status: 503,
      retryAfterMs: 1000,
    });
  });

  it('turns an unanswered request into a transient TIMEOUT; the repeated upsert finds what landed', async () => {
    const connector = connect({ timeoutMs: 300 });
    emulator.faults.set({ rateTimeout: 1 });
    expect(await failure(connector.get('Account', accountId))).toEqual({
      class: 'transient',
      code: 'TIMEOUT',
      message: 'Salesforce did not answer within 300 ms.',
    });
    const write = await failure(
      connector.upsert('Account', { key: 'SW-TIMEOUT-1', fields: { Name: 'Written, then lost' } }, 'idem-t'),
    );
    expect(write).toMatchObject({ class: 'transient', code: 'TIMEOUT' });

    // The emulator carries the write out and only withholds the answer.
    for (let waited = 0; waited < 5000 && !(await landed('SW-TIMEOUT-1')); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await landed('SW-TIMEOUT-1')).toBe(true);
    emulator.faults.reset();
    // The pipeline's retry with the same key updates what landed instead of creating a twin.
    const retried = await connector.upsert(
      'Account',
      { key: 'SW-TIMEOUT-1', fields: { Name: 'Written, then lost' } },
      'idem-t',
    );
    expect(retried.created).toBe(false);
  });

  it('reports a dropped connection and a refused one as transient NETWORK', async () => {
    const resets = { connections: 0 };
    const resetting = createTcpServer((socket) => {
      resets.connections += 1;
      socket.once('data', () => socket.resetAndDestroy());
    });
    const port = await listen(resetting);
    closers.push(() => new Promise<void>((resolve) => resetting.close(() => resolve())));
    const dropped = await failure(connect({ instanceUrl: `http://127.0.0.1:${port}` }).pull('Account', null, 10));
    expect(dropped).toMatchObject({ class: 'transient', code: 'NETWORK' });
    expect(dropped.message).toContain('ECONNRESET');
    // jsforce would retry a reset GET five times; the pipeline's budget is the only one.
    expect(resets.connections).toBe(1);

    const closed = createTcpServer();
    const closedPort = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await failure(connect({ instanceUrl: `http://127.0.0.1:${closedPort}` }).get('Account', accountId));
    expect(refused).toMatchObject({ class: 'transient', code: 'NETWORK' });
    expect(refused.message).toContain('ECONNREFUSED');
  });

  it('follows no redirect: the instance URL is wrong, and the token stays home', async () => {
    const seen: string[] = [];
    const redirecting = createHttpServer((req, res) => {
      seen.push(
        `${req.method} ${req.url?.split('?')[0]} ${req.headers.authorization ? 'with token' : 'without token'}`,
      );
      res.writeHead(302, { Location: `http://127.0.0.1:1${req.url}` });
      res.end();
    });
    const port = await listen(redirecting);
    closers.push(() => new Promise<void>((resolve) => redirecting.close(() => resolve())));
    const error = await failure(connect({ instanceUrl: `http://127.0.0.1:${port}` }).pull('Account', null, 10));
    expect(error).toMatchObject({ class: 'config', code: 'BAD_BASE_URL', status: 302 });
    expect(error.message).toContain('http://127.0.0.1:1/services/data/v62.0/query');
    expect(seen).toEqual(['GET /services/data/v62.0/query with token']);
  });

  it('sends each call exactly once under server faults: jsforce retries nothing', async () => {
    const proxy = await proxyTo(emulator);
    const connector = connect({ instanceUrl: proxy.url });
    emulator.faults.set({ rate5xx: 1 });
    await failure(connector.pull('Account', null, 10));
    await failure(connector.get('Account', accountId));
    await failure(connector.upsert('Account', { key: 'SW-PROBE', fields: { Name: 'Failure Probe Ltd' } }, 'idem-r'));
    emulator.faults.set({ rate5xx: 0, rate429: 1 });
    await failure(connector.get('Account', accountId));
    expect(proxy.requests.map((r) => r.replace(/\?.*$/, ''))).toEqual([
      'GET /services/data/v62.0/query',
      `GET /services/data/v62.0/sobjects/Account/${accountId}`,
      'PATCH /services/data/v62.0/sobjects/Account/Syncwright_Id__c/SW-PROBE',
      `GET /services/data/v62.0/sobjects/Account/${accountId}`,
    ]);
  });

  it('reports the spent daily API allowance as transient REQUEST_LIMIT_EXCEEDED with a long wait', async () => {
    const schema = 'sandbox_salesforce_budget';
    const tight = await sameOrg({ dailyApiLimit: 2, schema });
    const connector = connect({}, tight);
    await connector.pull('Account', null, 10);
    await connector.pull('Account', null, 10);
    expect(connector.apiUsage()).toEqual({ used: 2, limit: 2 });
    const error = await failure(connector.pull('Account', null, 10));
    expect(error).toEqual({
      class: 'transient',
      code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
      status: 403,
      retryAfterMs: DAILY_LIMIT_RETRY_AFTER_MS,
    });
    expect(DAILY_LIMIT_RETRY_AFTER_MS).toBeGreaterThanOrEqual(60 * 60 * 1000);
    expect(await tokensIssued(schema)).toBe(1);
  });
});

describe('Salesforce connector: limits', () => {
  it('never has more requests in flight than maxConcurrent', async () => {
    const proxy = await proxyTo(emulator);
    const connector = connect({ instanceUrl: proxy.url, limits: { maxConcurrent: 2, perSecond: null } });
    await connector.get('Account', accountId); // signs in first
    emulator.faults.set({ latencyMs: 60 });
    const results = await Promise.all(Array.from({ length: 8 }, () => connector.get('Account', accountId)));
    expect(results.every((r) => r?.Name === 'Failure Probe Ltd')).toBe(true);
    expect(proxy.requests).toHaveLength(9);
    expect(proxy.peakInFlight).toBe(2);
  });

  it('reports usage from Sforce-Limit-Info', async () => {
    const connector = connect();
    expect(connector.apiUsage()).toBeNull();
    await connector.get('Account', accountId);
    const first = connector.apiUsage();
    expect(first).toEqual({ used: expect.any(Number), limit: 100_000 });
    await connector.get('Account', accountId);
    expect(connector.apiUsage()?.used).toBe((first?.used ?? 0) + 1);
  });
});
