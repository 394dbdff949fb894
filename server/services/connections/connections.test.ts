import { describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { connectorFor, credentialKeys, saveConnection } from './connections';
import { encryptCredentials } from './credentials-cipher';

describe('connectors', () => {
  it('gives runs that start together one connector per connection, so they share its request limits', async () => {
    const { id } = await db().$transaction((tx) =>
      saveConnection(tx, {
        name: `Shared billing ${Date.now()}`,
        system: 'stripe',
        baseUrl: 'http://127.0.0.1:9',
        credentials: { secretKey: 'sk_test_shared_connector' },
        legalEntityIds: ['US'],
        requestLimits: { maxConcurrent: 2, perSecond: null },
      }),
    );
    const [first, ...others] = await Promise.all([connectorFor(id), connectorFor(id), connectorFor(id)]);
    for (const other of others) expect(other).toBe(first);
    expect(await connectorFor(id)).toBe(first);
  });

  it('refuses an unknown connection without remembering the refusal', async () => {
    const later = '00000000-0000-4000-8000-00000000c0de';
    await expect(connectorFor(later)).rejects.toThrow(/No connection/);
    const baseUrl = 'http://127.0.0.1:9';
    const credentials = encryptCredentials(
      credentialKeys(),
      { secretKey: 'sk_test_added_later' },
      { connectionId: later, baseUrl },
    );
    await db().connection.create({
      data: {
        id: later,
        name: `Added later ${Date.now()}`,
        system: 'stripe',
        baseUrl,
        credentials,
        legalEntityIds: ['UK'],
      },
    });
    expect((await connectorFor(later)).system).toBe('stripe');
  });
});
