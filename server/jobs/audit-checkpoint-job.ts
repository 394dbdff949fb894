import { z } from 'zod';
import { anchorSettings, writeAuditCheckpoint } from '@/server/services/audit/audit-anchor';
import { defineJob } from './job-definition';

/** Every five minutes the audit chain's head is anchored outside the database (audit-anchor.ts). */
export const auditCheckpointJob = defineJob({
  id: 'audit.checkpoint',
  cron: '*/5 * * * *',
  payload: z.object({}).loose(),
  maxAttempts: 3,
  async handler(_payload, { logger }) {
    const checkpoint = await writeAuditCheckpoint(anchorSettings());
    if (checkpoint) logger.debug({ checkpoint }, 'audit chain anchored');
  },
});
