import { db } from '@/server/db/client';
import { reconciliationScopeSchema, requestReconciliation } from '@/server/services/runs/request-reconciliation';
import { defineJob } from './job-definition';

/**
 * The nightly reconciliation: queues, for each scheduled routine (or the one named) and each of
 * its targets (or the legal entity named), a run that reads the last RECONCILE_LOOKBACK_DAYS again
 * and delivers what the watermark passed by — a change whose commit landed later than the read
 * overlap reaches. Each run records how many records it found to deliver and how many were there.
 */
export const reconcileJob = defineJob({
  id: 'routine.reconcile',
  // 02:30 UTC, away from the top of the hour when hourly schedules fire.
  cron: '30 2 * * *',
  payload: reconciliationScopeSchema,
  maxAttempts: 3,
  async handler(payload, { logger }) {
    const requested = await db().$transaction((tx) => requestReconciliation(tx, payload));
    logger.info(
      {
        routine: payload.routine ?? null,
        legalEntityId: payload.legalEntityId ?? null,
        requested: requested.map((r) => `${r.routine}:${r.connectionName}:${r.legalEntityId}`),
      },
      'reconciliation runs queued',
    );
  },
});
