import Decimal from 'decimal.js';
import { z } from 'zod';
import { db } from '@/server/db/client';
import { currencySchema } from '@/server/domain/money';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';

const day = z.iso.date({ error: 'Enter the first day the rate applies, as a date.' });

export const fxRateKey = z.object({ fromCurrency: currencySchema, toCurrency: currencySchema, validFrom: day });

export const fxRateInput = fxRateKey
  .extend({
    rate: z
      .string()
      .trim()
      .regex(/^\d{1,10}(\.\d{1,8})?$/, 'Enter the rate as a decimal number with at most 8 decimal places.')
      .refine((v) => new Decimal(v).gt(0), 'The rate must be more than zero.'),
  })
  .refine((r) => r.fromCurrency !== r.toCurrency, {
    message: 'Choose two different currencies.',
    path: ['toCurrency'],
  });

export interface FxRateRow {
  fromCurrency: string;
  toCurrency: string;
  validFrom: string;
  rate: string;
  createdBy: string | null;
  createdAt: Date;
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const asDate = (d: string) => new Date(`${d}T00:00:00Z`);
const keyOf = (r: { fromCurrency: string; toCurrency: string; validFrom: string }) =>
  `${r.fromCurrency}→${r.toCurrency} from ${r.validFrom}`;

export async function listFxRates(): Promise<FxRateRow[]> {
  const rows = await db().fxRate.findMany({
    orderBy: [{ fromCurrency: 'asc' }, { toCurrency: 'asc' }, { validFrom: 'desc' }],
  });
  return rows.map((r) => ({ ...r, validFrom: dayOf(r.validFrom), rate: new Decimal(r.rate.toString()).toFixed() }));
}

/** Adds a dated rate, or corrects the one of that pair and day; audited with what it replaced. */
export async function saveFxRate(input: z.input<typeof fxRateInput>, context: AuditContext): Promise<FxRateRow> {
  const parsed = fxRateInput.safeParse(input);
  if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join(' '));
  const { fromCurrency, toCurrency, validFrom, rate } = parsed.data;
  return db().$transaction(async (tx) => {
    const where = { fromCurrency_toCurrency_validFrom: { fromCurrency, toCurrency, validFrom: asDate(validFrom) } };
    const existing = await tx.fxRate.findUnique({ where });
    const saved = await tx.fxRate.upsert({
      where,
      create: { fromCurrency, toCurrency, validFrom: asDate(validFrom), rate, createdBy: context.actor.email },
      update: { rate, createdBy: context.actor.email, createdAt: new Date() },
    });
    await appendAuditEvent(tx, {
      ...context,
      action: existing ? 'fx_rate.corrected' : 'fx_rate.added',
      target: { type: 'FxRate', id: keyOf(parsed.data) },
      before: existing ? { rate: new Decimal(existing.rate.toString()).toFixed() } : null,
      after: { rate: new Decimal(rate).toFixed() },
    });
    return { ...saved, validFrom, rate: new Decimal(saved.rate.toString()).toFixed() };
  });
}

export async function deleteFxRate(input: z.input<typeof fxRateKey>, context: AuditContext): Promise<void> {
  const key = fxRateKey.parse(input);
  await db().$transaction(async (tx) => {
    const where = {
      fromCurrency_toCurrency_validFrom: { ...key, validFrom: asDate(key.validFrom) },
    };
    const existing = await tx.fxRate.findUnique({ where });
    if (!existing) throw new AppError('NOT_FOUND', `No ${keyOf(key)} rate to remove.`);
    await tx.fxRate.delete({ where });
    await appendAuditEvent(tx, {
      ...context,
      action: 'fx_rate.removed',
      target: { type: 'FxRate', id: keyOf(key) },
      before: { rate: new Decimal(existing.rate.toString()).toFixed() },
      after: null,
    });
  });
}
