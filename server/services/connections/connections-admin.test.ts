import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { createConnection, updateConnection, type ConnectionChange } from './edit-connection';
import { listConnections } from './list-connections';
import { testConnection } from './test-connection';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
const admin: AuditContext = { actor: { id: null, email: 'admin@connections.test' }, requestId: 'req-conn', ip: null };

beforeAll(async () => {
  fixture = await startConnectedSandbox({ scale: 200 });
}, 120_000);
afterAll(() => fixture?.stop());

const stripeChange = (overrides: Partial<ConnectionChange> = {}): ConnectionChange => ({
  name: 'Stripe (second account)',
  system: 'stripe',
  baseUrl: fixture.sandbox.stripe.baseUrl,
  legalEntityIds: ['US'],
  enabled: false,
  credentials: { secretKey: 'sk_test_second_account_0000a1b2' },
  ...overrides,
});

/** Audit rows as text (their sequence number is a bigint). */
const auditText = (rows: unknown) => JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));

async function connectionCount() {
  return db().connection.count();
}

describe('creating and editing a connection', () => {
  it('refuses a base URL that is not http(s), naming it, and saves nothing', async () => {
    const before = await connectionCount();
    await expect(createConnection(stripeChange({ baseUrl: 'ftp://billing.example' }), admin)).rejects.toMatchObject({
      message: expect.stringMatching(/base URL "ftp:\/\/billing\.example" is not an http\(s\) address/),
      details: { field: 'baseUrl' },
    });
    await expect(createConnection(stripeChange({ baseUrl: 'not a url' }), admin)).rejects.toThrow(/not an http\(s\)/);
    expect(await connectionCount()).toBe(before);
  });

  it('refuses an unknown legal entity, naming it, and saves nothing', async () => {
    const before = await connectionCount();
    await expect(createConnection(stripeChange({ legalEntityIds: ['US', 'FR'] }), admin)).rejects.toMatchObject({
      message: expect.stringMatching(/Unknown legal entity FR; choose from DE, UK, US\./),
      details: { field: 'legalEntityIds' },
    });
    expect(await connectionCount()).toBe(before);
  });

  it('refuses an edit with a bad base URL and leaves the connection as it was', async () => {
    const stripe = await db().connection.findUniqueOrThrow({ where: { id: fixture.connections.stripe } });
    await expect(
      updateConnection(
        stripe.id,
        { ...stripeChange(), name: stripe.name, baseUrl: 'javascript:alert(1)', legalEntityIds: stripe.legalEntityIds },
        admin,
      ),
    ).rejects.toThrow(/not an http\(s\) address/);
    expect(await db().connection.findUniqueOrThrow({ where: { id: stripe.id } })).toEqual(stripe);
  });

  it('creates a connection, shows its credentials only masked, and audits the mask alone', async () => {
    const { id } = await createConnection(stripeChange(), admin);
    const listed = (await listConnections()).find((c) => c.id === id)!;
    expect(listed.credentials).toEqual({ secretKey: 'sk_…a1b2' });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'connection.created', targetId: id } });
    expect(auditText(audit)).not.toContain('second_account');
    expect(audit.after).toMatchObject({ credentials: { secretKey: 'sk_…a1b2' }, legalEntityIds: ['US'] });
  });
});

describe('Test connection', () => {
  it('makes a real authenticated call to each system and says so in plain words', async () => {
    for (const [system, label] of [
      ['stripe', 'Stripe'],
      ['netsuite', 'NetSuite'],
      ['salesforce', 'Salesforce'],
    ] as const) {
      const result = await testConnection(fixture.connections[system], admin);
      expect(result.message).toMatch(new RegExp(`^Connected: ${label} answered in \\d+ ms`));
      expect(result.ok).toBe(true);
    }
    const listed = await listConnections();
    for (const c of listed.filter((c) => Object.values(fixture.connections).includes(c.id))) {
      expect(c.health.lastSuccessAt).toBeInstanceOf(Date);
    }
    // Salesforce reports its daily API allowance with every answer.
    const crm = listed.find((c) => c.id === fixture.connections.salesforce)!;
    expect(crm.health.rateLimit?.limit).toBeGreaterThan(0);
  });

  it('reports refused credentials with the service’s own code', async () => {
    const { id } = await createConnection(
      stripeChange({ name: 'Stripe (wrong key)', credentials: { secretKey: 'sk_test_wrong_key_000000zzzz' } }),
      admin,
    );
    const result = await testConnection(id, admin);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Stripe refused the key \(401 .+\): Invalid API Key provided/);
    const listed = (await listConnections()).find((c) => c.id === id)!;
    expect(listed.health.lastError).toBe(result.message);
  });
});

describe('health from runs', () => {
  it('shows the newest successful run and a later failed run’s error', async () => {
    const id = fixture.connections.netsuite;
    const base = {
      routine: 'billing_eligibility' as const,
      connectionId: id,
      legalEntityId: 'US',
      trigger: 'schedule',
    };
    const now = Date.now();
    const later = new Date(now + 60_000);
    await db().syncRun.createMany({
      data: [
        { ...base, status: 'succeeded', finishedAt: new Date(now + 30_000) },
        { ...base, status: 'failed', finishedAt: later, error: 'NetSuite refused the token (401 INVALID_LOGIN).' },
      ],
    });
    const health = (await listConnections()).find((c) => c.id === id)!.health;
    expect(health.lastSuccessAt).toEqual(new Date(now + 30_000));
    expect(health).toMatchObject({ lastErrorAt: later, lastError: 'NetSuite refused the token (401 INVALID_LOGIN).' });
  });
});

describe('rotating credentials', () => {
  it('after a key is rolled at Stripe: the old one is refused, the new one works, and no part of either secret leaks', async () => {
    const id = fixture.connections.stripe;
    const oldKey = fixture.sandbox.stripe.secretKey;
    const rolled = await fetch(`${fixture.sandbox.stripe.baseUrl}/__sandbox/keys/roll`, { method: 'POST' });
    const { secretKey: newKey } = (await rolled.json()) as { secretKey: string };

    const stale = await testConnection(id, admin);
    expect(stale.ok).toBe(false);
    expect(stale.message).toMatch(/^Stripe refused the key \(401 api_key_expired\): Expired API Key provided/);

    const connection = await db().connection.findUniqueOrThrow({ where: { id } });
    const since = new Date();
    const saved = await updateConnection(
      id,
      {
        name: connection.name,
        baseUrl: connection.baseUrl,
        legalEntityIds: connection.legalEntityIds,
        enabled: true,
        credentials: { secretKey: newKey },
      },
      admin,
    );
    const fresh = await testConnection(id, admin);
    expect(fresh.ok).toBe(true);
    const listed = (await listConnections()).find((c) => c.id === id)!;
    expect(listed.credentials).toEqual({ secretKey: `sk_…${newKey.slice(-4)}` });

    // The old key no longer works at the service itself.
    const old = await fetch(`${fixture.sandbox.stripe.baseUrl}/v1/customers?limit=1`, {
      headers: { authorization: `Bearer ${oldKey}` },
    });
    expect(old.status).toBe(401);
    expect(((await old.json()) as { error: { code: string } }).error.code).toBe('api_key_expired');

    const rotation = await db().auditEvent.findFirstOrThrow({
      where: { action: 'connection.credentials_replaced', targetId: id, occurredAt: { gte: since } },
    });
    expect(rotation.after).toMatchObject({ credentialsReplaced: ['secretKey'] });
    const audit = auditText(await db().auditEvent.findMany({ where: { occurredAt: { gte: since } } }));
    const responses = JSON.stringify([saved, stale, fresh, listed]);
    for (const key of [oldKey, newKey]) {
      const body = key.slice('sk_test_'.length, -4);
      for (let i = 0; i + 8 <= body.length; i += 4) {
        expect(audit).not.toContain(body.slice(i, i + 8));
        expect(responses).not.toContain(body.slice(i, i + 8));
      }
    }
    expect(audit).toContain(`sk_…${newKey.slice(-4)}`);
  });
});
