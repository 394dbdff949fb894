import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { DEMO_USERS, LEGAL_ENTITIES, ROUTINE_SCHEDULES, seed } from './seed';

afterAll(() => db().$disconnect());

describe('seed', () => {
  it('creates the legal entities and one demo user per role, and a second run changes nothing', async () => {
    await seed({ demoPassword: 'demo-password-for-tests' });
    const snapshot = async () => ({
      // Other test files add entities of their own to the shared database.
      entities: await db().legalEntity.findMany({
        where: { id: { in: LEGAL_ENTITIES.map((e) => e.id) } },
        orderBy: { id: 'asc' },
      }),
      users: await db().user.findMany({
        where: { email: { in: DEMO_USERS.map((u) => u.email) } },
        orderBy: { email: 'asc' },
      }),
      audit: await db().auditEvent.count({ where: { actorEmail: 'system:seed' } }),
      schedules: await db().routineSchedule.findMany({ orderBy: { routine: 'asc' } }),
    });
    const first = await snapshot();
    expect(first.entities.map((e) => [e.id, e.currency])).toEqual(
      LEGAL_ENTITIES.map((e) => [e.id, e.currency]).sort(([a], [b]) => a!.localeCompare(b!)),
    );
    expect(new Set(first.users.map((u) => u.role))).toEqual(new Set(['admin', 'finance', 'operations', 'auditor']));
    expect(first.schedules.map((s) => [s.routine, s.cron, s.batchSize, s.enabled])).toEqual([
      ['project_activation', '*/5 * * * *', 500, true],
      ['billing_eligibility', '15 * * * *', 500, true],
      ['invoice_status', '*/10 * * * *', 500, true],
      ['change_orders', '*/15 * * * *', 500, true],
    ]);
    expect(ROUTINE_SCHEDULES).toHaveLength(4);

    const second = await seed({ demoPassword: 'a-different-password' });
    expect(second.created).toEqual([]);
    expect(await snapshot()).toEqual(first);
  });
});
