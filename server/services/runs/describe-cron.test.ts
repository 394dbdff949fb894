import { describe, expect, it } from 'vitest';
import { describeCron } from './describe-cron';

describe('describeCron', () => {
  it.each([
    ['* * * * *', 'Every minute'],
    ['*/5 * * * *', 'Every 5 minutes'],
    ['*/10 * * * *', 'Every 10 minutes'],
    ['15 * * * *', 'Hourly at :15'],
    ['0,30 * * * *', 'Hourly at :00 and :30'],
    ['0 */6 * * *', 'Every 6 hours at :00 UTC'],
    ['30 2 * * *', 'Daily at 02:30 UTC'],
    ['0 7 * * 1-5', 'Every week on weekdays at 07:00 UTC'],
    ['0 7 * * 1', 'Every week on Monday at 07:00 UTC'],
    ['0 7 * * 1,3', 'Every week on Monday and Wednesday at 07:00 UTC'],
    ['45 23 1 * *', 'Monthly on day 1 at 23:45 UTC'],
  ])('%s → %s', (cron, expected) => {
    expect(describeCron(cron)).toBe(expected);
  });

  it.each(['*/7 9-17 * * 1-5', '0 0 1 1 *', '0 0 * * * *', 'not a cron', '61 * * * *'])(
    'leaves %s to the expression and its next fire times',
    (cron) => {
      expect(describeCron(cron)).toBeNull();
    },
  );
});
