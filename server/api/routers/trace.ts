import { z } from 'zod';
import { recordTrace } from '@/server/services/trace/record-trace';
import { resolveTraceKey } from '@/server/services/trace/resolve-trace-key';
import { runRecords } from '@/server/services/trace/run-records';
import { routineNameSchema, systemNameSchema } from '@/server/services/runs/run-schemas';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const externalIdSchema = z.object({ system: systemNameSchema, objectType: z.string(), externalId: z.string() });

const traceSchema = z.object({
  traceKey: z.string(),
  title: z.string(),
  truncated: z.boolean(),
  stages: z.array(
    z.object({
      stage: z.enum(['deal', 'change', 'work', 'invoice']),
      label: z.string(),
      routine: routineNameSchema,
      sourceSystem: systemNameSchema,
      targetSystems: z.array(systemNameSchema),
      firstAt: z.date(),
      lastAt: z.date(),
      hopMs: z.number().nullable(),
      counts: z.object({ delivered: z.number(), noop: z.number(), exception: z.number() }),
      records: z.array(
        z.object({
          source: externalIdSchema,
          targets: z.array(externalIdSchema),
          outcome: z.string(),
          reason: z.string().nullable(),
          attempts: z.number(),
          firstAt: z.date(),
          lastAt: z.date(),
          runId: z.string().nullable(),
        }),
      ),
    }),
  ),
  exceptions: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      status: z.string(),
      message: z.string(),
      routine: routineNameSchema,
      firstSeenAt: z.date(),
    }),
  ),
});

/** Records followed end to end; everyone who may see runs may follow them. */
export const traceRouter = createTRPCRouter({
  resolve: permissionProcedure('runs.view')
    .input(z.object({ q: z.string().trim().min(1, 'Enter an external id, an exception id or a trace key.').max(200) }))
    .output(z.object({ traceKey: z.string() }))
    .query(async ({ input }) => ({ traceKey: await resolveTraceKey(input.q) })),

  byKey: permissionProcedure('runs.view')
    .input(z.object({ key: z.string().uuid('That is not a trace key.') }))
    .output(traceSchema)
    .query(({ input }) => recordTrace(input.key)),

  runRecords: permissionProcedure('runs.view')
    .input(z.object({ runId: z.string().uuid('That is not a run id.') }))
    .output(
      z.array(
        z.object({
          id: z.string(),
          source: externalIdSchema,
          target: externalIdSchema.nullable(),
          outcome: z.string(),
          reason: z.string().nullable(),
          traceKey: z.string().nullable(),
        }),
      ),
    )
    .query(({ input }) => runRecords(input.runId)),
});
