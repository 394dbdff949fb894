import { z } from 'zod';
import { listRuns, runCursorSchema, runFacets, runFiltersSchema } from '@/server/services/runs/list-runs';
import { getRun } from '@/server/services/runs/get-run';
import { listSchedules } from '@/server/services/runs/list-schedules';
import { reconciliationScopeSchema, requestReconciliationNow } from '@/server/services/runs/request-reconciliation';
import { requestRunNow } from '@/server/services/runs/run-now';
import {
  routineNameSchema,
  runStatusSchema,
  runTriggerSchema,
  systemNameSchema,
} from '@/server/services/runs/run-schemas';
import { createTRPCRouter, permissionProcedure } from '../trpc';
import { auditContext } from '../audit-context';

const runSchema = z.object({
  id: z.string(),
  routine: routineNameSchema,
  routineLabel: z.string(),
  connectionId: z.string(),
  connectionName: z.string().nullable(),
  legalEntityId: z.string(),
  legalEntityName: z.string().nullable(),
  trigger: z.string(),
  status: z.string(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  durationMs: z.number().nullable(),
  recordsRead: z.number(),
  batches: z.number(),
  delivered: z.number(),
  noop: z.number(),
  exceptions: z.number(),
  lagSeconds: z.number().nullable(),
  error: z.string().nullable(),
});

const runDetailSchema = runSchema.extend({
  outcomes: z.array(z.object({ outcome: z.string(), count: z.number() })),
  firstRecordAt: z.date().nullable(),
  lastRecordAt: z.date().nullable(),
});

export const runsRouter = createTRPCRouter({
  byId: permissionProcedure('runs.view')
    .input(z.object({ id: z.string().uuid('That is not a run id.') }))
    .output(runDetailSchema)
    .query(({ input }) => getRun(input.id)),

  list: permissionProcedure('runs.view')
    .input(
      runFiltersSchema.extend({
        cursor: runCursorSchema.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .output(z.object({ items: z.array(runSchema), nextCursor: z.string().nullable() }))
    .query(({ input: { cursor, limit, ...filters } }) => listRuns({ filters, cursor, limit })),

  facets: permissionProcedure('runs.view')
    .output(
      z.object({
        routines: z.array(z.object({ value: routineNameSchema, label: z.string() })),
        legalEntities: z.array(z.object({ value: z.string(), label: z.string() })),
        statuses: z.array(runStatusSchema),
        triggers: z.array(runTriggerSchema),
      }),
    )
    .query(() => runFacets()),

  schedules: permissionProcedure('runs.view')
    .output(
      z.array(
        z.object({
          routine: routineNameSchema,
          label: z.string(),
          sourceSystem: systemNameSchema,
          cron: z.string().nullable(),
          description: z.string().nullable(),
          nextRuns: z.array(z.date()),
          cronError: z.string().nullable(),
          batchSize: z.number().nullable(),
          enabled: z.boolean(),
          targets: z.number(),
        }),
      ),
    )
    .query(() => listSchedules()),

  runNow: permissionProcedure('sync.run')
    .input(z.object({ routine: routineNameSchema }))
    .output(z.object({ queued: z.number(), message: z.string() }))
    .mutation(({ input, ctx }) => requestRunNow(input, auditContext(ctx))),

  reconcile: permissionProcedure('sync.run')
    .input(reconciliationScopeSchema)
    .output(z.object({ queued: z.number(), message: z.string() }))
    .mutation(({ input, ctx }) => requestReconciliationNow(input, auditContext(ctx))),
});
