import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeSetting } from '@/env';
import { db } from '@/server/db/client';
import { createScratchDatabase } from '@/test/scratch-database';
import {
  decryptCredentials,
  encryptCredentials,
  generateCredentialKey,
  parseCredentialKeys,
} from './credentials-cipher';
import { rotateConnectionCredentials } from './rotate-credentials';

// Rotation reads every connection, so this file owns its database: other files' connections are
// under the test run's own key, which this file does not configure.
let drop: () => Promise<void>;

const oldKey = generateCredentialKey('old');
const newKey = generateCredentialKey('new');
const oldOnly = parseCredentialKeys(oldKey);
const newOnly = parseCredentialKeys(newKey);

beforeAll(async () => {
  const database = await createScratchDatabase({ migrated: true });
  drop = database.drop;
  setRuntimeSetting('DATABASE_URL', database.url);
  // connections.ts parses CREDENTIALS_KEYS once per process, on first use: it is set here, before
  // anything reads it, and every row below is written with the cipher under an explicit key, so
  // nothing in this file can leave a stale key set behind.
  setRuntimeSetting('CREDENTIALS_KEYS', `${newKey},${oldKey}`);
});
afterAll(async () => {
  await db().$disconnect();
  await drop();
});

const secrets: Record<string, Record<string, string>> = {
  'A Salesforce': { clientId: 'sf-client', clientSecret: 'sf-secret-4f1d', tokenUrl: 'https://login.example/token' },
  'B NetSuite': {
    accountId: '123',
    consumerKey: 'ns-ck-88a1',
    consumerSecret: 'ns-cs-91bb',
    tokenId: 'ns-t-0c2e',
    tokenSecret: 'ns-ts-77d3',
  },
  'C Stripe': { secretKey: 'sk_test_rotate_5e6f' },
};

const BASE_URL = 'http://billing.example';

/** A connection whose credentials `seal` encrypts for it (given the row the envelope belongs to). */
async function addConnection(
  name: string,
  seal: (owner: { connectionId: string; baseUrl: string }) => string,
): Promise<string> {
  const row = await db().connection.create({
    data: { name, system: 'stripe', baseUrl: BASE_URL, credentials: '', legalEntityIds: ['US'] },
  });
  await db().connection.update({
    where: { id: row.id },
    data: { credentials: seal({ connectionId: row.id, baseUrl: BASE_URL }) },
  });
  return row.id;
}

async function owners(): Promise<Record<string, { connectionId: string; baseUrl: string }>> {
  const rows = await db().connection.findMany();
  return Object.fromEntries(rows.map((row) => [row.name, { connectionId: row.id, baseUrl: row.baseUrl }]));
}

async function envelopes(): Promise<Record<string, string>> {
  const rows = await db().connection.findMany({ orderBy: { name: 'asc' } });
  return Object.fromEntries(rows.map((row) => [row.name, row.credentials]));
}

function keyIdOf(envelope: string): string | undefined {
  return envelope.split('.')[1];
}

describe('rotating connection credentials', () => {
  it('moves every connection to the active key, keeping its values, and records it without secrets', async () => {
    const ids: Record<string, string> = {};
    ids['A Salesforce'] = await addConnection('A Salesforce', (o) =>
      encryptCredentials(oldOnly, secrets['A Salesforce']!, o),
    );
    ids['B NetSuite'] = await addConnection('B NetSuite', (o) =>
      encryptCredentials(oldOnly, secrets['B NetSuite']!, o),
    );
    ids['C Stripe'] = await addConnection('C Stripe', (o) => encryptCredentials(newOnly, secrets['C Stripe']!, o));
    const before = await envelopes();
    const alreadyNew = before['C Stripe'];
    const owner = await owners();

    expect(await rotateConnectionCredentials()).toEqual({ rotated: 2, unchanged: 1, keyId: 'new' });

    const after = await envelopes();
    for (const [name, value] of Object.entries(secrets)) {
      expect(keyIdOf(after[name]!)).toBe('new');
      // Opened with the new key alone: the old one is no longer needed.
      expect(decryptCredentials(newOnly, after[name]!, owner[name]!)).toEqual(value);
    }
    expect(after['A Salesforce']).not.toBe(before['A Salesforce']);
    expect(after['C Stripe']).toBe(alreadyNew);

    const events = await db().auditEvent.findMany({ where: { action: 'connection.credentials_rotated' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: null,
      actorEmail: 'system:cli',
      targetType: 'Connection',
      after: {
        keyId: 'new',
        rotated: [
          { id: ids['A Salesforce'], name: 'A Salesforce' },
          { id: ids['B NetSuite'], name: 'B NetSuite' },
        ],
        unchanged: 1,
      },
    });
    const recorded = JSON.stringify(events[0], (_, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    const forbidden = [
      ...Object.values(secrets).flatMap((value) => Object.values(value).filter((v) => v.length > 3)),
      ...Object.values(before).flatMap((envelope) => envelope.split('.').slice(2)),
      ...Object.values(after).flatMap((envelope) => envelope.split('.').slice(2)),
      oldOnly.active.key.toString('base64'),
      newOnly.active.key.toString('base64'),
    ];
    for (const text of forbidden) expect(recorded).not.toContain(text);
  });

  it('changes nothing the second time', async () => {
    const before = await envelopes();
    expect(await rotateConnectionCredentials()).toEqual({ rotated: 0, unchanged: 3, keyId: 'new' });
    expect(await envelopes()).toEqual(before);
  });

  it('fails as a whole, naming the connection, when an envelope is under a key that is not configured', async () => {
    await addConnection('D Legacy', (o) => encryptCredentials(oldOnly, { secretKey: 'sk_legacy' }, o));
    await addConnection('Z Forgotten', (o) =>
      encryptCredentials(parseCredentialKeys(generateCredentialKey('gone')), { secretKey: 'sk_gone' }, o),
    );
    const before = await envelopes();
    const auditRows = await db().auditEvent.count();

    await expect(rotateConnectionCredentials()).rejects.toThrow(/"Z Forgotten".*"gone", which is not configured/);

    // "D Legacy" sorts before the failing connection and would have been rotated: it was not.
    expect(await envelopes()).toEqual(before);
    expect(keyIdOf(before['D Legacy']!)).toBe('old');
    expect(await db().auditEvent.count()).toBe(auditRows);
  });
});
