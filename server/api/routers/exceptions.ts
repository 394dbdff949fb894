import { z } from 'zod';
import {
  bulkOperationStatus,
  bulkSelectionSchema,
  startBulkOperation,
  type BulkAction,
} from '@/server/services/exceptions/bulk-exceptions';
import {
  exceptionCursorSchema,
  exceptionFacets,
  exceptionFiltersSchema,
  EXCEPTION_PRIORITIES,
  EXCEPTION_SORTS,
  listExceptions,
} from '@/server/services/exceptions/list-exceptions';
import { deleteView, listSavedViews, saveView, savedViewInputSchema } from '@/server/services/exceptions/saved-views';
import { exceptionActor } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const rowSchema = z.object({
  id: z.string(),
  code: z.string(),
  kind: z.string(),
  routine: z.string(),
  message: z.string(),
  objectType: z.string(),
  externalIds: z.array(z.object({ system: z.string(), objectType: z.string(), externalId: z.string() })),
  legalEntityId: z.string().nullable(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  team: z.string(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  priority: z.string(),
  status: z.string(),
  firstSeenAt: z.date(),
  lastSeenAt: z.date(),
  dueAt: z.date().nullable(),
  overdue: z.boolean(),
  occurrences: z.number(),
});
const facetList = z.array(z.object({ value: z.string(), count: z.number() }));
const viewSchema = z.object({ id: z.string(), name: z.string(), query: z.string(), builtIn: z.boolean() });
const startedSchema = z.object({ id: z.string(), total: z.number() });
const bulkInput = <T extends z.ZodRawShape>(shape: T) => z.object({ selection: bulkSelectionSchema, ...shape });

export const exceptionsRouter = createTRPCRouter({
  list: permissionProcedure('exceptions.view')
    .input(
      exceptionFiltersSchema.extend({
        sort: z.enum(EXCEPTION_SORTS).default('lastSeen'),
        cursor: exceptionCursorSchema.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .output(z.object({ items: z.array(rowSchema), nextCursor: z.string().nullable() }))
    .query(({ input: { cursor, limit, sort, ...filters }, ctx }) =>
      listExceptions({ filters, viewerId: ctx.user.id, sort, cursor, limit }),
    ),

  facets: permissionProcedure('exceptions.view')
    .input(exceptionFiltersSchema)
    .output(
      z.object({
        total: z.number(),
        overdue: z.number(),
        unassigned: z.number(),
        status: facetList,
        team: facetList,
        code: facetList,
        routine: facetList,
        legalEntityId: facetList,
        kind: facetList,
        priority: facetList,
      }),
    )
    .query(({ input, ctx }) => exceptionFacets({ filters: input, viewerId: ctx.user.id })),

  savedViews: permissionProcedure('exceptions.view')
    .output(z.array(viewSchema))
    .query(({ ctx }) => listSavedViews(ctx.user.id)),

  saveView: permissionProcedure('exceptions.view')
    .input(savedViewInputSchema)
    .output(viewSchema)
    .mutation(({ input, ctx }) => saveView({ userId: ctx.user.id, ...input })),

  deleteView: permissionProcedure('exceptions.view')
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ input, ctx }) => {
      await deleteView({ userId: ctx.user.id, id: input.id });
      return { ok: true as const };
    }),

  bulkAssign: permissionProcedure('exceptions.assign')
    .input(bulkInput({ assigneeId: z.union([z.literal('me'), z.uuid()]).nullable() }))
    .output(startedSchema)
    .mutation(({ input, ctx }) =>
      startBulkOperation({
        selection: input.selection,
        action: { action: 'assign', assigneeId: input.assigneeId === 'me' ? ctx.user.id : input.assigneeId },
        actor: exceptionActor(ctx),
      }),
    ),

  bulkTransition: permissionProcedure('exceptions.work')
    .input(
      bulkInput({
        to: z.enum(['in_progress', 'resolved', 'ignored', 'open']),
        note: z.string().trim().max(2000).nullable().optional(),
      }),
    )
    .output(startedSchema)
    .mutation(({ input, ctx }) =>
      startBulkOperation({
        selection: input.selection,
        action: { action: 'transition', to: input.to, note: input.note ?? null },
        actor: exceptionActor(ctx),
      }),
    ),

  bulkPriority: permissionProcedure('exceptions.work')
    .input(bulkInput({ priority: z.enum(EXCEPTION_PRIORITIES) }))
    .output(startedSchema)
    .mutation(({ input, ctx }) =>
      startBulkOperation({
        selection: input.selection,
        action: { action: 'priority', priority: input.priority },
        actor: exceptionActor(ctx),
      }),
    ),

  bulkReplay: permissionProcedure('exceptions.replay')
    .input(bulkInput({ dryRun: z.boolean() }))
    .output(startedSchema)
    .mutation(({ input, ctx }) => {
      const action: BulkAction = { action: input.dryRun ? 'dry_run' : 'replay' };
      return startBulkOperation({ selection: input.selection, action, actor: exceptionActor(ctx) });
    }),

  bulkStatus: permissionProcedure('exceptions.view')
    .input(z.object({ id: z.uuid() }))
    .output(
      z.object({
        id: z.string(),
        action: z.string(),
        actionLabel: z.string(),
        status: z.string(),
        total: z.number(),
        done: z.number(),
        succeeded: z.number(),
        failed: z.number(),
        skipped: z.number(),
        createdAt: z.date(),
        finishedAt: z.date().nullable(),
        reasons: z.array(z.object({ outcome: z.string(), reason: z.string(), count: z.number() })),
      }),
    )
    .query(({ input, ctx }) => bulkOperationStatus({ id: input.id, actor: ctx.user })),
});
