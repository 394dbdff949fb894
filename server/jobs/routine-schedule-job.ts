import { z } from 'zod';
import { enqueueDueRuns } from '@/server/services/runs/due-runs';
import { defineJob } from './job-definition';

/**
 * The scheduler: once a minute, queues the routines whose cron fired since the previous tick.
 * The tick is the time graphile-worker's cron scheduled this job for (`_cron.ts`), not the time
 * it happens to run, so a late or backfilled tick still covers its own minute.
 */
export const routineScheduleJob = defineJob({
  id: 'routine.schedule',
  cron: '* * * * *',
  payload: z.object({
    _cron: z.object({
      ts: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not a timestamp'),
      backfilled: z.boolean().optional(),
    }),
  }),
  maxAttempts: 3,
  async handler(payload, { logger }) {
    const due = await enqueueDueRuns(new Date(payload._cron.ts));
    if (due.routines.length > 0) {
      logger.info(
        {
          tick: payload._cron.ts,
          backfilled: payload._cron.backfilled ?? false,
          routines: due.routines,
          requested: due.requested.length,
        },
        'scheduled routine runs queued',
      );
    }
  },
});
