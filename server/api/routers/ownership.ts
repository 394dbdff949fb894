import { z } from 'zod';
import { SYSTEMS } from '@/server/domain/canonical/canonical-record';
import { ROUTINES } from '@/server/domain/routines';
import {
  ownershipGovernance,
  ownershipHistory,
  ownershipOverview,
} from '@/server/services/ownership/ownership-governance';
import { auditContext } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const teamSchema = z.enum(['finance', 'operations', 'integration']);

const ruleSchema = z.object({
  objectType: z.string(),
  attribute: z.string(),
  owner: z.enum(SYSTEMS),
  team: teamSchema,
  note: z.string().nullable(),
});

const changeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('added'), key: z.string(), after: ruleSchema }),
  z.object({ kind: z.literal('removed'), key: z.string(), before: ruleSchema }),
  z.object({
    kind: z.literal('changed'),
    key: z.string(),
    before: ruleSchema,
    after: ruleSchema,
    fields: z.array(z.enum(['objectType', 'attribute', 'owner', 'team', 'note'])),
  }),
]);

// Systems and teams arrive as plain strings so the service can name what is wrong with them.
const ruleEntrySchema = z.object({
  objectType: z.string().trim().min(1).max(100),
  attribute: z.string().trim().min(1).max(100),
  owner: z.string().trim().max(50),
  team: z.string().trim().max(50),
  note: z.string().max(500).nullable().optional(),
});

const reasonSchema = z.string().trim().min(5, 'Say why you publish these rules (at least 5 characters).').max(1000);

export const ownershipRouter = createTRPCRouter({
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
        catalogue: z.array(z.object({ objectType: z.string(), attributes: z.array(z.string()) })),
      }),
    )
    .query(() => ownershipOverview()),

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
    .query(() => ownershipHistory()),

  draftImpact: permissionProcedure('runs.view')
    .output(
      z
        .object({
          changes: z.array(changeSchema),
          routines: z.array(
            z.object({
              routine: z.enum(ROUTINES),
              label: z.string(),
              records: z.number(),
              conflictsResolved: z.number(),
            }),
          ),
        })
        .nullable(),
    )
    .query(() => ownershipGovernance.draftImpact()),

  saveDraft: permissionProcedure('governance.manage')
    .input(z.object({ rules: z.array(ruleEntrySchema).max(1000) }))
    .output(z.object({ changes: z.number() }))
    .mutation(({ input, ctx }) => ownershipGovernance.saveDraft(input.rules, auditContext(ctx))),

  discardDraft: permissionProcedure('governance.manage')
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      await ownershipGovernance.discardDraft(auditContext(ctx));
      return { ok: true as const };
    }),

  publishDraft: permissionProcedure('governance.manage')
    .input(z.object({ reason: reasonSchema }))
    .output(z.object({ version: z.number() }))
    .mutation(({ input, ctx }) => ownershipGovernance.publishDraft(input.reason, auditContext(ctx))),

  republish: permissionProcedure('governance.manage')
    .input(z.object({ version: z.number().int().positive(), reason: reasonSchema }))
    .output(z.object({ version: z.number() }))
    .mutation(({ input, ctx }) => ownershipGovernance.republish(input.version, input.reason, auditContext(ctx))),
});
