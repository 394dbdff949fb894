import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { AppError } from '@/server/errors';

/** Schedules are kept and evaluated in UTC, so every worker agrees on when a routine is due. */
export const SCHEDULE_TIME_ZONE = 'UTC';

/** A routine schedule's cron: exactly five fields (minute hour day-of-month month day-of-week). */
export function parseRoutineCron(cron: string, from: Date): CronExpression {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new AppError('BAD_REQUEST', `"${cron}" is not a 5-field cron expression (minute hour day month weekday).`);
  }
  try {
    return CronExpressionParser.parse(fields.join(' '), { currentDate: from, tz: SCHEDULE_TIME_ZONE, strict: false });
  } catch (err) {
    throw new AppError(
      'BAD_REQUEST',
      `"${cron}" is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** The next `count` fire times strictly after `from`. */
export function nextFireTimes(cron: string, from: Date, count: number): Date[] {
  return parseRoutineCron(cron, from)
    .take(count)
    .map((date) => date.toDate());
}

/** True when the cron fired in (tick − 1 minute, tick]: the window one scheduler tick covers. */
export function firedInTick(cron: string, tick: Date): boolean {
  const next = parseRoutineCron(cron, new Date(tick.getTime() - 60_000)).next();
  return next.getTime() <= tick.getTime();
}
