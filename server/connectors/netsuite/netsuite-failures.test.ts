import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteEmulator } from '@/sandbox/netsuite/netsuite-emulator';
import { ConnectorError } from '@/server/connectors/connector';
import { failure } from '@/test/expect-connector-failure';
import { type NetSuiteHarness, startNetSuiteHarness } from '@/test/netsuite-emulator-harness';
import type { NetSuiteConnectorOptions } from './netsuite-connector';

let harness: NetSuiteHarness;
let emulator: NetSuiteEmulator;

beforeAll(async () => {
  harness = await startNetSuiteHarness({ poolSize: 12 });
  emulator = harness.emulator;
});

afterEach(() => emulator.faults.reset());

afterAll(() => harness?.stop());

const connect = (overrides: Partial<NetSuiteConnectorOptions> = {}) => harness.connect(overrides);

const customer = (key: string) => ({
  key,
  fields: { companyName: key, subsidiary: { id: '1' }, currency: { id: '1' } },
});

describe('NetSuite connector: failures', () => {
  it('reports refused credentials as auth', async () => {
    const wrongSecret = connect({ credentials: { ...emulator.credentials, tokenSecret: '0'.repeat(64) } });
    const error = await failure(wrongSecret.pull('customer', null, 10));
    expect(error).toMatchObject({ class: 'auth', code: 'INVALID_LOGIN', status: 401 });
    expect(error.message).toContain('Invalid login attempt.');
    const wrongAccount = connect({ accountId: '1234567_SB9' });
    expect(await failure(wrongAccount.get('customer', 'ACC-1'))).toMatchObject({
      class: 'auth',
      code: 'INVALID_LOGIN',
    });
    // The same connector signs correctly when its credentials are right.
    expect(await connect().get('customer', 'ACC-1')).toMatchObject({ id: '1' });
  });

  it('reports server errors and the concurrency limit as transient, with their codes', async () => {
    const connector = connect();
    emulator.faults.set({ rate5xx: 1 });
    const serverError = await failure(connector.pull('customer', null, 10));
    expect(serverError).toMatchObject({ class: 'transient', code: 'UNEXPECTED_ERROR', status: 500 });
    expect(serverError.message).toMatch(/^An unexpected error occurred\. Error ID: \w+$/);

    emulator.faults.set({ rate5xx: 0, rate429: 1 });
    const limited = await failure(connector.upsert('customer', customer('SW-F-1'), 'f-1'));
    expect(limited).toEqual({
      class: 'transient',
      code: 'CONCURRENCY_LIMIT_EXCEEDED',
      message: 'Concurrent request limit exceeded. Request blocked.',
      status: 429,
    });
  });

  it('reports a rejected write as business, and leaves reads alone', async () => {
    const connector = connect();
    emulator.faults.set({ rateReject: 1 });
    const rejected = await failure(connector.upsert('customer', customer('SW-F-2'), 'f-2'));
    expect(rejected).toMatchObject({ class: 'business', code: 'USER_ERROR', status: 400 });
    expect(rejected.message).toContain('rejected by a validation rule');
    expect(await connector.get('customer', 'ACC-1')).toMatchObject({ companyName: 'Acme Corp' });
  });

  it('gives up on an unanswered request after the configured timeout, as a transient TIMEOUT', async () => {
    const connector = connect({ timeoutMs: 300 });
    emulator.faults.set({ rateTimeout: 1 });
    const started = Date.now();
    const error = await failure(connector.upsert('customer', customer('SW-F-3'), 'f-3'));
    expect(error).toMatchObject({ class: 'transient', code: 'TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    // The limiter slot is given back: the next call goes through once NetSuite answers again.
    emulator.faults.reset();
    expect(await connector.get('customer', 'ACC-1')).toMatchObject({ id: '1' });
  });

  it('keeps 10 concurrent upserts within a limit of 5, so NetSuite never refuses one', async () => {
    emulator.faults.set({ latencyMs: 150 });
    const connector = connect({ limits: { maxConcurrent: 5, perSecond: null } });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => connector.upsert('customer', customer(`SW-LIMIT-${i}`), `limit-${i}`)),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const ids = results.map((r) => (r.status === 'fulfilled' ? r.value.externalId : ''));
    expect(new Set(ids).size).toBe(10);
    expect(results.every((r) => r.status === 'fulfilled' && r.value.created)).toBe(true);
  });

  it('does trip the concurrency limit when allowed more in flight than the account takes (the control case)', async () => {
    emulator.faults.set({ latencyMs: 150 });
    const connector = connect({ limits: { maxConcurrent: 10, perSecond: null } });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => connector.upsert('customer', customer(`SW-NOLIMIT-${i}`), `nolimit-${i}`)),
    );
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [connector.classifyError(r.reason)] : []));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.class === 'transient' && e.code === 'CONCURRENCY_LIMIT_EXCEEDED')).toBe(true);
  });

  it('reports a wrong base URL as configuration, and a closed port as transient', async () => {
    expect(() => connect({ baseUrl: 'netsuite.example' })).toThrow(ConnectorError);
    const thrown = (() => {
      try {
        connect({ baseUrl: 'ftp://netsuite.example' });
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(connect().classifyError(thrown)).toMatchObject({ class: 'config', code: 'BAD_BASE_URL' });
    const wrongRoot = connect({ baseUrl: `${emulator.baseUrl}/not-netsuite` });
    expect(await failure(wrongRoot.pull('customer', null, 10))).toMatchObject({ class: 'config', status: 404 });

    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(port));
      });
    });
    const nobody = connect({ baseUrl: `http://127.0.0.1:${closedPort}` });
    expect(await failure(nobody.get('customer', 'ACC-1'))).toMatchObject({ class: 'transient', code: 'NETWORK' });
  });

  it('classifies what it is handed: its own errors as they are, a timeout, a reset connection', () => {
    const connector = connect();
    const own = new ConnectorError({ class: 'business', code: 'DUP_RCRD', message: 'dup', status: 400 });
    expect(connector.classifyError(own)).toBe(own.classified);
    expect(connector.classifyError(new DOMException('timed out', 'TimeoutError'))).toMatchObject({
      class: 'transient',
      code: 'TIMEOUT',
    });
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    });
    expect(connector.classifyError(reset)).toMatchObject({ class: 'transient', code: 'NETWORK' });
    const noHost = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
    });
    expect(connector.classifyError(noHost)).toMatchObject({ class: 'config', code: 'BAD_BASE_URL' });
  });
});
