import { z } from 'zod';
import { notifyOverdueExceptions } from '@/server/services/notifications/overdue-exceptions';
import { defineJob } from './job-definition';

/** Every five minutes: assignees hear of their exceptions that went past due. */
export const overdueExceptionsJob = defineJob({
  id: 'exceptions.overdue',
  cron: '*/5 * * * *',
  payload: z.object({}).loose(),
  maxAttempts: 3,
  async handler(_payload, { logger }) {
    const result = await notifyOverdueExceptions();
    if (result.notified) logger.info(result, 'overdue exceptions notified');
  },
});
