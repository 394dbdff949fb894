import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError } from '@/server/errors';

/** What a handler gets besides its payload. */
export interface JobContext {
  jobId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** Aborted when the worker is shutting down: long work stops at its next safe point. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * One kind of background job, described as data (ARCHITECTURE habit 6): the worker turns the
 * catalogue into its task list and crontab, and anything that enqueues reads the same entry.
 */
export interface Job {
  id: string;
  payload: z.ZodType;
  /** 5-field crontab (UTC) when the job also runs on a schedule. */
  cron?: string;
  /** Attempts before the job is given up; retries back off exponentially. */
  maxAttempts: number;
  /** Validates the payload, then does the work. */
  handler(payload: unknown, context: JobContext): Promise<void>;
}

/** The payload, checked against the job's schema; a bad one is refused with what is wrong. */
export function parseJobPayload<S extends z.ZodType>(id: string, schema: S, payload: unknown): z.output<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`);
  throw new AppError('BAD_REQUEST', `Job ${id} was given an invalid payload (${problems.join('; ')}).`);
}

export function defineJob<S extends z.ZodType>(definition: {
  id: string;
  payload: S;
  cron?: string;
  maxAttempts: number;
  handler(payload: z.output<S>, context: JobContext): Promise<void>;
}): Job {
  return {
    id: definition.id,
    payload: definition.payload,
    cron: definition.cron,
    maxAttempts: definition.maxAttempts,
    handler: async (payload, context) =>
      definition.handler(parseJobPayload(definition.id, definition.payload, payload), context),
  };
}
