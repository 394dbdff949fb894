import { describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { connectionServing, connectorFor, credentialKeys, saveConnection, type ConnectionInput } from './connections';
import { encryptCredentials } from './credentials-cipher';

describe('connectors', () => {
  it('gives runs that start together one connector per connection, so they share its request limits', async () => {
    const { id } = await db().$transaction((tx) =>
      saveConnection(tx, {
        name: `Shared billing ${Date.now()}`,
        system: 'stripe',
        baseUrl: 'http://127.0.0.1:9',
        credentials: { secretKey: 'sk_test_shared_connector' },
        legalEntityIds: [uniqueEntity()],
        requestLimits: { maxConcurrent: 2, perSecond: null },
      }),
    );
    const [first, ...others] = await Promise.all([connectorFor(id), connectorFor(id), connectorFor(id)]);
    for (const other of others) expect(other).toBe(first);
    expect(await connectorFor(id)).toBe(first);
  });

  it('replaces a connector whose connection another process changed (a credentials rotation in the console)', async () => {
    const baseUrl = 'http://127.0.0.1:9';
    const { id } = await db().$transaction((tx) =>
      saveConnection(tx, {
        name: `Rotated elsewhere ${Date.now()}`,
        system: 'stripe',
        baseUrl,
        credentials: { secretKey: 'sk_test_before_rotation' },
        legalEntityIds: [uniqueEntity()],
      }),
    );
    const before = await connectorFor(id);
    expect(await connectorFor(id)).toBe(before);
    // Written as another process would: this process's cache is not told.
    await db().connection.update({
      where: { id },
      data: {
        credentials: encryptCredentials(
          credentialKeys(),
          { secretKey: 'sk_test_after_rotation' },
          { connectionId: id, baseUrl },
        ),
      },
    });
    const after = await connectorFor(id);
    expect(after).not.toBe(before);
    expect(await connectorFor(id)).toBe(after);
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
        legalEntityIds: [uniqueEntity()],
      },
    });
    expect((await connectorFor(later)).system).toBe('stripe');
  });
});

describe('connections per legal entity', () => {
  const billing = (name: string, entity: string, extra: Partial<ConnectionInput> = {}): ConnectionInput => ({
    name,
    system: 'stripe',
    baseUrl: 'http://127.0.0.1:9',
    credentials: { secretKey: 'sk_test_entity_rules' },
    legalEntityIds: [entity],
    ...extra,
  });
  const save = (input: ConnectionInput) => db().$transaction((tx) => saveConnection(tx, input));

  it('keeps a connection an admin switched off switched off when it is saved again', async () => {
    const entity = uniqueEntity();
    const { id } = await save(billing(`Switched off ${entity}`, entity));
    await db().connection.update({ where: { id }, data: { enabled: false } });
    await save(billing(`Switched off ${entity}`, entity));
    expect((await db().connection.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);
  });

  it('refuses a second enabled connection of the same system for a legal entity', async () => {
    const entity = uniqueEntity();
    await save(billing(`First ${entity}`, entity));
    await expect(save(billing(`Second ${entity}`, entity))).rejects.toThrow(
      new RegExp(`Legal entity ${entity} is already served by the stripe connection "First ${entity}"`),
    );
    // A switched-off one may stand beside it, and another system may serve the entity too.
    await save(billing(`Spare ${entity}`, entity, { enabled: false }));
    await save(billing(`CRM ${entity}`, entity, { system: 'salesforce' }));
  });

  it('refuses to guess when two enabled connections serve a legal entity', async () => {
    const entity = uniqueEntity();
    expect(await connectionServing('stripe', entity)).toBeNull();
    for (const name of [`Twin A ${entity}`, `Twin B ${entity}`]) {
      // Written past the check, as a database edited by hand would be.
      await db().connection.create({
        data: { name, system: 'stripe', baseUrl: 'http://127.0.0.1:9', credentials: '', legalEntityIds: [entity] },
      });
    }
    await expect(connectionServing('stripe', entity)).rejects.toThrow(
      new RegExp(
        `Legal entity ${entity} is served by 2 stripe connections \\("Twin A ${entity}", "Twin B ${entity}"\\)`,
      ),
    );
  });
});

/** Legal entity ids of this file's own: other test files share the database. */
function uniqueEntity(): string {
  return `T${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
}
