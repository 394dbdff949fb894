import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeSetting } from '@/env';
import { db } from '@/server/db/client';
import { createScratchDatabase } from '@/test/scratch-database';
import { appendAuditEvents } from './append-audit-event';
import { auditFacets } from './list-audit-events';

let drop: () => Promise<void>;
beforeAll(async () => {
  const database = await createScratchDatabase({ migrated: true });
  setRuntimeSetting('DATABASE_URL', database.url);
  drop = database.drop;
});
afterAll(async () => {
  await db().$disconnect();
  await drop();
});

describe('audit facets', () => {
  it('list each action and target type once, in order', async () => {
    const actions = ['user.created', 'exception.assigned', 'sync.created', 'exception.assigned', 'access.denied'];
    await db().$transaction((tx) =>
      appendAuditEvents(
        tx,
        actions.flatMap((action, i) =>
          Array.from({ length: 50 }, () => ({
            actor: null,
            action,
            target: i % 2 ? { type: 'User', id: null } : i === 4 ? null : { type: 'SyncException', id: '1' },
          })),
        ),
      ),
    );
    expect(await auditFacets()).toEqual({
      actions: ['access.denied', 'exception.assigned', 'sync.created', 'user.created'],
      targetTypes: ['SyncException', 'User'],
    });
  });
});
