import { z } from 'zod';
import { amountSchema, currencySchema } from '../money';
import { legalEntityIdSchema, recordBase } from './canonical-record';

/**
 * The canonical model, version 1. A change that alters meaning gets a new schemaVersion; the
 * pipeline maps every source into these shapes before anything is validated or delivered.
 */
const date = z.iso.date();

export const legalEntitySchema = z.object({
  id: legalEntityIdSchema,
  name: z.string().min(1),
  country: z.string().length(2),
  currency: currencySchema,
  taxRegime: z.string().min(1),
});

export const customerSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  country: z.string().length(2).nullable(),
  taxRegistration: z.string().min(1).nullable(),
  email: z.email().nullable(),
});

export const BILLING_MODELS = ['time_and_materials', 'fixed_fee', 'retainer'] as const;

export const engagementSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  customerId: z.uuid().nullable(),
  stage: z.string().min(1),
  won: z.boolean(),
  closeDate: date,
  amount: amountSchema,
  practice: z.string().min(1).nullable(),
  costCenter: z.string().min(1).nullable(),
  billingModel: z.enum(BILLING_MODELS),
});

export const projectSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  engagementId: z.uuid(),
  customerId: z.uuid(),
  practice: z.string().min(1),
  costCenter: z.string().min(1),
  revenueTreatment: z.enum(BILLING_MODELS),
  budget: amountSchema,
  status: z.enum(['pending', 'active', 'closed']),
});

export const rateCardSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  projectId: z.uuid(),
  role: z.string().min(1),
  rate: amountSchema,
});

export const timeEntrySchema = recordBase.extend({
  schemaVersion: z.literal(1),
  projectId: z.uuid(),
  consultant: z.string().min(1),
  role: z.string().min(1),
  workDate: date,
  hours: z.string().regex(/^\d+(\.\d+)?$/, 'hours as a decimal string'),
  approved: z.boolean(),
  /** What the work was, as its invoice line tells it; only where a field map gives it. */
  description: z.string().min(1).optional(),
});

export const expenseSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  projectId: z.uuid(),
  description: z.string().min(1),
  incurredOn: date,
  amount: amountSchema,
  approved: z.boolean(),
});

export const milestoneSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  projectId: z.uuid(),
  name: z.string().min(1),
  amount: amountSchema,
  completedOn: date.nullable(),
});

/** A retainer's fee for one month, due whatever the hours worked. */
export const retainerFeeSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  projectId: z.uuid(),
  period: z.string().regex(/^\d{4}-\d{2}$/, 'billing period YYYY-MM'),
  amount: amountSchema,
});

export const changeOrderSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  projectId: z.uuid().nullable(),
  engagementId: z.uuid(),
  description: z.string().min(1),
  amount: amountSchema,
  status: z.enum(['draft', 'submitted', 'approved', 'rejected']),
  approvedOn: date.nullable(),
});

export const invoiceLineSchema = z.object({
  description: z.string().min(1),
  amount: amountSchema,
  sourceId: z.uuid(),
  period: z.object({ start: date, end: date }),
});

export const invoiceSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  customerId: z.uuid(),
  projectId: z.uuid().nullable(),
  period: z.string().regex(/^\d{4}-\d{2}$/, 'billing period YYYY-MM'),
  status: z.enum(['draft', 'open', 'paid', 'void', 'uncollectible', 'rejected']),
  lines: z.array(invoiceLineSchema),
  total: amountSchema,
});

export const paymentSchema = recordBase.extend({
  schemaVersion: z.literal(1),
  invoiceId: z.uuid(),
  amount: amountSchema,
  paidAt: z.iso.datetime({ offset: true }),
});

export const CANONICAL_SCHEMAS = {
  Customer: customerSchema,
  Engagement: engagementSchema,
  Project: projectSchema,
  RateCard: rateCardSchema,
  TimeEntry: timeEntrySchema,
  Expense: expenseSchema,
  Milestone: milestoneSchema,
  RetainerFee: retainerFeeSchema,
  ChangeOrder: changeOrderSchema,
  Invoice: invoiceSchema,
  Payment: paymentSchema,
} as const;

export type CanonicalType = keyof typeof CANONICAL_SCHEMAS;
export type Customer = z.infer<typeof customerSchema>;
export type Engagement = z.infer<typeof engagementSchema>;
export type Project = z.infer<typeof projectSchema>;
export type RateCard = z.infer<typeof rateCardSchema>;
export type TimeEntry = z.infer<typeof timeEntrySchema>;
export type Expense = z.infer<typeof expenseSchema>;
export type Milestone = z.infer<typeof milestoneSchema>;
export type RetainerFee = z.infer<typeof retainerFeeSchema>;
export type ChangeOrder = z.infer<typeof changeOrderSchema>;
export type Invoice = z.infer<typeof invoiceSchema>;
export type Payment = z.infer<typeof paymentSchema>;
