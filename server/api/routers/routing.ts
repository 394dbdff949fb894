import { z } from 'zod';
import { ROUTINES } from '@/server/domain/routines';
import { routingGovernance, routingHistory, routingOverview } from '@/server/services/routing/routing-governance';
import { auditContext } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const teamSchema = z.enum(['finance', 'operations', 'integration']);
const prioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
const fieldSchema = z.enum([
  'routine',
  'code',
  'legalEntityId',
  'minAmount',
  'maxAmount',
  'amountCurrency',
  'dueHours',
]);

const ruleSchema = z.object({
  position: z.number(),
  routine: z.enum(ROUTINES).nullable(),
  code: z.string().nullable(),
  legalEntityId: z.string().nullable(),
  minAmount: z.string().nullable(),
  maxAmount: z.string().nullable(),
  amountCurrency: z.string().nullable(),
  team: teamSchema,
  priority: prioritySchema,
  dueHours: z.number(),
  enabled: z.boolean(),
});

const ruleFields = z.enum(Object.keys(ruleSchema.shape) as [keyof typeof ruleSchema.shape]);

const changeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('added'), key: z.string(), after: ruleSchema }),
  z.object({ kind: z.literal('removed'), key: z.string(), before: ruleSchema }),
  z.object({
    kind: z.literal('changed'),
    key: z.string(),
    before: ruleSchema,
    after: ruleSchema,
    fields: z.array(ruleFields),
  }),
]);

// Routines, codes, entities and amounts arrive as plain strings so the service can name what is wrong with them.
const text = z.string().max(100).nullable();
const ruleEntrySchema = z.object({
  routine: text,
  code: text,
  legalEntityId: text,
  minAmount: z.string().max(40).nullable(),
  maxAmount: z.string().max(40).nullable(),
  amountCurrency: z.string().max(10).nullable(),
  team: teamSchema,
  priority: prioritySchema,
  dueHours: z.number(),
  enabled: z.boolean(),
});

const problemSchema = z.object({ index: z.number(), field: fieldSchema, message: z.string() });

const moveSchema = z.object({
  fromTeam: teamSchema,
  fromPriority: prioritySchema,
  toTeam: teamSchema,
  toPriority: prioritySchema,
  count: z.number(),
});

const reasonSchema = z.string().trim().min(5, 'Say why you publish these rules (at least 5 characters).').max(1000);

export const routingRouter = createTRPCRouter({
  overview: permissionProcedure('runs.view')
    .output(
      z.object({
        activeVersion: z.number(),
        active: z.array(ruleSchema),
        draft: z
          .object({
            baseVersion: z.number(),
            rules: z.array(ruleSchema),
            updatedBy: z.string(),
            updatedAt: z.date(),
          })
          .nullable(),
        choices: z.object({
          routines: z.array(z.object({ value: z.enum(ROUTINES), label: z.string() })),
          codes: z.array(z.object({ value: z.string(), label: z.string() })),
          legalEntities: z.array(z.object({ value: z.string(), label: z.string(), currency: z.string() })),
          currencies: z.array(z.string()),
        }),
      }),
    )
    .query(() => routingOverview()),

  history: permissionProcedure('runs.view')
    .output(
      z.array(
        z.object({
          version: z.number(),
          publishedBy: z.string().nullable(),
          publishedAt: z.date(),
          reason: z.string(),
          changes: z.array(changeSchema),
        }),
      ),
    )
    .query(() => routingHistory()),

  draftPreview: permissionProcedure('runs.view')
    .output(
      z
        .object({
          changes: z.array(changeSchema),
          open: z.number(),
          rules: z.array(z.object({ position: z.number(), caught: z.number(), moves: z.array(moveSchema) })),
          unmatched: z.number(),
          unmatchedMoves: z.array(moveSchema),
          moves: z.array(moveSchema),
        })
        .nullable(),
    )
    .query(() => routingGovernance.draftPreview()),

  checkRules: permissionProcedure('governance.manage')
    .input(z.object({ rules: z.array(ruleEntrySchema).max(500), firstIndex: z.number().int().min(0).default(0) }))
    .output(z.array(problemSchema))
    .mutation(({ input }) => routingGovernance.check(input.rules, input.firstIndex)),

  saveDraft: permissionProcedure('governance.manage')
    .input(z.object({ rules: z.array(ruleEntrySchema).max(500) }))
    .output(
      z.discriminatedUnion('saved', [
        z.object({ saved: z.literal(true), changes: z.number() }),
        z.object({ saved: z.literal(false), problems: z.array(problemSchema) }),
      ]),
    )
    .mutation(({ input, ctx }) => routingGovernance.saveDraft(input.rules, auditContext(ctx))),

  discardDraft: permissionProcedure('governance.manage')
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      await routingGovernance.discardDraft(auditContext(ctx));
      return { ok: true as const };
    }),

  publishDraft: permissionProcedure('governance.manage')
    .input(z.object({ reason: reasonSchema }))
    .output(z.object({ version: z.number() }))
    .mutation(({ input, ctx }) => routingGovernance.publishDraft(input.reason, auditContext(ctx))),

  republish: permissionProcedure('governance.manage')
    .input(z.object({ version: z.number().int().positive(), reason: reasonSchema }))
    .output(z.object({ version: z.number() }))
    .mutation(({ input, ctx }) => routingGovernance.republish(input.version, input.reason, auditContext(ctx))),
});
