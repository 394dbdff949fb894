import { createHash } from 'node:crypto';
import { canonicalJson } from '@/lib/canonical-json';
import { isUuid } from '@/lib/uuid';
import { db } from '@/server/db/client';
import type { TeamName } from '@/server/domain/routing';
import { AppError } from '@/server/errors';
import { assertCanActOn } from './exception-access';
import { dryRunReplay, replayExceptions, type DryRunPlan, type ReplayOutcome } from './replay-exceptions';
import { auditContextOf, auditRefusals, type ExceptionActor } from './work-exception';

const STATUS_WORDS: Record<string, string> = { resolved: 'resolved', ignored: 'ignored' };

async function actionable(exceptionId: string, actor: ExceptionActor, doing: string) {
  const exception = isUuid(exceptionId)
    ? await db().syncException.findUnique({
        where: { id: exceptionId },
        select: { id: true, team: true, status: true, resolution: true },
      })
    : null;
  if (!exception) throw new AppError('NOT_FOUND', 'No exception has this id.');
  assertCanActOn(actor, { team: exception.team as TeamName });
  if (exception.status === 'resolved' || exception.status === 'ignored') {
    throw new AppError(
      'CONFLICT',
      `This exception is already ${STATUS_WORDS[exception.status]} (${exception.resolution ?? 'no note'}); ${doing} would change nothing. Reopen it first if the problem is back.`,
    );
  }
  return exception;
}

/** What a plan would do, as a short token: a replay sent with it goes ahead only if nothing changed. */
export function planToken(plan: Pick<DryRunPlan, 'writes' | 'outcomes'>): string {
  return createHash('sha256')
    .update(
      canonicalJson([
        plan.writes.map((w) => [w.idempotencyKey, w.action, w.targetId]),
        plan.outcomes.map((o) => [o.exceptionId, o.outcome]),
      ]),
    )
    .digest('hex')
    .slice(0, 32);
}

export type ExceptionDryRun = DryRunPlan & { planToken: string };

/** The plan for replaying one exception: per target, what would be created, updated or left alone. */
export async function dryRunException(input: { exceptionId: string; actor: ExceptionActor }): Promise<ExceptionDryRun> {
  return auditRefusals(input.actor, input.exceptionId, 'exception.dry_run', async () => {
    await actionable(input.exceptionId, input.actor, 'a dry run');
    const plan = await dryRunReplay({ exceptionIds: [input.exceptionId] });
    return { ...plan, planToken: planToken(plan) };
  });
}

/**
 * Replays one exception with today's source record, rules and mappings. Given the token of the
 * dry run the user looked at, it first checks the plan still holds: if the record changed since,
 * nothing is written and the user is told to look again.
 */
export async function replayException(input: {
  exceptionId: string;
  actor: ExceptionActor;
  planToken?: string;
}): Promise<ReplayOutcome> {
  const { actor } = input;
  return auditRefusals(actor, input.exceptionId, 'exception.replay', async () => {
    await actionable(input.exceptionId, actor, 'a replay');
    if (input.planToken) {
      const now = await dryRunReplay({ exceptionIds: [input.exceptionId] });
      if (planToken(now) !== input.planToken) {
        throw new AppError(
          'CONFLICT',
          'The record changed since your dry run, so the replay was not made. Run the dry run again and check the new plan.',
        );
      }
    }
    const [outcome] = await replayExceptions({ exceptionIds: [input.exceptionId] }, auditContextOf(actor));
    return outcome!;
  });
}
