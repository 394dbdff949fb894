import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadMinimalAccountData } from '@/test/netsuite-minimal-account-data';
import { createScratchDatabase } from '@/test/scratch-database';
import { type NetSuiteEmulator, startNetSuiteEmulator } from './netsuite-emulator';
import { signedFetch, suiteqlFetch } from './oauth-signed-fetch';

const CUSTOMER = '/services/rest/record/v1/customer/1';

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let pool: pg.Pool;
let emulator: NetSuiteEmulator;

beforeAll(async () => {
  db = await createScratchDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: db.url, max: 12 });
  emulator = await startNetSuiteEmulator({ pool });
  await loadMinimalAccountData(pool);
});

afterEach(() => emulator.faults.reset());

afterAll(async () => {
  await emulator?.close();
  await pool?.end();
  await db?.drop();
});

const control = (method: string, path: string, body?: unknown) =>
  fetch(`${emulator.baseUrl}/__sandbox/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('account concurrency limit', () => {
  it('answers 429 CONCURRENCY_LIMIT_EXCEEDED beyond 5 requests in flight', async () => {
    emulator.faults.set({ latencyMs: 600 });
    const responses = await Promise.all(Array.from({ length: 8 }, () => signedFetch(emulator, 'GET', CUSTOMER)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(await response.json()).toEqual({
        type: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4',
        title: 'Too Many Requests',
        status: 429,
        'o:errorDetails': [
          {
            detail: 'Concurrent request limit exceeded. Request blocked.',
            'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
          },
        ],
      });
    }
    // Slots are given back: a following request goes through.
    emulator.faults.set({ latencyMs: 0 });
    expect((await signedFetch(emulator, 'GET', CUSTOMER)).status).toBe(200);
  });
});

describe('fault injection', () => {
  it('fails about 30% of calls at a 30% 5xx rate, each with the documented body', async () => {
    emulator.faults.set({ rate5xx: 0.3 });
    const calls = 300;
    let failures = 0;
    for (let batch = 0; batch < calls / 5; batch++) {
      const responses = await Promise.all(Array.from({ length: 5 }, () => signedFetch(emulator, 'GET', CUSTOMER)));
      for (const response of responses) {
        if (response.status === 200) {
          await response.arrayBuffer();
          continue;
        }
        failures++;
        expect(response.status).toBe(500);
        const body = await response.json();
        expect(body).toMatchObject({
          type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1',
          title: 'Internal Server Error',
          status: 500,
          'o:errorDetails': [{ 'o:errorCode': 'UNEXPECTED_ERROR' }],
        });
        expect(body['o:errorDetails'][0].detail).toMatch(/^An unexpected error occurred\. Error ID: \w+$/);
      }
    }
    // Binomial(300, 0.3): mean 90, sd 7.9; the band is about ±4.4 sd.
    expect(failures).toBeGreaterThanOrEqual(55);
    expect(failures).toBeLessThanOrEqual(125);
  });

  it('answers an injected 429 with the concurrency error body', async () => {
    emulator.faults.set({ rate429: 1 });
    const response = await suiteqlFetch(emulator, 'SELECT id FROM customer');
    expect(response.status).toBe(429);
    expect((await response.json())['o:errorDetails'][0]['o:errorCode']).toBe('CONCURRENCY_LIMIT_EXCEEDED');
  });

  it('rejects writes with USER_ERROR and leaves reads alone', async () => {
    emulator.faults.set({ rateReject: 1 });
    const write = await signedFetch(emulator, 'PATCH', CUSTOMER, { body: { phone: '1' } });
    expect(write.status).toBe(400);
    expect((await write.json())['o:errorDetails'][0]['o:errorCode']).toBe('USER_ERROR');
    const read = await signedFetch(emulator, 'GET', CUSTOMER);
    expect(read.status).toBe(200);
    expect((await read.json()).phone).toBeUndefined();
  });

  it('accepts a request and never answers on a timeout fault', async () => {
    emulator.faults.set({ rateTimeout: 1 });
    const outcome = await signedFetch(emulator, 'GET', CUSTOMER, { signal: AbortSignal.timeout(400) }).then(
      (response) => `answered ${response.status}`,
      (error: Error) => error.name,
    );
    expect(outcome).toBe('TimeoutError');
    emulator.faults.reset();
    expect((await signedFetch(emulator, 'GET', CUSTOMER)).status).toBe(200);
  });
});

describe('control API', () => {
  it('reports health', async () => {
    const response = await control('GET', 'health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', service: 'netsuite', accountId: emulator.accountId });
  });

  it('reads and partially updates the fault settings', async () => {
    const updated = await control('PUT', 'faults', { rate5xx: 0.25, latencyMs: 10 });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ rate5xx: 0.25, latencyMs: 10, rate429: 0 });
    const again = await control('PUT', 'faults', { rate429: 0.1 });
    expect(await again.json()).toMatchObject({ rate5xx: 0.25, rate429: 0.1, latencyMs: 10 });
    expect(await (await control('GET', 'faults')).json()).toEqual(emulator.faults.get());
  });

  it('refuses invalid settings with a clear 400', async () => {
    const tooHigh = await control('PUT', 'faults', { rate5xx: 1.5 });
    expect(tooHigh.status).toBe(400);
    expect((await tooHigh.json()).error).toContain('rate5xx');
    const sum = await control('PUT', 'faults', { rate5xx: 0.6, rateReject: 0.6 });
    expect(sum.status).toBe(400);
    expect((await sum.json()).error).toContain('add up to');
    const unknown = await control('PUT', 'faults', { rate500: 0.1 });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toContain('rate500');
    const notJson = await control('PUT', 'faults', '{');
    expect(notJson.status).toBe(400);
    expect(emulator.faults.get().rate5xx).toBe(0);
  });
});
