import { Connection } from 'jsforce';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '@/sandbox/core/faults';
import { type Harness, rejection, startHarness } from '@/test/salesforce-emulator-harness';
import { createScratchDatabase } from '@/test/scratch-database';

/** A small seeded generator, so the fault draws are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fault injection', () => {
  let harness: Harness;
  let conn: Connection;

  beforeAll(async () => {
    harness = await startHarness(await createScratchDatabase({ migrated: false }), {
      faults: new FaultInjector(seededRandom(20260131)),
    });
    conn = await harness.connect();
  });
  afterEach(() => harness.emulator.faults.reset());
  afterAll(async () => {
    await harness?.stop();
  });

  const control = (path: string, init?: RequestInit) => fetch(`${harness.emulator.baseUrl}/__sandbox/${path}`, init);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${harness.emulator.baseUrl}/services/data/v62.0/${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json', ...init.headers },
    });

  it('fails about 30% of 300 calls at a 30% 5xx rate, each with the documented body', async () => {
    const put = await control('faults', { method: 'PUT', body: JSON.stringify({ rate5xx: 0.3 }) });
    expect(put.status).toBe(200);
    const calls = 300;
    const failures: { errorCode?: string; message: string }[] = [];
    let created = 0;
    for (let i = 0; i < calls; i++) {
      // POSTs, which jsforce does not retry, so every draw is seen once.
      try {
        await conn.sobject('Account').create({ Name: `Fault probe ${i}`, Syncwright_Id__c: 'fault-probe' });
        created++;
      } catch (error) {
        failures.push(error as { errorCode?: string; message: string });
      }
    }
    // Binomial(300, 0.3): mean 90, standard deviation ~7.9; the band is ±4 deviations.
    expect(failures.length).toBeGreaterThanOrEqual(58);
    expect(failures.length).toBeLessThanOrEqual(122);
    for (const failure of failures) {
      expect(failure.errorCode).toBe('UNKNOWN_EXCEPTION');
      expect(failure.message).toMatch(
        /^An unexpected error occurred\. Please include this ErrorId if you contact support: \d+-\d+ \(-\d+\)$/,
      );
    }
    await control('faults', { method: 'PUT', body: JSON.stringify({ rate5xx: 0 }) });
    // A failed call changed nothing.
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Syncwright_Id__c = 'fault-probe'")).totalSize).toBe(
      created,
    );
    expect(created + failures.length).toBe(calls);
  });

  it('renders each kind of fault in Salesforce’s shape', async () => {
    harness.emulator.faults.set({ rate5xx: 1 });
    const serverError = await api('limits');
    expect(serverError.status).toBe(500);
    expect(await serverError.json()).toEqual([
      { message: expect.stringMatching(/^An unexpected error occurred/), errorCode: 'UNKNOWN_EXCEPTION' },
    ]);

    harness.emulator.faults.set({ rate5xx: 0, rate429: 1 });
    const busy = await api('limits');
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
    expect(await busy.json()).toEqual([{ message: 'Server is busy', errorCode: 'SERVER_UNAVAILABLE' }]);

    harness.emulator.faults.set({ rate429: 0, rateReject: 1 });
    const rejected = await rejection(conn.sobject('Account').create({ Name: 'Rejected' }));
    expect(rejected.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    const collection = await conn.sobject('Account').create([{ Name: 'R1' }, { Name: 'R2' }]);
    expect(collection.every((r) => !r.success)).toBe(true);
    // Reads are not rejected.
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Rejected'")).totalSize).toBe(0);
  });

  it('holds a timed-out request open after carrying it out', async () => {
    harness.emulator.faults.set({ rateTimeout: 1 });
    const held = await api('sobjects/Account', {
      method: 'POST',
      body: JSON.stringify({ Name: 'Written then lost', Syncwright_Id__c: 'timeout-probe' }),
      signal: AbortSignal.timeout(500),
    }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    expect(held).toBe('TimeoutError');
    harness.emulator.faults.reset();
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Syncwright_Id__c = 'timeout-probe'")).totalSize).toBe(
      1,
    );

    // A held connection does not stop the emulator from closing.
    harness.emulator.faults.set({ rateTimeout: 1 });
    const pending = api('limits').catch(() => 'closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await harness.restart();
    expect(await pending).toBe('closed');
    conn = await harness.connect();
  });

  it('serves the control API and validates fault settings', async () => {
    const health = await control('health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'salesforce', apiVersion: '62.0' });

    expect(await (await control('faults')).json()).toEqual({
      latencyMs: 0,
      rate429: 0,
      rate5xx: 0,
      rateTimeout: 0,
      rateReject: 0,
    });
    const updated = await control('faults', {
      method: 'PUT',
      body: JSON.stringify({ rateReject: 0.25, latencyMs: 5 }),
    });
    expect(await updated.json()).toMatchObject({ rateReject: 0.25, latencyMs: 5, rate5xx: 0 });
    expect(harness.emulator.faults.get().rateReject).toBe(0.25);

    const outOfRange = await control('faults', { method: 'PUT', body: JSON.stringify({ rate5xx: 2 }) });
    expect(outOfRange.status).toBe(400);
    expect(((await outOfRange.json()) as { error: string }).error).toContain('rate5xx');
    const tooMuch = await control('faults', { method: 'PUT', body: JSON.stringify({ rate429: 0.6, rate5xx: 0.6 }) });
    expect(tooMuch.status).toBe(400);
    expect(((await tooMuch.json()) as { error: string }).error).toContain('at most 1');
    const notJson = await control('faults', { method: 'PUT', body: 'rate5xx=1' });
    expect(notJson.status).toBe(400);
    expect(harness.emulator.faults.get()).toMatchObject({ rateReject: 0.25, rate5xx: 0, rate429: 0 });
  });
});

describe('daily API limit', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(await createScratchDatabase({ migrated: false }), { dailyApiLimit: 5 });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('answers REQUEST_LIMIT_EXCEEDED once the budget is spent, until reset', async () => {
    const conn = await harness.connect();
    for (let i = 1; i <= 5; i++) {
      await conn.query('SELECT COUNT() FROM Account');
      expect(conn.limitInfo.apiUsage).toEqual({ used: i, limit: 5 });
    }
    const error = await rejection(conn.query('SELECT COUNT() FROM Account'));
    expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(error.message).toBe('TotalRequests Limit exceeded.');

    const raw = await fetch(`${harness.emulator.baseUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('sforce-limit-info')).toBe('api-usage=5/5');
    expect(await raw.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);

    const reset = await fetch(`${harness.emulator.baseUrl}/__sandbox/reset-limits`, { method: 'POST' });
    expect(await reset.json()).toEqual({ used: 0, limit: 5 });
    await conn.query('SELECT COUNT() FROM Account');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 5 });
  });
});

describe('persistence', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(await createScratchDatabase({ migrated: false }));
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('keeps credentials, tokens, records and the API count across a restart', async () => {
    const before = harness.emulator.credentials;
    const conn = await harness.connect();
    const token = conn.accessToken ?? '';
    const { id } = await conn.sobject('Account').create({ Name: 'Survivor', Syncwright_Id__c: 'survivor' });
    const used = conn.limitInfo.apiUsage?.used ?? 0;

    await harness.restart();
    expect(harness.emulator.credentials.clientId).toBe(before.clientId);
    expect(harness.emulator.credentials.clientSecret).toBe(before.clientSecret);
    expect(harness.emulator.baseUrl).not.toBe('');

    // The old token still works against the restarted emulator.
    const reconnected = new Connection({ instanceUrl: harness.emulator.baseUrl, accessToken: token, version: '62.0' });
    const result = await reconnected.query<{ Id: string; Name: string }>(
      "SELECT Id, Name FROM Account WHERE Syncwright_Id__c = 'survivor'",
    );
    expect(result.records).toEqual([expect.objectContaining({ Id: id, Name: 'Survivor' })]);
    expect(reconnected.limitInfo.apiUsage?.used).toBe(used + 1);
  });
});
