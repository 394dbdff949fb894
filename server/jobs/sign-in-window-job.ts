import { z } from 'zod';
import { summariseEndedSignInWindows } from '@/server/auth/sign-in-throttle';
import { defineJob } from './job-definition';

/**
 * Every minute the sign-in windows that ended are closed: refused attempts get their one audit
 * row per account and address, with the count, even when no later attempt comes to close them.
 */
export const signInWindowJob = defineJob({
  id: 'auth.signin_windows',
  cron: '* * * * *',
  payload: z.object({}).loose(),
  maxAttempts: 3,
  async handler(_payload, { logger }) {
    const summarised = await summariseEndedSignInWindows();
    if (summarised > 0) logger.info({ summarised }, 'refused sign-in attempts summarised in the audit log');
  },
});
