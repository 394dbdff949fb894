import { auditCheckpointJob } from './audit-checkpoint-job';
import { bulkExceptionsJob } from './bulk-exceptions-job';
import { exceptionRetryJob } from './exception-retry-job';
import { overdueExceptionsJob } from './overdue-exceptions-job';
import type { Job } from './job-definition';
import { reconcileJob } from './reconcile-job';
import { routineRunJob } from './routine-run-job';
import { routineScheduleJob } from './routine-schedule-job';
import { teamWebhookJob } from './team-webhook-job';
import { signInWindowJob } from './sign-in-window-job';

/** Every job the worker runs. */
export const JOBS: readonly Job[] = [
  routineRunJob,
  routineScheduleJob,
  reconcileJob,
  auditCheckpointJob,
  exceptionRetryJob,
  overdueExceptionsJob,
  teamWebhookJob,
  signInWindowJob,
  bulkExceptionsJob,
];
