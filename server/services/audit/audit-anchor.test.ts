import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { createScratchDatabase } from '@/test/scratch-database';
import { checkAuditAnchors, writeAuditCheckpoint, type AnchorSettings } from './audit-anchor';
import { appendAuditEvent, auditHash, GENESIS_HASH } from './append-audit-event';
import { verifyAuditChain } from './verify-audit-chain';

// Each test owns its database: they tamper with it as only its owner could.
const databases: { client: Db; drop: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const d of databases) {
    await d.client.$disconnect();
    await d.drop();
  }
});

async function loggedFirm(events = 12) {
  const database = await createScratchDatabase({ migrated: true });
  const client = createPrismaClient(database.url);
  databases.push({ client, drop: database.drop });
  for (let i = 0; i < events; i++) {
    await client.$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: { id: null, email: 'finance@firm.example' },
        action: 'exception.assigned',
        after: { n: i },
      }),
    );
  }
  const settings: AnchorSettings = {
    key: 'anchor-key-kept-outside-the-database',
    file: path.join(mkdtempSync(path.join(tmpdir(), 'audit-anchor-')), 'anchors.jsonl'),
  };
  await writeAuditCheckpoint(settings, client);
  return { client, settings };
}

/** What an owner of the database could do: switch the append-only trigger off and edit rows. */
async function asOwner(client: Db, sql: string) {
  await client.$transaction([
    client.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER USER'),
    client.$executeRawUnsafe(sql),
    client.$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER USER'),
  ]);
}

describe('audit anchors', () => {
  it('hold while the log is untouched, and anchor each new head once', async () => {
    const { client, settings } = await loggedFirm();
    expect(await checkAuditAnchors(settings, client)).toMatchObject({ state: 'intact' });
    await writeAuditCheckpoint(settings, client);
    expect(readFileSync(settings.file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('detect the last rows cut off, which the chain alone cannot', async () => {
    const { client, settings } = await loggedFirm();
    await asOwner(client, 'DELETE FROM "AuditEvent" WHERE id > (SELECT max(id) - 3 FROM "AuditEvent")');
    expect((await verifyAuditChain(client)).intact).toBe(true);
    expect(await checkAuditAnchors(settings, client)).toMatchObject({
      state: 'broken',
      problem: expect.stringMatching(/is missing: the log was cut short/),
    });
  });

  it('detect history rewritten with every hash recomputed, which the chain alone cannot', async () => {
    const { client, settings } = await loggedFirm();
    const rows = await client.auditEvent.findMany({ orderBy: { id: 'asc' } });
    let prevHash = GENESIS_HASH;
    const rewritten = rows.map((row, i) => {
      const content = {
        occurredAt: row.occurredAt.toISOString(),
        actorId: row.actorId,
        actorEmail: i === 3 ? 'someone-else@firm.example' : row.actorEmail,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        before: row.before ?? null,
        after: row.after ?? null,
        requestId: row.requestId,
        ip: row.ip,
      };
      const hash = auditHash(prevHash, content);
      const update = `UPDATE "AuditEvent" SET "actorEmail" = '${content.actorEmail}', "prevHash" = '${prevHash}', hash = '${hash}' WHERE id = ${row.id}`;
      prevHash = hash;
      return update;
    });
    await asOwner(client, rewritten.join('; '));
    expect((await verifyAuditChain(client)).intact).toBe(true);
    expect(await checkAuditAnchors(settings, client)).toMatchObject({
      state: 'broken',
      problem: expect.stringMatching(/no longer has the hash anchored .*: the log was rewritten/),
    });
  });

  it('refuse an anchor not signed with the key', async () => {
    const { client, settings } = await loggedFirm();
    const line = JSON.parse(readFileSync(settings.file, 'utf8').trim()) as Record<string, string>;
    writeFileSync(settings.file, `${JSON.stringify({ ...line, hash: 'f'.repeat(64) })}\n`);
    expect(await checkAuditAnchors(settings, client)).toMatchObject({
      state: 'broken',
      problem: expect.stringMatching(/not signed by the anchor key/),
    });
  });
});
