import { z } from 'zod';
import { retryDueTechnicalExceptions } from '@/server/services/exceptions/retry-technical-exceptions';
import { defineJob } from './job-definition';

/** Once a minute: replays the technical exceptions whose automatic retry is due. */
export const exceptionRetryJob = defineJob({
  id: 'exceptions.auto_retry',
  cron: '* * * * *',
  payload: z.object({}).loose(),
  maxAttempts: 3,
  async handler(_payload, { logger }) {
    const result = await retryDueTechnicalExceptions();
    if (result.retried) logger.info(result, 'technical exceptions retried automatically');
  },
});
