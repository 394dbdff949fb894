/**
 * Calendar dates as whole UTC day numbers (days since 1970-01-01), so date arithmetic in the
 * generator never depends on the machine's time zone.
 */
const DAY_MS = 86_400_000;

export function dayNumber(isoDate: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a calendar date: ${isoDate}`);
  return Math.round(ms / DAY_MS);
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** An ISO timestamp at a given minute of a day. */
export function isoTimestamp(day: number, minuteOfDay = 0): string {
  return new Date(day * DAY_MS + minuteOfDay * 60_000).toISOString();
}

export function isWeekday(day: number): boolean {
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** First day of the month that contains `day`. */
export function monthStart(day: number): number {
  const date = new Date(day * DAY_MS);
  return Math.round(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS);
}

/** First day of the month `offset` months after the month that contains `day`. */
export function addMonths(day: number, offset: number): number {
  const date = new Date(day * DAY_MS);
  return Math.round(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1) / DAY_MS);
}

export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
