import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeSetting } from '@/env';
import { db } from '@/server/db/client';
import { createScratchDatabase } from '@/test/scratch-database';
import { appendAuditEvents } from './append-audit-event';
import { SYNC_ACTOR } from './audit-context';
import { listAuditEvents } from './list-audit-events';

let drop: () => Promise<void>;
let userId: string;
beforeAll(async () => {
  const database = await createScratchDatabase({ migrated: true });
  setRuntimeSetting('DATABASE_URL', database.url);
  drop = database.drop;
  userId = (
    await db().user.create({
      data: { email: 'ada@example.com', name: 'Ada Lovelace', role: 'finance', passwordHash: 'x' },
    })
  ).id;
  await db().$transaction((tx) =>
    appendAuditEvents(tx, [
      {
        actor: { id: null, email: 'admin@example.com' },
        action: 'user.role_changed',
        target: { type: 'User', id: userId },
      },
      { actor: SYNC_ACTOR, action: 'sync.created', target: { type: 'invoiceitem', id: 'ii_1' } },
      { actor: null, action: 'auth.signin_failed', target: null },
    ]),
  );
});
afterAll(async () => {
  await db().$disconnect();
  await drop();
});

const actions = async (source?: 'people' | 'system' | 'all') =>
  (await listAuditEvents({ filters: { source }, limit: 50 })).items.map((e) => e.action).sort();

describe('listAuditEvents', () => {
  it('separates what people did from what the sync wrote', async () => {
    expect(await actions('people')).toEqual(['auth.signin_failed', 'user.role_changed']);
    expect(await actions('system')).toEqual(['sync.created']);
    expect(await actions('all')).toEqual(['auth.signin_failed', 'sync.created', 'user.role_changed']);
    expect(await actions()).toEqual(await actions('all'));
  });

  it('names a user target by name and email, keeping its id', async () => {
    const { items } = await listAuditEvents({ filters: { source: 'people' }, limit: 50 });
    const change = items.find((e) => e.action === 'user.role_changed')!;
    expect(change).toMatchObject({ targetId: userId, targetLabel: 'Ada Lovelace (ada@example.com)' });
    expect(items.find((e) => e.action === 'auth.signin_failed')!.targetLabel).toBeNull();
  });
});
