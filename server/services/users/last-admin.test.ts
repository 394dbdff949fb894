import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeSetting } from '@/env';
import { db } from '@/server/db/client';
import { createScratchDatabase } from '@/test/scratch-database';
import { changeUserRole, setUserDisabled } from './manage-users';

// Counting admins needs a database of this file's own: other test files create admins too.
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
beforeAll(async () => {
  database = await createScratchDatabase({ migrated: true });
  setRuntimeSetting('DATABASE_URL', database.url);
}, 60_000);
afterAll(async () => {
  await db().$disconnect();
  await database?.drop();
});

const context = { actor: { id: null, email: 'system:test' }, requestId: null, ip: null };

async function twoAdmins(round: number) {
  await db().user.updateMany({ where: { role: 'admin' }, data: { role: 'auditor' } });
  const [a, b] = await Promise.all(
    ['a', 'b'].map((name) =>
      db().user.create({ data: { email: `${name}${round}@admins.test`, name: `${name}${round}`, role: 'admin' } }),
    ),
  );
  return [a!, b!] as const;
}

const enabledAdmins = () => db().user.count({ where: { role: 'admin', disabledAt: null } });

describe('the last enabled admin', () => {
  it('survives two admins demoting each other at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await twoAdmins(round);
      const results = await Promise.allSettled([
        changeUserRole({ userId: a.id, role: 'finance' }, context),
        changeUserRole({ userId: b.id, role: 'finance' }, context),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await enabledAdmins()).toBe(1);
    }
  });

  it('survives two admins disabling each other at the same moment', async () => {
    for (let round = 10; round < 15; round++) {
      const [a, b] = await twoAdmins(round);
      await Promise.allSettled([
        setUserDisabled({ userId: a.id, disabled: true }, context),
        setUserDisabled({ userId: b.id, disabled: true }, context),
      ]);
      expect(await enabledAdmins()).toBe(1);
    }
  });

  it('is never an admin demoting or disabling themselves: the server refuses both', async () => {
    const [a] = await twoAdmins(20);
    const self = { ...context, actor: { id: a.id, email: a.email } };
    await expect(changeUserRole({ userId: a.id, role: 'finance' }, self)).rejects.toThrow(
      'You cannot change your own role; ask another admin to do it.',
    );
    await expect(setUserDisabled({ userId: a.id, disabled: true }, self)).rejects.toThrow(
      'You cannot disable your own account.',
    );
    expect((await db().user.findUniqueOrThrow({ where: { id: a.id } })).role).toBe('admin');
  });
});
