import { z } from 'zod';
import { auditFacets, auditFiltersSchema, listAuditEvents } from '@/server/services/audit/list-audit-events';
import { recordAuditExport, recordChainVerification } from '@/server/services/audit/record-audit-reads';
import { createTRPCRouter, permissionProcedure } from '../trpc';
import { auditContext } from '../audit-context';

const eventSchema = z.object({
  id: z.string(),
  occurredAt: z.date(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  targetLabel: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  hash: z.string(),
});

const pageInput = auditFiltersSchema.extend({
  cursor: z.string().regex(/^\d+$/).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
const pageOutput = z.object({ items: z.array(eventSchema), nextCursor: z.string().nullable() });

export const auditRouter = createTRPCRouter({
  list: permissionProcedure('audit.view')
    .input(pageInput)
    .output(pageOutput)
    .query(({ input: { cursor, limit, ...filters } }) => listAuditEvents({ filters, cursor, limit })),

  facets: permissionProcedure('audit.view')
    .output(z.object({ actions: z.array(z.string()), targetTypes: z.array(z.string()) }))
    .query(() => auditFacets()),

  verify: permissionProcedure('audit.verify')
    .output(
      z.object({
        intact: z.boolean(),
        checked: z.number(),
        firstBroken: z.object({ id: z.string(), reason: z.enum(['link', 'content']) }).nullable(),
        headHash: z.string().nullable(),
        anchor: z.discriminatedUnion('state', [
          z.object({ state: z.literal('unanchored') }),
          z.object({
            state: z.literal('intact'),
            checkpoint: z.object({ id: z.string(), hash: z.string(), at: z.string() }),
          }),
          z.object({ state: z.literal('broken'), problem: z.string() }),
        ]),
      }),
    )
    .mutation(({ ctx }) => recordChainVerification(auditContext(ctx))),

  /** Starts a CSV export: records it, then the export route pages through `exportPage`. */
  startExport: permissionProcedure('audit.export')
    .input(auditFiltersSchema)
    .output(z.object({ recorded: z.literal(true) }))
    .mutation(({ input, ctx }) => recordAuditExport(input, auditContext(ctx))),

  exportPage: permissionProcedure('audit.export')
    .input(pageInput)
    .output(pageOutput)
    .query(({ input: { cursor, limit, ...filters } }) => listAuditEvents({ filters, cursor, limit })),
});
