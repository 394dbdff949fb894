import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { createScratchDatabase } from '@/test/scratch-database';
import { appendAuditEvent } from './append-audit-event';
import { verifyAuditChain } from './verify-audit-chain';

let client: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await createScratchDatabase({ migrated: true });
  client = createPrismaClient(database.url);
  drop = database.drop;
});
afterAll(async () => {
  await client.$disconnect();
  await drop();
});

const actor = { id: null, email: 'auditor@syncwright.example' };

describe('audit chain', () => {
  it('stays one unbroken chain under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        client.$transaction((tx) =>
          appendAuditEvent(tx, {
            actor,
            action: 'test.concurrent',
            target: { type: 'Thing', id: String(i) },
            after: { n: i, nested: { b: 2, a: [1, 'x', null] }, at: new Date(0) },
          }),
        ),
      ),
    );
    const result = await verifyAuditChain(client);
    expect(result.intact).toBe(true);
    expect(result.checked).toBeGreaterThanOrEqual(40);
    const rows = await client.auditEvent.findMany({ orderBy: { id: 'asc' } });
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
  });

  it('writes nothing when the change it records rolls back', async () => {
    const before = await client.auditEvent.count();
    await expect(
      client.$transaction(async (tx) => {
        await appendAuditEvent(tx, { actor, action: 'test.rolled_back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await client.auditEvent.count()).toBe(before);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(client.$executeRawUnsafe(`UPDATE "AuditEvent" SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(client.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(client.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
  });

  it('reports the exact row that was tampered with', async () => {
    for (let i = 0; i < 5; i++) {
      await client.$transaction((tx) => appendAuditEvent(tx, { actor, action: 'test.sequence', after: { i } }));
    }
    const rows = await client.auditEvent.findMany({ orderBy: { id: 'asc' } });
    const victim = rows[rows.length - 3]!;
    await client.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete');
    await client.$executeRawUnsafe(`UPDATE "AuditEvent" SET after = '{"i": 999}' WHERE id = ${victim.id}`);
    await client.$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_delete');

    const result = await verifyAuditChain(client);
    expect(result.intact).toBe(false);
    expect(result.firstBroken).toEqual({ id: victim.id.toString(), reason: 'content' });
    expect(result.checked).toBe(rows.length - 3);
  });
});

describe('batch appends', () => {
  it('chain in order alongside single appends', async () => {
    const { appendAuditEvents } = await import('./append-audit-event');
    await Promise.all([
      client.$transaction((tx) =>
        appendAuditEvents(
          tx,
          Array.from({ length: 25 }, (_, i) => ({ actor, action: 'test.batch', after: { i } })),
        ),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        client.$transaction((tx) => appendAuditEvent(tx, { actor, action: 'test.single', after: { i } })),
      ),
    ]);
    // The tampering test above broke the chain on purpose; check the new rows link to each other.
    const rows = await client.auditEvent.findMany({
      where: { action: { in: ['test.batch', 'test.single'] } },
      orderBy: { id: 'asc' },
    });
    expect(rows).toHaveLength(30);
    const all = await client.auditEvent.findMany({ orderBy: { id: 'asc' } });
    const start = all.findIndex((r) => r.id === rows[0]!.id);
    for (let i = start + 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    const batch = rows.filter((r) => r.action === 'test.batch').map((r) => (r.after as { i: number }).i);
    expect(batch).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });
});
