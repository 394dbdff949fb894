import { z } from 'zod';
import { listSchedules } from '@/server/services/runs/list-schedules';
import { routineNameSchema, systemNameSchema } from '@/server/services/runs/run-schemas';
import { BATCH_SIZE_MAX, BATCH_SIZE_MIN, previewCron, updateSchedule } from '@/server/services/runs/update-schedule';
import { auditContext } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const UPCOMING_RUNS = 5;

export const schedulesRouter = createTRPCRouter({
  list: permissionProcedure('runs.view')
    .output(
      z.object({
        batchSize: z.object({ min: z.number(), max: z.number() }),
        schedules: z.array(
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
      }),
    )
    .query(async () => ({
      batchSize: { min: BATCH_SIZE_MIN, max: BATCH_SIZE_MAX },
      schedules: await listSchedules(new Date(), UPCOMING_RUNS),
    })),

  /** The next five fire times of a cron being typed, or why it is refused. */
  preview: permissionProcedure('runs.view')
    .input(z.object({ cron: z.string().max(200) }))
    .output(
      z.discriminatedUnion('ok', [
        z.object({ ok: z.literal(true), description: z.string().nullable(), nextRuns: z.array(z.date()) }),
        z.object({ ok: z.literal(false), error: z.string() }),
      ]),
    )
    .query(({ input }) => previewCron(input.cron)),

  update: permissionProcedure('governance.manage')
    .input(
      z.object({
        routine: routineNameSchema,
        cron: z.string().max(200),
        batchSize: z.number().int(),
        enabled: z.boolean(),
      }),
    )
    .output(z.object({ message: z.string() }))
    .mutation(({ input, ctx }) => updateSchedule(input, auditContext(ctx))),
});
