import { dryRunReplay } from '@/server/services/exceptions/replay-exceptions';

/**
 * What replaying the open exceptions a mapping change may fix would do now, written nowhere:
 * per target what would be created or changed, and per exception whether it would go through.
 */
export async function dryRunAffectedExceptions(exceptionIds: readonly string[]) {
  const plan = await dryRunReplay({ exceptionIds: [...exceptionIds] });
  return { summary: plan.summary, outcomes: plan.outcomes };
}
