import { z } from 'zod';
import { BULK_EXCEPTION_JOB_ID, runBulkOperation } from '@/server/services/exceptions/bulk-exceptions';
import { defineJob } from './job-definition';

/** Works through a bulk operation on exceptions (assign, status, priority, dry run, replay). */
export const bulkExceptionsJob = defineJob({
  id: BULK_EXCEPTION_JOB_ID,
  payload: z.object({ operationId: z.uuid() }),
  maxAttempts: 3,
  async handler({ operationId }, { signal }) {
    await runBulkOperation(operationId, signal);
  },
});
