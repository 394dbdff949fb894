import { db } from '@/server/db/client';
import { hashPassword } from '@/server/auth/password';
import type { Role } from '@/server/auth/permissions';
import type { RoutineName } from '@/server/domain/routines';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import { seedSyncDefaults } from './seed-sync-defaults';

export const LEGAL_ENTITIES = [
  {
    id: 'US',
    name: 'Syncwright Demo Consulting Inc.',
    country: 'US',
    currency: 'USD',
    taxRegime: 'US sales tax (state rates)',
  },
  { id: 'UK', name: 'Syncwright Demo Consulting Ltd', country: 'GB', currency: 'GBP', taxRegime: 'UK VAT 20%' },
  { id: 'DE', name: 'Syncwright Demo Consulting GmbH', country: 'DE', currency: 'EUR', taxRegime: 'DE USt 19%' },
] as const;

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: 'admin@syncwright.example', name: 'Demo Admin', role: 'admin' },
  { email: 'finance@syncwright.example', name: 'Demo Finance', role: 'finance' },
  { email: 'operations@syncwright.example', name: 'Demo Operations', role: 'operations' },
  { email: 'auditor@syncwright.example', name: 'Demo Auditor', role: 'auditor' },
];

/** When each routine runs on its own (5-field cron, UTC), and how many records per batch. */
export const ROUTINE_SCHEDULES: { routine: RoutineName; cron: string; batchSize: number; enabled: boolean }[] = [
  { routine: 'project_activation', cron: '*/5 * * * *', batchSize: 500, enabled: true },
  { routine: 'billing_eligibility', cron: '15 * * * *', batchSize: 500, enabled: true },
  { routine: 'invoice_status', cron: '*/10 * * * *', batchSize: 500, enabled: true },
  { routine: 'change_orders', cron: '*/15 * * * *', batchSize: 500, enabled: true },
];

/** Exchange rates the dashboards start with, until admins add their own (dated from the start of the year). */
export const FX_RATES: { fromCurrency: string; toCurrency: string; validFrom: string; rate: string }[] = [
  { fromCurrency: 'GBP', toCurrency: 'USD', validFrom: '2026-01-01', rate: '1.27' },
  { fromCurrency: 'EUR', toCurrency: 'USD', validFrom: '2026-01-01', rate: '1.09' },
  { fromCurrency: 'USD', toCurrency: 'GBP', validFrom: '2026-01-01', rate: '0.79' },
  { fromCurrency: 'EUR', toCurrency: 'GBP', validFrom: '2026-01-01', rate: '0.86' },
  { fromCurrency: 'USD', toCurrency: 'EUR', validFrom: '2026-01-01', rate: '0.92' },
  { fromCurrency: 'GBP', toCurrency: 'EUR', validFrom: '2026-01-01', rate: '1.17' },
];

/**
 * Idempotent: creates what is missing and leaves what exists alone, so running it twice changes
 * nothing (a demo user whose password or role was changed keeps the change, and so does a
 * routine schedule an admin changed). The demo users come only with a demo password: outside
 * demo mode there are none.
 */
export async function seed(options: { demoPassword: string | null }): Promise<{ created: string[] }> {
  const created: string[] = [];
  const passwordHash = options.demoPassword === null ? null : await hashPassword(options.demoPassword);
  await db().$transaction(async (tx) => {
    for (const entity of LEGAL_ENTITIES) {
      const existing = await tx.legalEntity.findUnique({ where: { id: entity.id } });
      if (!existing) {
        await tx.legalEntity.create({ data: entity });
        created.push(`legal entity ${entity.id}`);
      }
    }
    for (const schedule of ROUTINE_SCHEDULES) {
      if (await tx.routineSchedule.findUnique({ where: { routine: schedule.routine } })) continue;
      await tx.routineSchedule.create({ data: schedule });
      created.push(`schedule ${schedule.routine}`);
    }
    for (const demo of passwordHash === null ? [] : DEMO_USERS) {
      if (await tx.user.findUnique({ where: { email: demo.email } })) continue;
      const user = await tx.user.create({ data: { ...demo, passwordHash, passwordChangedAt: new Date() } });
      await appendAuditEvent(tx, {
        actor: { id: null, email: 'system:seed' },
        action: 'user.created',
        target: { type: 'User', id: user.id },
        after: { email: user.email, name: user.name, role: user.role, disabled: false },
      });
      created.push(`user ${demo.email}`);
    }
    // Only into an empty table: rates an admin added or corrected are theirs.
    if ((await tx.fxRate.count()) === 0) {
      await tx.fxRate.createMany({
        data: FX_RATES.map((r) => ({
          ...r,
          validFrom: new Date(`${r.validFrom}T00:00:00Z`),
          createdBy: 'system:seed',
        })),
      });
      created.push('exchange rates');
    }
    created.push(...(await seedSyncDefaults(tx)));
  });
  return { created };
}
