/**
 * Plain-English wording for the cron shapes routine schedules use (every N minutes, hourly at
 * :MM, daily / weekly / monthly at a time). Written here rather than taken from a library
 * because cronstrue is not among this project's dependencies; anything else returns null and
 * the console shows the expression with its next fire times instead.
 */
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const integer = (field: string, min: number, max: number): number | null => {
  if (!/^\d+$/.test(field)) return null;
  const value = Number(field);
  return value >= min && value <= max ? value : null;
};

const step = (field: string, max: number): number | null => {
  const match = /^\*\/(\d+)$/.exec(field);
  if (!match) return null;
  const value = Number(match[1]);
  return value >= 1 && value <= max ? value : null;
};

const pad = (n: number) => String(n).padStart(2, '0');

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function minutesList(field: string): number[] | null {
  const parts = field.split(',');
  if (parts.length < 2) return null;
  const values = parts.map((p) => integer(p, 0, 59));
  return values.every((v) => v !== null) ? (values as number[]) : null;
}

function weekdays(field: string): string | null {
  if (field === '1-5') return 'on weekdays';
  if (field === '0,6' || field === '6,0') return 'at weekends';
  const days = field.split(',').map((p) => integer(p, 0, 7));
  if (days.some((d) => d === null)) return null;
  return `on ${list((days as number[]).map((d) => WEEKDAYS[d % 7]!))}`;
}

export function describeCron(cron: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (month !== '*') return null;

  if (hour === '*' && dayOfMonth === '*' && dayOfWeek === '*') {
    if (minute === '*') return 'Every minute';
    const every = step(minute, 59);
    if (every !== null) return every === 1 ? 'Every minute' : `Every ${every} minutes`;
    const at = integer(minute, 0, 59);
    if (at !== null) return `Hourly at :${pad(at)}`;
    const several = minutesList(minute);
    if (several) return `Hourly at ${list(several.map((m) => `:${pad(m)}`))}`;
    return null;
  }

  const atMinute = integer(minute, 0, 59);
  if (atMinute === null) return null;

  const everyHours = step(hour, 23);
  if (everyHours !== null && dayOfMonth === '*' && dayOfWeek === '*') {
    return `Every ${everyHours} hours at :${pad(atMinute)} UTC`;
  }

  const atHour = integer(hour, 0, 23);
  if (atHour === null) return null;
  const time = `${pad(atHour)}:${pad(atMinute)} UTC`;
  if (dayOfMonth === '*' && dayOfWeek === '*') return `Daily at ${time}`;
  if (dayOfMonth === '*') {
    const days = weekdays(dayOfWeek);
    return days ? `Every week ${days} at ${time}` : null;
  }
  const date = integer(dayOfMonth, 1, 31);
  if (date !== null && dayOfWeek === '*') return `Monthly on day ${date} at ${time}`;
  return null;
}
