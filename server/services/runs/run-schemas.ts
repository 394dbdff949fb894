import { z } from 'zod';
import { SYSTEMS } from '@/server/domain/canonical/canonical-record';
import { ROUTINES } from '@/server/domain/routines';
import { RUN_TRIGGERS } from '@/server/sync/run-types';

/** What a SyncRun's status can be: `running` until the routine finishes it. */
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

// The value sets the runs API speaks in, for its input and output schemas.
export const routineNameSchema = z.enum(ROUTINES);
export const runStatusSchema = z.enum(RUN_STATUSES);
export const runTriggerSchema = z.enum(RUN_TRIGGERS);
export const systemNameSchema = z.enum(SYSTEMS);
