import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/server/errors';
import { JOBS } from './catalogue';
import { cronItemsFor } from './graphile-tasks';
import type { JobContext } from './job-definition';
import { reconcileJob } from './reconcile-job';
import { routineRunJob } from './routine-run-job';
import { routineScheduleJob } from './routine-schedule-job';
import { ROUTINE_RUN_JOB_ID, ROUTINE_RUN_MAX_ATTEMPTS, routineRunKey } from './routine-run-spec';

const context: JobContext = {
  jobId: '1',
  attempt: 1,
  signal: new AbortController().signal,
  logger: pino({ level: 'silent' }),
};

describe('job catalogue', () => {
  it('holds the routine run, the scheduler, the reconciliation, the audit checkpoint, the automatic retry, the overdue check, the team webhook, the sign-in windows and bulk exception work, each once', () => {
    expect(JOBS.map((job) => job.id).sort()).toEqual([
      'audit.checkpoint',
      'auth.signin_windows',
      'exceptions.auto_retry',
      'exceptions.bulk',
      'exceptions.overdue',
      'notifications.team_webhook',
      'routine.reconcile',
      'routine.run',
      'routine.schedule',
    ]);
    expect(new Set(JOBS.map((job) => job.id)).size).toBe(JOBS.length);
    expect(routineRunJob.id).toBe(ROUTINE_RUN_JOB_ID);
  });

  it.each(JOBS.map((job) => [job.id, job] as const))(
    '%s has a payload schema, a handler and a bounded number of attempts',
    (_id, job) => {
      expect(job.payload).toBeInstanceOf(z.ZodType);
      expect(typeof job.handler).toBe('function');
      expect(Number.isInteger(job.maxAttempts)).toBe(true);
      expect(job.maxAttempts).toBeGreaterThanOrEqual(1);
      expect(job.maxAttempts).toBeLessThanOrEqual(ROUTINE_RUN_MAX_ATTEMPTS);
    },
  );

  it('runs the scheduler, the nightly reconciliation, the audit checkpoint, the automatic retry, the overdue check and the sign-in windows on a cron, and nothing else', () => {
    expect(routineScheduleJob.cron).toBe('* * * * *');
    expect(reconcileJob.cron).toBe('30 2 * * *');
    expect(routineRunJob.cron).toBeUndefined();
    const items = cronItemsFor(JOBS);
    expect(items.map((item) => [item.task, item.identifier]).sort()).toEqual([
      ['audit.checkpoint', 'audit.checkpoint'],
      ['auth.signin_windows', 'auth.signin_windows'],
      ['exceptions.auto_retry', 'exceptions.auto_retry'],
      ['exceptions.overdue', 'exceptions.overdue'],
      ['routine.reconcile', 'routine.reconcile'],
      ['routine.schedule', 'routine.schedule'],
    ]);
    const attemptsOf = (task: string) => items.find((item) => item.task === task)!.options.maxAttempts;
    expect(attemptsOf('routine.schedule')).toBe(routineScheduleJob.maxAttempts);
    expect(attemptsOf('routine.reconcile')).toBe(reconcileJob.maxAttempts);
  });

  it('keys a routine run by routine, connection and legal entity', () => {
    expect(
      routineRunKey({
        routine: 'billing_eligibility',
        connectionId: '6f1c0a8e-2b0b-4a47-9f35-0d0f6c1e2a11',
        legalEntityId: 'UK',
      }),
    ).toBe('routine:billing_eligibility:6f1c0a8e-2b0b-4a47-9f35-0d0f6c1e2a11:UK');
  });
});

describe('payload validation', () => {
  const good = {
    routine: 'project_activation',
    connectionId: '6f1c0a8e-2b0b-4a47-9f35-0d0f6c1e2a11',
    legalEntityId: 'US',
    trigger: 'schedule',
  };

  it('accepts a well-formed routine run payload', () => {
    expect(routineRunJob.payload.safeParse(good).success).toBe(true);
  });

  it('refuses a routine run for an unknown routine, naming the field, before doing anything', async () => {
    const refused = routineRunJob.handler({ ...good, routine: 'payroll' }, context);
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toThrow(/^Job routine\.run was given an invalid payload \(routine: .+\)\.$/);
  });

  it('lists every problem of a bad payload', async () => {
    await expect(
      routineRunJob.handler({ routine: 'project_activation', connectionId: 'not-a-uuid', trigger: 'cron' }, context),
    ).rejects.toThrow(/connectionId: .*; legalEntityId: .*; trigger: /);
    await expect(routineRunJob.handler(null, context)).rejects.toThrow(
      /Job routine\.run was given an invalid payload \(payload: /,
    );
  });

  it('refuses a reconciliation of an unknown routine, and takes its nightly tick as every routine', async () => {
    await expect(reconcileJob.handler({ routine: 'payroll' }, context)).rejects.toThrow(
      /^Job routine\.reconcile was given an invalid payload \(routine: .+\)\.$/,
    );
    expect(reconcileJob.payload.parse({ _cron: { ts: '2026-11-20T02:30:00Z' } })).toEqual({});
  });

  it('refuses a scheduler tick without a readable time', async () => {
    await expect(routineScheduleJob.handler({ _cron: { ts: 'yesterday' } }, context)).rejects.toThrow(
      'Job routine.schedule was given an invalid payload (_cron.ts: not a timestamp).',
    );
    await expect(routineScheduleJob.handler({}, context)).rejects.toThrow(/\(_cron: /);
  });
});
